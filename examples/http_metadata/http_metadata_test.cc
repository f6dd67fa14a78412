// http_metadata on both backends: source.address into a request header, the tier set as a
// property and read back in the response (each stream its own), the access-log line with the
// stream's derived path and code, and what happens when the host has no such property or one
// of the wrong size (no header, "?" in the log).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class HttpMetadataTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  // The property `name` as stream `s` reads it.
  std::optional<std::string> property(uint32_t s, const std::string& name) {
    return host().stream_property(s, {name});
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(HttpMetadataTest, "http_metadata");

// The stream's request.path and response.code are its own :path and :status, as Envoy
// derives them; its client's address is a per-stream fact of the test.
TEST_P(HttpMetadataTest, PropertiesReadSetAndReadBack) {
  const uint32_t s = emu().open_stream(root_);
  host().stream_facts(s).source_address = "10.0.0.7:51234";
  EXPECT_EQ(emu().send_request_headers(s, {{":path", "/orders"}, {"x-api-key", "k"}}, true),
            Action::Continue);
  EXPECT_EQ(
      host().stream(s).maps[0],
      (Pairs{{":path", "/orders"}, {"x-api-key", "k"}, {"x-client-address", "10.0.0.7:51234"}}));
  EXPECT_EQ(property(s, "coproxy_tier"), "premium");
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
  EXPECT_EQ(property(s, "coproxy_tier"), "free");
  emu().send_response_headers(s, {{":status", "200"}});
  EXPECT_EQ(host().stream(s).maps[2].back(),
            (std::pair<std::string, std::string>{"x-tier", "free"}));
}

// Envoy keeps a property a stream sets in that stream's filter state.
TEST_P(HttpMetadataTest, EachStreamKeepsItsOwnTier) {
  const uint32_t premium = emu().open_stream(root_);
  const uint32_t free = emu().open_stream(root_);
  emu().send_request_headers(premium, {{":path", "/p"}, {"x-api-key", "k"}}, true);
  emu().send_request_headers(free, {{":path", "/f"}}, true);
  emu().send_response_headers(free, {{":status", "200"}});
  emu().send_response_headers(premium, {{":status", "200"}});
  EXPECT_EQ(host().stream(premium).maps[2].back().second, "premium");
  EXPECT_EQ(host().stream(free).maps[2].back().second, "free");
}

TEST_P(HttpMetadataTest, PropertiesTheHostDoesNotHave) {
  const uint32_t s = emu().open_stream(root_);
  host().stream_facts(s).source_address = "";  // none
  emu().send_request_headers(s, {{":path", "/"}}, true);
  EXPECT_EQ(host().stream(s).maps[0], (Pairs{{":path", "/"}}));  // no x-client-address
  emu().end_stream(s);  // before any response: no response.code
  EXPECT_EQ(last_log_message(), "/ answered ? for tier free");
}

TEST_P(HttpMetadataTest, AResponseCodeOfTheWrongSizeIsNoCode) {
  const uint32_t s = emu().open_stream(root_);
  host().put_stream_property(s, {"response", "code"}, "200");  // text, not 8 bytes
  emu().send_request_headers(s, {{":path", "/x"}}, true);
  emu().send_response_headers(s, {{":status", "200"}});
  emu().end_stream(s);
  EXPECT_EQ(last_log_message(), "/x answered ? for tier free");
}

}  // namespace
