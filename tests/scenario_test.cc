// The scenario runner's language: words, quotes, errors with line numbers.
#include "testing/scenario.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/native_plugin.h"

namespace coproxy::testing {
namespace {

TEST(ScenarioLine, SplitsWordsQuotesEscapesAndComments) {
  std::vector<std::string> words;
  std::string error;
  ASSERT_TRUE(split_scenario_line(R"(request_body s1 "a b\n\"c\"" end  # note)", &words, &error));
  EXPECT_EQ(words, (std::vector<std::string>{"request_body", "s1", "a b\n\"c\"", "end"}));
  ASSERT_TRUE(split_scenario_line(R"(answer_http 1 x="1 2" body="")", &words, &error));
  EXPECT_EQ(words, (std::vector<std::string>{"answer_http", "1", "x=1 2", "body="}));
  ASSERT_TRUE(split_scenario_line("   # only a comment", &words, &error));
  EXPECT_TRUE(words.empty());
  ASSERT_TRUE(split_scenario_line(R"(downstream c "line\r\n\t\\")", &words, &error));
  EXPECT_EQ(words[2], "line\r\n\t\\");
  EXPECT_FALSE(split_scenario_line(R"(request_body s1 "open)", &words, &error));
  EXPECT_EQ(error, "unterminated quote");
}

// An escape it does not know is an error, never a character dropped ("\q" is not "q").
TEST(ScenarioLine, AnUnknownEscapeIsAnError) {
  std::vector<std::string> words;
  std::string error;
  EXPECT_FALSE(split_scenario_line(R"(request_body s1 "a\qb")", &words, &error));
  EXPECT_EQ(error, R"(unknown escape \q (known: \n \t \r \" \\))");
  EXPECT_FALSE(split_scenario_line(R"(request_body s1 "a\)", &words, &error));
  EXPECT_EQ(error, R"(a \ at the end of the line)");
}

std::string run_error(const std::string& text) {
  std::vector<std::string> output;
  Scenario scenario(load_native("probe"),
                    [&](std::string_view line) { output.emplace_back(line); });
  EXPECT_FALSE(scenario.run(text));
  return scenario.error();
}

// A line that fails stops the run, and the trace says so where it stops.
TEST(Scenario, AFailedLineEndsTheTraceWithItsError) {
  std::vector<std::string> output;
  Scenario scenario(load_native("probe"),
                    [&](std::string_view line) { output.emplace_back(line); });
  EXPECT_FALSE(scenario.run("start\nanswer_http 4\nstream s\n"));
  ASSERT_FALSE(output.empty());
  EXPECT_EQ(output.back(), "!! line 2: answer_http: no callout number 4 (0 made so far)");
  EXPECT_EQ(run_error("start\nrequest_body s \"\\x\"\n"),
            R"(line 2: unknown escape \x (known: \n \t \r \" \\))");
}

TEST(Scenario, ErrorsNameTheLine) {
  EXPECT_EQ(run_error("start\nfrobnicate s1\n"), "line 2: unknown event 'frobnicate'");
  EXPECT_EQ(run_error("start\nrequest_headers s9 :path=/\n"), "line 2: no stream s9");
  EXPECT_EQ(run_error("stream s1\n"), "line 1: stream needs a started plugin (start)");
  EXPECT_EQ(run_error("start\nanswer_http 1\n"),
            "line 2: answer_http: no callout number 1 (0 made so far)");
  EXPECT_EQ(run_error("start\nbehaviour hold_body=off\n"),
            "line 2: behaviour must come before the first event");
  EXPECT_EQ(run_error("behaviour hold_body=maybe\n"), "line 1: unknown behaviour hold_body=maybe");
  EXPECT_EQ(run_error("start\nrequest_body s1 \"x\n"), "line 2: unterminated quote");
  std::vector<std::string> output;
  Scenario missing(load_native("no_such_plugin"), [&](std::string_view) {});
  EXPECT_FALSE(missing.run("start\n"));
  EXPECT_EQ(missing.error(), "line 1: the plugin is not linked into this runner");
}

TEST(Scenario, BehaviourSwitchesReachTheEmulator) {
  std::vector<std::string> output;
  Scenario scenario(load_native("probe"),
                    [&](std::string_view line) { output.emplace_back(line); });
  ASSERT_TRUE(scenario.run(
      "behaviour continue=reentrant\nstart\nstream s\n"
      "request_headers s x-callout=100\nrequest_body s \"b\" end\nanswer_http 1 :status=200\n"))
      << scenario.error();
  const std::vector<LogEntry>& logs = scenario.emulator()->host().logs();
  ASSERT_EQ(logs.size(), 4u);
  EXPECT_EQ(logs[2].message, "request_body 1 end");  // inside the continue: re-entrant
  EXPECT_EQ(logs[3].message, "response end");
}

std::vector<std::string> messages(Scenario& scenario) {
  std::vector<std::string> lines;
  for (const LogEntry& entry : scenario.emulator()->host().logs()) lines.push_back(entry.message);
  return lines;
}

TEST(Scenario, GrpcCommandsSendMetadataAndAStatusMessage) {
  Scenario scenario(load_native("fidelity_probe"), [](std::string_view) {});
  // Callout 1 is the live VM's stream: the canary's, reset unanswered, is not counted.
  ASSERT_TRUE(
      scenario.run("start root_id=startup\n"
                   "grpc_initial_metadata 1 a=1 b=2\ngrpc_message 1 \"m\"\n"
                   "grpc_trailing_metadata 1 t=1\ngrpc_close 1 13 \"broken pipe\"\n"))
      << scenario.error();
  std::vector<std::string> logs = messages(scenario);
  ASSERT_EQ(logs.size(), 10u);  // the start (3 lines) in the canary VM and in this one
  EXPECT_EQ(
      std::vector<std::string>(logs.begin() + 6, logs.end()),
      (std::vector<std::string>{"watch initial metadata 2", "watch message m",
                                "watch trailing metadata 1", "watch close INTERNAL broken pipe"}));
  EXPECT_EQ(run_error("start\ngrpc_frob 1\n"), "line 2: unknown event 'grpc_frob'");
  EXPECT_EQ(run_error("start\ngrpc_close 1 0\n"),
            "line 2: grpc_close: no callout number 1 (0 made so far)");
}

TEST(Scenario, CanaryAndGrpcDeadlineSwitches) {
  Scenario scenario(load_native("fidelity_probe"), [](std::string_view) {});
  ASSERT_TRUE(
      scenario.run("behaviour canary=off grpc_deadline=unavailable\n"
                   "start root_id=grpc\nstream s\n"
                   "request_headers s x-grpc=unary x-timeout=100 end\nadvance 100\n"))
      << scenario.error();
  EXPECT_EQ(messages(scenario),
            (std::vector<std::string>{"plugin start ", "unary call OK", "unary UNAVAILABLE "}));
  EXPECT_EQ(run_error("behaviour canary=maybe\n"), "line 1: unknown behaviour canary=maybe");
  EXPECT_EQ(run_error("behaviour grpc_deadline=never\n"),
            "line 1: unknown behaviour grpc_deadline=never");
}

// Shared data another VM wrote, a race with another writer, a host call failed on purpose.
TEST(Scenario, SharedDataRacesAndFaults) {
  std::vector<std::string> shown;
  Scenario scenario(load_native("everyday_probe"), [&](std::string_view line) {
    if (line.starts_with("   ") && !line.starts_with("    ")) shown.emplace_back(line);
  });
  ASSERT_TRUE(scenario.run(
      "start config=x-tag\nshared_data hits \"40\"\nshared_data_race hits \"41\"\n"
      "stream a\nrequest_headers a x-mode=count end\nlogs\n"
      "fault proxy_set_shared_data INTERNAL_FAILURE\n"
      "stream b\nrequest_headers b x-mode=count end\nlogs\n"))
      << scenario.error();
  // The first add met the other writer's 41 (CAS_MISMATCH), read it again and wrote 42.
  // (Without the race it would be 41.) Then the failed set: the add's error (10, INTERNAL_FAILURE).
  EXPECT_EQ(shown, (std::vector<std::string>{"   [info] count 42 0", "   [info] count error 10 0"}));
  EXPECT_EQ(run_error("start\nfault proxy_get_shared_data MAYBE\n"),
            "line 2: fault needs an import and a status: fault proxy_set_shared_data CAS_MISMATCH");
  EXPECT_EQ(run_error("start\nshared_data k\n"), "line 2: shared_data needs a key and a value");
}

TEST(Scenario, MetricsAndLogsArePrinted) {
  std::vector<std::string> shown;  // what the commands print (indented), not the trace
  Scenario scenario(load_native("everyday_probe"), [&](std::string_view line) {
    if (line.starts_with("   ") && !line.starts_with("    ")) shown.emplace_back(line);
  });
  ASSERT_TRUE(
      scenario.run("metrics\nstart config=x-tag\nstream s\n"
                   "request_headers s x-mode=count end\nmetrics\nlogs\nlogs\n"))
      << scenario.error();
  EXPECT_EQ(shown,
            (std::vector<std::string>{"   (no metrics)", "   everyday_requests_total (counter): 1",
                                      "   everyday_jobs_queue=jobs (counter): 0",
                                      "   everyday_ms (histogram): 0", "   [info] count 1 0",
                                      "   (no new log lines)"}));
}

}  // namespace
}  // namespace coproxy::testing
