// http_headers on both backends: request headers logged, the configured response header
// added (or the default), a bad configuration refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class HttpHeadersTest : public coproxy::testing::PluginTest {
 protected:
  std::vector<std::string> logs() {
    std::vector<std::string> messages;
    for (const coproxy::testing::LogEntry& entry : host().logs()) messages.push_back(entry.message);
    return messages;
  }
};
COPROXY_PLUGIN_TEST_SUITE(HttpHeadersTest, "http_headers");

TEST_P(HttpHeadersTest, LogsRequestHeadersAndStampsTheResponse) {
  const uint32_t root = emu().start_plugin("x-env=prod");
  const uint32_t stream = emu().open_stream(root);
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}, {"user-agent", "curl"}}, true),
            Action::Continue);
  EXPECT_EQ(logs(), (std::vector<std::string>{"request header :path: /",
                                              "request header user-agent: curl"}));
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(host().stream(stream).maps[2], (Pairs{{":status", "200"}, {"x-env", "prod"}}));
}

TEST_P(HttpHeadersTest, WithoutConfigurationTheDefaultHeader) {
  const uint32_t stream = emu().open_stream(emu().start_plugin());
  emu().send_request_headers(stream, {{":path", "/"}}, true);
  emu().send_response_headers(stream, {{":status", "200"}});
  EXPECT_EQ(host().stream(stream).maps[2].back(),
            (std::pair<std::string, std::string>{"x-coproxy", "http_headers"}));
}

TEST_P(HttpHeadersTest, ABadConfigurationIsRefused) {
  EXPECT_EQ(emu().start_plugin("no-equals-sign"), 0u);
  EXPECT_EQ(host().logs().back().message,
            "http_headers: the configuration must be name=value, not 'no-equals-sign'");
}

}  // namespace
