// http_set_header on both backends: set (added or overwritten), replace (only when present),
// remove, applied in order; no configuration changes nothing; bad operations are refused.
#include <string>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class HttpSetHeaderTest : public coproxy::testing::PluginTest {
 protected:
  // The request headers as the plugin left them. A header set or replaced goes to the end, its
  // other values gone, as in Envoy (HeaderMapImpl::setCopy: remove, then add).
  Pairs apply(const std::string& config, Pairs headers) {
    const uint32_t root = emu().start_plugin(config);
    EXPECT_NE(root, 0u);
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(stream, std::move(headers), true), Action::Continue);
    return host().stream(stream).maps[0];
  }
};
COPROXY_PLUGIN_TEST_SUITE(HttpSetHeaderTest, "http_set_header");

TEST_P(HttpSetHeaderTest, SetsReplacesAndRemoves) {
  EXPECT_EQ(apply("set x-env=prod; replace user-agent=coproxy; remove x-debug",
                  {{":path", "/"}, {"user-agent", "curl"}, {"x-debug", "1"}}),
            (Pairs{{":path", "/"}, {"x-env", "prod"}, {"user-agent", "coproxy"}}));
  EXPECT_EQ(apply("set x-env=prod", {{"x-env", "a"}, {"x-env", "b"}}), (Pairs{{"x-env", "prod"}}));
}

TEST_P(HttpSetHeaderTest, SetOverwritesAndReplaceNeedsTheHeader) {
  EXPECT_EQ(apply("set x-env=prod;replace x-absent=1", {{"x-env", "dev"}}),
            (Pairs{{"x-env", "prod"}}));
}

TEST_P(HttpSetHeaderTest, OperationsApplyInOrder) {
  EXPECT_EQ(apply("remove x-a; set x-a=2; replace x-a=3; set x-b=a=b", {{"x-a", "1"}}),
            (Pairs{{"x-a", "3"}, {"x-b", "a=b"}}));
  EXPECT_EQ(apply("set x-a=2; remove x-a", {{"x-a", "1"}}), (Pairs{}));
}

TEST_P(HttpSetHeaderTest, AnEmptyValueAndAnEmptyConfiguration) {
  EXPECT_EQ(apply("set x-empty=", {{":path", "/"}}), (Pairs{{":path", "/"}, {"x-empty", ""}}));
  EXPECT_EQ(apply("", {{":path", "/"}, {"x-a", "1"}}), (Pairs{{":path", "/"}, {"x-a", "1"}}));
  EXPECT_EQ(apply(" ; ;", {{"x-a", "1"}}), (Pairs{{"x-a", "1"}}));
}

TEST_P(HttpSetHeaderTest, BadOperationsAreRefused) {
  EXPECT_EQ(emu().start_plugin("set x-env=prod; add x-a=1"), 0u);
  EXPECT_EQ(host().logs().back().message, "http_set_header: not an operation: 'add x-a=1'");
  EXPECT_EQ(emu().start_plugin("set x-env"), 0u);
  EXPECT_EQ(emu().start_plugin("set =1"), 0u);
  EXPECT_EQ(emu().start_plugin("remove"), 0u);
  EXPECT_EQ(emu().start_plugin("remove x-a=1"), 0u);
  EXPECT_EQ(host().logs().back().message, "http_set_header: not an operation: 'remove x-a=1'");
}

}  // namespace
