// hedged_call on both backends: the primary alone when it answers in time; the backup sent at
// hedge_after and winning; a primary that fails early still leaving the backup its chance;
// every branch failing (503); the deadline (504, in either order of same-instant events);
// a stream reset mid-race; a bad configuration refused.
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::HostBehaviour;

class HedgedCallTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { start(); }
  void start(HostBehaviour behaviour = {}) {
    reset_emulator(behaviour);
    root_ = emu().start_plugin(R"({"hedge_after": "50ms", "deadline": "300ms"})");
    ASSERT_NE(root_, 0u);
    stream_ = emu().open_stream(root_);
    EXPECT_EQ(emu().send_request_headers(stream_, {{":path", "/"}}, true), Action::Pause);
  }
  uint32_t callout(size_t i) { return host().http_callouts().at(i).token; }
  // "served by X", "503 ...", "504 ..." or "waiting".
  std::string outcome() {
    const auto& state = host().stream(stream_);
    if (state.local_response) {
      return std::to_string(state.local_response->status_code) + " " + state.local_response->body;
    }
    for (const auto& [name, value] : state.maps[0]) {
      if (name == "x-served-by") return "served by " + value;
    }
    return "waiting";
  }
  uint32_t root_ = 0;
  uint32_t stream_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(HedgedCallTest, "hedged_call");

TEST_P(HedgedCallTest, APrimaryThatAnswersInTimeIsAskedAlone) {
  ASSERT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().http_callouts()[0].upstream, "primary");
  emu().advance(30);
  emu().answer_http_call(callout(0), {{":status", "200"}});
  EXPECT_EQ(outcome(), "served by primary");
  emu().advance(1000);
  EXPECT_EQ(host().http_callouts().size(), 1u);  // no backup, ever
}

TEST_P(HedgedCallTest, TheBackupGoesAtHedgeAfterAndMayWin) {
  emu().advance(49);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  emu().advance(1);
  ASSERT_EQ(host().http_callouts().size(), 2u);
  EXPECT_EQ(host().http_callouts()[1].upstream, "backup");
  EXPECT_EQ(host().http_callouts()[1].timeout_ms, 1300u);  // past the deadline: it decides
  emu().answer_http_call(callout(1), {{":status", "200"}});
  EXPECT_EQ(outcome(), "served by backup");
  emu().answer_http_call(callout(0), {{":status", "200"}});  // the primary's late answer: dropped
  EXPECT_EQ(outcome(), "served by backup");
}

TEST_P(HedgedCallTest, APrimaryThatFailsEarlyStillLeavesTheBackupItsChance) {
  emu().advance(10);
  emu().fail_http_call(callout(0));  // reset at 10 ms
  EXPECT_EQ(outcome(), "waiting");
  emu().advance(40);
  ASSERT_EQ(host().http_callouts().size(), 2u);
  emu().answer_http_call(callout(1), {{":status", "200"}});
  EXPECT_EQ(outcome(), "served by backup");
}

TEST_P(HedgedCallTest, EveryBranchFailingIs503) {
  emu().advance(50);
  emu().answer_http_call(callout(0), {{":status", "500"}});
  EXPECT_EQ(outcome(), "waiting");  // the backup may still succeed
  emu().fail_http_call(callout(1));
  EXPECT_EQ(outcome(), "503 no upstream answered");
}

TEST_P(HedgedCallTest, TheDeadlineIs504WhicheverSameInstantEventComesFirst) {
  for (auto order : {HostBehaviour::SameInstant::TickFirst, HostBehaviour::SameInstant::TimeoutFirst}) {
    HostBehaviour behaviour;
    behaviour.same_instant = order;
    start(behaviour);
    emu().advance(299);
    EXPECT_EQ(outcome(), "waiting");
    emu().advance(1);
    EXPECT_EQ(outcome(), "504 no answer in time");
    emu().answer_http_call(callout(0), {{":status", "200"}});  // dropped
    EXPECT_EQ(outcome(), "504 no answer in time");
  }
}

TEST_P(HedgedCallTest, AResetMidRaceSendsNothingMore) {
  emu().end_stream(stream_);
  emu().advance(1000);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
}

TEST_P(HedgedCallTest, ABadConfigurationIsRefused) {
  expect_refused({
      {R"({"hedge_after": "1s", "deadline": "500ms"})",
       "invalid plugin configuration: $.hedge_after: must be shorter than the deadline"},
      {R"({"deadline": -5})",
       "invalid plugin configuration: $.deadline: expected a duration from 0 up, got the number -5"},
      {R"({"primary": ["a"]})",
       "invalid plugin configuration: $.primary: expected a string, got an array"},
      {R"({"hedge": "50ms"})",
       "invalid plugin configuration: $.hedge: unknown field (known: primary, backup, path, "
       "hedge_after, deadline)"},
      {"{", "invalid plugin configuration: $: not JSON: line 1, column 2: Missing a name for "
            "object member."},
  });
}

}  // namespace
