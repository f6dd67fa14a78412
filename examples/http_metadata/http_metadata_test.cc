// http_metadata on both backends: source.address into a request header, the tier set as a
// property and read back in the response, the access-log line with an integer property, and
// what happens when the host has no such property (no header, "?" in the log).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;
using coproxy::testing::Pairs;

std::string little_endian(uint64_t value) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(value >> 8 * i & 0xff));
  return bytes;
}

class HttpMetadataTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  std::optional<std::string> property(const std::string& name) {
    std::string value;
    if (host().get_property(name + std::string(1, '\0'), &value) != StatusCode::Ok) {
      return std::nullopt;
    }
    return value;
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(HttpMetadataTest, "http_metadata");

TEST_P(HttpMetadataTest, PropertiesReadSetAndReadBack) {
  host().put_property({"source", "address"}, "10.0.0.7:51234");
  host().put_property({"request", "path"}, "/orders");
  host().put_property({"response", "code"}, little_endian(201));
  const uint32_t s = emu().open_stream(root_);
  EXPECT_EQ(emu().send_request_headers(s, {{":path", "/orders"}, {"x-api-key", "k"}}, true),
            Action::Continue);
  EXPECT_EQ(
      host().stream(s).maps[0],
      (Pairs{{":path", "/orders"}, {"x-api-key", "k"}, {"x-client-address", "10.0.0.7:51234"}}));
  EXPECT_EQ(property("coproxy_tier"), "premium");
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "201"}}), Action::Continue);
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "201"}, {"x-tier", "premium"}}));
  EXPECT_TRUE(host().logs().empty());
  emu().end_stream(s);
  ASSERT_EQ(host().logs().size(), 1u);
  EXPECT_EQ(host().logs()[0].message, "/orders answered 201 for tier premium");
}

TEST_P(HttpMetadataTest, WithoutAKeyTheFreeTier) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":path", "/"}}, true);
  EXPECT_EQ(property("coproxy_tier"), "free");
  emu().send_response_headers(s, {{":status", "200"}});
  EXPECT_EQ(host().stream(s).maps[2].back(),
            (std::pair<std::string, std::string>{"x-tier", "free"}));
}

TEST_P(HttpMetadataTest, PropertiesTheHostDoesNotHave) {
  host().put_property({"response", "code"}, "200");  // not an 8-byte integer
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":path", "/"}}, true);
  EXPECT_EQ(host().stream(s).maps[0], (Pairs{{":path", "/"}}));  // no source.address
  emu().end_stream(s);
  EXPECT_EQ(host().logs().back().message, " answered ? for tier free");  // no request.path
}

}  // namespace
