// multiple_dispatches on both backends: the configured callouts (three by default) at once,
// answered in any order; a bad configuration refused; the
// response goes on only after the last, with every answer; a failed or timed-out call loses
// none of the others; a stream reset while waiting drops the late answers.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StreamType;
using coproxy::testing::Pairs;

class MultipleDispatchesTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override {
    stream_ = emu().open_stream(emu().start_plugin());
    EXPECT_EQ(emu().send_request_headers(stream_, {{":path", "/"}}, true), Action::Continue);
    EXPECT_EQ(emu().send_response_headers(stream_, {{":status", "200"}}), Action::Pause);
  }
  uint32_t token(const std::string& path) {
    for (const coproxy::testing::HttpCallout& call : host().http_callouts()) {
      for (const auto& [name, value] : call.headers) {
        if (name == ":path" && value == path) return call.token;
      }
    }
    ADD_FAILURE() << "no callout for " << path;
    return 0;
  }
  bool continued() {
    return host().stream(stream_).continued == std::vector<StreamType>{StreamType::HttpResponse};
  }
  uint32_t stream_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(MultipleDispatchesTest, "multiple_dispatches");

TEST_P(MultipleDispatchesTest, ThreeCallsAtOnceThenTheResponseGoesOn) {
  ASSERT_EQ(host().http_callouts().size(), 3u);  // all three before any answer
  for (const coproxy::testing::HttpCallout& call : host().http_callouts()) {
    EXPECT_EQ(call.upstream, "web_service");
    EXPECT_EQ(call.timeout_ms, 1000u);
  }
  emu().answer_http_call(token("/three"), {{":status", "204"}});
  emu().answer_http_call(token("/one"), {{":status", "200"}});
  EXPECT_FALSE(continued());
  emu().answer_http_call(token("/two"), {{":status", "404"}});
  EXPECT_TRUE(continued());
  EXPECT_EQ(host().stream(stream_).maps[2],
            (Pairs{{":status", "200"}, {"x-dispatches", "200 404 204"}}));
  EXPECT_EQ(last_log_message(), "multiple_dispatches: 200 404 204");
}

TEST_P(MultipleDispatchesTest, AFailedCallLosesNoneOfTheOthers) {
  emu().answer_http_call(token("/one"), {{":status", "200"}});
  emu().fail_http_call(token("/two"));
  EXPECT_FALSE(continued());  // /three is still out
  emu().answer_http_call(token("/three"), {{":status", "200"}});
  EXPECT_TRUE(continued());
  EXPECT_EQ(host().stream(stream_).maps[2].back().second, "200 failed 200");
}

TEST_P(MultipleDispatchesTest, ACallThatNeverAnswersTimesOut) {
  emu().answer_http_call(token("/one"), {{":status", "200"}});
  emu().answer_http_call(token("/three"), {{":status", "500"}});
  emu().advance(999);
  EXPECT_FALSE(continued());
  emu().advance(1);  // /two's timeout
  EXPECT_TRUE(continued());
  EXPECT_EQ(host().stream(stream_).maps[2].back().second, "200 failed 500");
}

TEST_P(MultipleDispatchesTest, TheConfiguredCallsOnTheConfiguredCluster) {
  const uint32_t s = emu().open_stream(emu().start_plugin(
      R"({"cluster": "backends", "paths": ["/a", "/b", "/c", "/d", "/e"], "timeout": "250ms"})"));
  emu().send_request_headers(s, {{":path", "/"}}, true);
  emu().send_response_headers(s, {{":status", "200"}});
  ASSERT_EQ(host().http_callouts().size(), 8u);  // the fixture's three, then these five
  for (size_t i = 3; i < 8; ++i) {
    EXPECT_EQ(host().http_callouts()[i].upstream, "backends");
    EXPECT_EQ(host().http_callouts()[i].timeout_ms, 250u);
  }
  for (size_t i = 3; i < 8; ++i) emu().answer_http_call(host().http_callouts()[i].token, {{":status", "200"}});
  EXPECT_EQ(last_log_message(), "multiple_dispatches: 200 200 200 200 200");
}

TEST_P(MultipleDispatchesTest, ABadConfigurationIsRefused) {
  expect_refused({
      {R"({"paths": []})", "invalid plugin configuration: $.paths: must name 1 to 16 paths"},
      {R"({"paths": "/one"})",
       "invalid plugin configuration: $.paths: expected an array, got the string \"/one\""},
      {R"({"timeout": "soon"})",
       "invalid plugin configuration: $.timeout: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"soon\""},
      {R"({"clustr": "x"})",
       "invalid plugin configuration: $.clustr: unknown field (known: cluster, paths, timeout)"},
      {"three", "invalid plugin configuration: $: not JSON: line 1, column 2: Invalid value."},
  });
}

TEST_P(MultipleDispatchesTest, AResetWhileWaitingDropsTheLateAnswers) {
  emu().answer_http_call(token("/one"), {{":status", "200"}});
  emu().end_stream(stream_);
  emu().answer_http_call(token("/two"), {{":status", "200"}});  // dropped
  emu().answer_http_call(token("/three"), {{":status", "200"}});
  EXPECT_TRUE(host().stream(stream_).continued.empty());
  EXPECT_TRUE(host().logs().empty());
  EXPECT_EQ(host().stream(stream_).maps[2], (Pairs{{":status", "200"}}));
}

}  // namespace
