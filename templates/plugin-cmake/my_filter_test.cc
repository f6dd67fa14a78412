// my_filter on its native build and its .wasm: allowed, denied, auth down, bad configuration.
#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class MyFilterTest : public coproxy::testing::PluginTest {};
COPROXY_PLUGIN_TEST_SUITE(MyFilterTest, "my_filter");

TEST_P(MyFilterTest, AnAllowedRequestIsTagged) {
  const uint32_t root = emu().start_plugin(R"({"header": "x-checked"})");
  const uint32_t stream = emu().open_stream(root);
  EXPECT_EQ(emu().send_request_headers(stream, {{":path", "/"}}, true), Action::Pause);
  emu().answer_http_call(host().http_callouts().at(0).token, {{":status", "200"}});
  EXPECT_EQ(host().stream(stream).maps[0], (Pairs{{":path", "/"}, {"x-checked", "1"}}));
  EXPECT_EQ(host().metric_value("my_filter_allowed_total"), 1u);
}

TEST_P(MyFilterTest, ADeniedOrFailedCheckGets403) {
  const uint32_t root = emu().start_plugin(R"({"header": "x-checked"})");
  for (bool auth_down : {false, true}) {
    const uint32_t stream = emu().open_stream(root);
    emu().send_request_headers(stream, {{":path", "/"}}, true);
    const uint32_t token = host().http_callouts().back().token;
    if (auth_down) {
      emu().fail_http_call(token);
    } else {
      emu().answer_http_call(token, {{":status", "401"}});
    }
    ASSERT_TRUE(host().stream(stream).local_response.has_value());
    EXPECT_EQ(host().stream(stream).local_response->status_code, 403u);
  }
  EXPECT_EQ(host().metric_value("my_filter_denied_total"), 2u);
}

TEST_P(MyFilterTest, AConfigurationThatDoesNotFitIsRefusedWithTheReason) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"header": ""})", "invalid plugin configuration: $.header: must name a header"},
      {R"({"header": 7})",
       "invalid plugin configuration: $.header: expected a string, got the number 7"},
  });
}

}  // namespace
