// foreign_call_on_tick on both backends: the host's function called on every tick with the
// tick's argument and its answer logged in hex; an unknown function and a failing one logged
// as errors (the ticks go on); a bad configuration refused with the operator's message.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using Logs = std::vector<std::string>;

class ForeignCallOnTickTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override {
    host().register_foreign_function("reverse", [this](std::string_view arguments) {
      calls_.emplace_back(arguments);
      return std::optional<std::string>(std::string(arguments.rbegin(), arguments.rend()));
    });
    host().register_foreign_function("broken", [](std::string_view) {
      return std::optional<std::string>();  // the function fails
    });
  }
  std::vector<std::string> calls_;
};
COPROXY_PLUGIN_TEST_SUITE(ForeignCallOnTickTest, "foreign_call_on_tick");

TEST_P(ForeignCallOnTickTest, CallsTheFunctionOnEveryTick) {
  const uint32_t root = emu().start_plugin(R"({"function": "reverse", "period": 200})");
  EXPECT_EQ(host().tick_period_ms(root), 200u);
  emu().advance(199);
  EXPECT_TRUE(calls_.empty());
  emu().advance(1);
  emu().advance(200);
  EXPECT_EQ(calls_, (std::vector<std::string>{"tick 1", "tick 2"}));
  // "1 kcit" and "2 kcit" in hex.
  EXPECT_EQ(log_messages(), (Logs{"foreign_call_on_tick: reverse(\"tick 1\") = 31206b636974",
                          "foreign_call_on_tick: reverse(\"tick 2\") = 32206b636974"}));
}

TEST_P(ForeignCallOnTickTest, TheDefaultIsCompressEverySecond) {
  const uint32_t root = emu().start_plugin();
  EXPECT_EQ(host().tick_period_ms(root), 1000u);
  host().register_foreign_function("compress", [](std::string_view) {
    return std::optional<std::string>(std::string("\x78\x9c", 2));
  });
  emu().advance(1000);
  EXPECT_EQ(log_messages(), Logs{"foreign_call_on_tick: compress(\"tick 1\") = 789c"});
}

TEST_P(ForeignCallOnTickTest, AnUnknownFunctionIsALoggedError) {
  emu().start_plugin(R"({"function": "nosuch", "period": "100ms"})");
  emu().advance(200);
  EXPECT_EQ(log_messages(), (Logs{"foreign_call_on_tick: nosuch(\"tick 1\") failed: NOT_FOUND",
                          "foreign_call_on_tick: nosuch(\"tick 2\") failed: NOT_FOUND"}));
  EXPECT_EQ(host().logs().back().level, coproxy::LogLevel::Error);
}

TEST_P(ForeignCallOnTickTest, AFailingFunctionIsALoggedError) {
  emu().start_plugin(R"({"function": "broken", "period": "100ms"})");
  emu().advance(100);
  EXPECT_EQ(log_messages(), Logs{"foreign_call_on_tick: broken(\"tick 1\") failed: INTERNAL_FAILURE"});
}

TEST_P(ForeignCallOnTickTest, ThePeriodAloneKeepsCompress) {
  const uint32_t root = emu().start_plugin(R"({"period": "2s"})");
  EXPECT_EQ(host().tick_period_ms(root), 2000u);
  emu().advance(2000);
  EXPECT_EQ(log_messages(), Logs{"foreign_call_on_tick: compress(\"tick 1\") failed: NOT_FOUND"});
}

TEST_P(ForeignCallOnTickTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"function": "reverse", "period": "often"})",
       "invalid plugin configuration: $.period: expected a number of milliseconds or a duration "
       "such as \"250ms\", \"1.5s\", \"2m\", got the string \"often\""},
      {R"({"function": ["reverse"]})",
       "invalid plugin configuration: $.function: expected a string, got an array"},
      {R"({"function": ""})", "invalid plugin configuration: $.function: must name a function"},
      {R"({"period": 0})", "invalid plugin configuration: $.period: must be at least 1ms"},
      {R"({"fucntion": "reverse"})",
       "invalid plugin configuration: $.fucntion: unknown field (known: function, period)"},
      {"reverse 200", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
