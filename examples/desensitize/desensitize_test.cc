// desensitize on both backends: the digits of sensitive values masked in form and JSON bodies,
// other keys and look-alikes untouched, keys and values split across chunks, each chunk passed
// on at once, a request without a body, the client gone mid-body, a bad configuration refused
// with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class DesensitizeTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"keys": ["phone", "card"]})"); }
  // What goes upstream of a body sent as `chunks`.
  std::string forwarded(const std::vector<std::string>& chunks) {
    const uint32_t stream = emu().open_stream(root_);
    emu().send_request_headers(stream, {{":method", "POST"}});
    for (size_t i = 0; i < chunks.size(); ++i) {
      emu().send_request_body(stream, chunks[i], i + 1 == chunks.size());
    }
    return host().stream(stream).request.forwarded;
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(DesensitizeTest, "desensitize");

TEST_P(DesensitizeTest, MasksAFormBody) {
  EXPECT_EQ(forwarded({"name=ada7&phone=+1 555-0142&card=4111111111111111&age=36"}),
            "name=ada7&phone=+* ***-****&card=****************&age=36");
  EXPECT_EQ(host().metric_value("desensitize_masked_digits_total"), 24u);
}

TEST_P(DesensitizeTest, MasksAJsonBody) {
  EXPECT_EQ(forwarded({"{\"id\": 42, \"phone\" : \"555 0142\", \"card\": 4111, \"n\": 1}"}),
            "{\"id\": 42, \"phone\" : \"*** ****\", \"card\": ****, \"n\": 1}");
}

TEST_P(DesensitizeTest, LookAlikeKeysAreNotSensitive) {
  EXPECT_EQ(forwarded({"discard=123&phones=456&cardphone=789&x=phone&y=1"}),
            "discard=123&phones=456&cardphone=789&x=phone&y=1");
  EXPECT_EQ(host().metric_value("desensitize_masked_digits_total"), 0u);
}

TEST_P(DesensitizeTest, KeysAndValuesSplitAcrossChunks) {
  EXPECT_EQ(forwarded({"a=1&ph", "one=55", "5-01", "42&b=2"}), "a=1&phone=***-****&b=2");
}

TEST_P(DesensitizeTest, EachChunkGoesOnAsSoonAsItIsMasked) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "POST"}});
  EXPECT_EQ(emu().send_request_body(s, "card=12", false), Action::Continue);
  EXPECT_EQ(host().stream(s).request.forwarded, "card=**");
  EXPECT_EQ(emu().send_request_body(s, "34\n", true), Action::Continue);
  EXPECT_EQ(host().stream(s).request.forwarded, "card=****\n");
}

TEST_P(DesensitizeTest, ARequestWithoutABodyFlows) {
  const uint32_t s = emu().open_stream(root_);
  EXPECT_EQ(emu().send_request_headers(s, {{":method", "GET"}, {"phone", "555"}}, true),
            Action::Continue);
  EXPECT_EQ(host().stream(s).maps[0].back().second, "555");  // only bodies are masked
}

TEST_P(DesensitizeTest, ClientGoneMidBody) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "POST"}});
  emu().send_request_body(s, "phone=55", false);
  emu().end_stream(s);
  EXPECT_EQ(host().stream(s).request.forwarded, "phone=**");
}

TEST_P(DesensitizeTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"keys": []})", "invalid plugin configuration: $.keys: must name at least one key"},
      {R"({"keys": "phone card"})",
       "invalid plugin configuration: $.keys: expected an array, got the string \"phone card\""},
      {R"({"keys": ["phone", 7]})",
       "invalid plugin configuration: $.keys[1]: expected a string, got the number 7"},
      {R"({"key": ["phone"]})", "invalid plugin configuration: $.keys: required, missing"},
      {R"({"keys": ["phone"], "key": ["card"]})",
       "invalid plugin configuration: $.key: unknown field (known: keys)"},
      {"phone card", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
