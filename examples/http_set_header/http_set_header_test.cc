// http_set_header on both backends: set (added or overwritten), replace (only when present),
// remove, applied in order; no configuration changes nothing; bad operations are refused with
// the operator's message.
#include <string>
#include <utility>

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
  EXPECT_EQ(apply(R"({"operations": [{"op": "set", "name": "x-env", "value": "prod"},
                                     {"op": "replace", "name": "user-agent", "value": "coproxy"},
                                     {"op": "remove", "name": "x-debug"}]})",
                  {{":path", "/"}, {"user-agent", "curl"}, {"x-debug", "1"}}),
            (Pairs{{":path", "/"}, {"x-env", "prod"}, {"user-agent", "coproxy"}}));
  EXPECT_EQ(apply(R"({"operations": [{"op": "set", "name": "x-env", "value": "prod"}]})",
                  {{"x-env", "a"}, {"x-env", "b"}}),
            (Pairs{{"x-env", "prod"}}));
}

TEST_P(HttpSetHeaderTest, SetOverwritesAndReplaceNeedsTheHeader) {
  EXPECT_EQ(apply(R"({"operations": [{"op": "set", "name": "x-env", "value": "prod"},
                                     {"op": "replace", "name": "x-absent", "value": "1"}]})",
                  {{"x-env", "dev"}}),
            (Pairs{{"x-env", "prod"}}));
}

TEST_P(HttpSetHeaderTest, OperationsApplyInOrder) {
  EXPECT_EQ(apply(R"({"operations": [{"op": "remove", "name": "x-a"},
                                     {"op": "set", "name": "x-a", "value": "2"},
                                     {"op": "replace", "name": "x-a", "value": "3"},
                                     {"op": "set", "name": "x-b", "value": "a=b; c"}]})",
                  {{"x-a", "1"}}),
            (Pairs{{"x-a", "3"}, {"x-b", "a=b; c"}}));
  EXPECT_EQ(apply(R"({"operations": [{"op": "set", "name": "x-a", "value": "2"},
                                     {"op": "remove", "name": "x-a"}]})",
                  {{"x-a", "1"}}),
            (Pairs{}));
}

TEST_P(HttpSetHeaderTest, AnEmptyValueAndAnEmptyConfiguration) {
  EXPECT_EQ(apply(R"({"operations": [{"op": "set", "name": "x-empty", "value": ""}]})",
                  {{":path", "/"}}),
            (Pairs{{":path", "/"}, {"x-empty", ""}}));
  EXPECT_EQ(apply("", {{":path", "/"}, {"x-a", "1"}}), (Pairs{{":path", "/"}, {"x-a", "1"}}));
  EXPECT_EQ(apply(R"({"operations": []})", {{"x-a", "1"}}), (Pairs{{"x-a", "1"}}));
}

TEST_P(HttpSetHeaderTest, BadOperationsAreRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"operations": [{"op": "set", "name": "x-env", "value": "prod"},
                          {"op": "add", "name": "x-a", "value": "1"}]})",
       "invalid plugin configuration: $.operations[1].op: expected one of \"set\", \"replace\", "
       "\"remove\", got the string \"add\""},
      {R"({"operations": [{"op": "set", "name": "x-env"}]})",
       "invalid plugin configuration: $.operations[0].value: required, missing"},
      {R"({"operations": [{"op": "set", "name": "", "value": "1"}]})",
       "invalid plugin configuration: $.operations[0].name: must name a header"},
      {R"({"operations": [{"op": "remove"}]})",
       "invalid plugin configuration: $.operations[0].name: required, missing"},
      {R"({"operations": [{"op": "remove", "name": "x-a", "value": "1"}]})",
       "invalid plugin configuration: $.operations[0].value: unknown field (known: op, name)"},
      {R"({"operations": [{"op": "set", "name": "x-a", "value": 1}]})",
       "invalid plugin configuration: $.operations[0].value: expected a string, got the number 1"},
      {R"({"operations": {"op": "remove", "name": "x-a"}})",
       "invalid plugin configuration: $.operations: expected an array, got an object"},
      {R"({"operation": []})",
       "invalid plugin configuration: $.operation: unknown field (known: operations)"},
      {"set x-env=prod", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
