// http_headers on both backends: request headers logged, the configured response header
// added (or the default), a bad configuration refused with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class HttpHeadersTest : public coproxy::testing::PluginTest {
 protected:
};
COPROXY_PLUGIN_TEST_SUITE(HttpHeadersTest, "http_headers");

TEST_P(HttpHeadersTest, LogsRequestHeadersAndStampsTheResponse) {
  const uint32_t root = emu().start_plugin(R"({"name": "x-env", "value": "prod"})");
  const uint32_t stream = emu().open_stream(root);
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}, {"user-agent", "curl"}}, true),
            Action::Continue);
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request header :path: /",
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

TEST_P(HttpHeadersTest, AFieldLeftOutKeepsItsDefault) {
  const uint32_t stream = emu().open_stream(emu().start_plugin(R"({"value": "v2"})"));
  emu().send_request_headers(stream, {{":path", "/"}}, true);
  emu().send_response_headers(stream, {{":status", "200"}});
  EXPECT_EQ(host().stream(stream).maps[2].back(),
            (std::pair<std::string, std::string>{"x-coproxy", "v2"}));
}

TEST_P(HttpHeadersTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"name": "", "value": "prod"})",
       "invalid plugin configuration: $.name: must name a header"},
      {R"({"name": "x-env", "value": 7})",
       "invalid plugin configuration: $.value: expected a string, got the number 7"},
      {R"({"header": "x-env"})",
       "invalid plugin configuration: $.header: unknown field (known: name, value)"},
      {"x-env=prod", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
