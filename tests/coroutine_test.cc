// The coroutine layer through tests/coro/coro_probe on both backends: every awaitable's
// success, immediate failure, failure answer, timeout and stream reset while waiting; the
// ordering rules of a stream; many streams; timers; background tasks. Each awaiting frame
// holds a witness that logs "destroyed <name>", so a test sees when a frame dies. The fixture
// fails a test that makes an illegal host call (the effective context is checked on every
// resumption) or traps.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

constexpr const char* kBadArgument = "2";
constexpr const char* kNotFound = "1";
constexpr const char* kBrokenConnection = "11";
constexpr const char* kCancelled = "258";

class CoroutineTest : public PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  void restart(HostBehaviour behaviour, std::string config = "") {
    reset_emulator(behaviour);
    root_ = emu().start_plugin(std::move(config));
  }

  // A stream whose request headers are `headers`; last_ is the host's answer.
  uint32_t request(Pairs headers, bool end_of_stream = false) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers), end_of_stream);
    return stream;
  }
  void clear_logs_mark() { mark_ = host().logs().size(); }
  std::vector<std::string> new_logs() {
    std::vector<std::string> all = log_messages();
    return std::vector<std::string>(all.begin() + static_cast<long>(mark_), all.end());
  }
  const StreamState& stream(uint32_t id) { return host().stream(id); }
  std::vector<StreamType> continued(uint32_t id) { return host().stream(id).continued; }
  uint32_t queue_id() {
    uint32_t id = 0;
    host().resolve_shared_queue(Host::kVmId, "jobs", &id);
    return id;
  }
  void enqueue(const std::string& message) {
    ASSERT_EQ(host().enqueue_shared_queue(queue_id(), message), StatusCode::Ok);
    emu().deliver_queue_ready();
  }

  uint32_t root_ = 0;
  Emulator::Delivery last_;
  size_t mark_ = 0;
  using Logs = std::vector<std::string>;
};
COPROXY_PLUGIN_TEST_SUITE(CoroutineTest, "coro_probe");

const std::vector<StreamType> kRequestContinued = {StreamType::HttpRequest};

// ---- callbacks as tasks ----

TEST_P(CoroutineTest, ATaskThatDoesNotSuspendAnswersAtOnce) {
  const uint32_t s = request({{"x-mode", "none"}}, true);
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(stream(s).maps[2].back(), (std::pair<std::string, std::string>{"x-coro", "1"}));
  EXPECT_TRUE(continued(s).empty());  // nothing to continue: the host was never paused
}

TEST_P(CoroutineTest, AwaitingTasksThatFinishAtOnceUsesNoStack) {
  request({{"x-mode", "loop"}});
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_EQ(log_messages(), (Logs{"loop 100000", "destroyed headers"}));
}

// ---- HTTP callout ----

TEST_P(CoroutineTest, CalloutAnsweredContinuesTheRequest) {
  const uint32_t s = request({{"x-mode", "callout"}});
  EXPECT_EQ(last_, Action::Pause);
  EXPECT_TRUE(log_messages().empty());  // the frame waits
  ASSERT_EQ(host().http_callouts().size(), 1u);
  const HttpCallout& callout = host().http_callouts()[0];
  EXPECT_EQ(callout.upstream, "auth");
  EXPECT_EQ(callout.context_id, s);
  EXPECT_EQ(callout.timeout_ms, 1000u);
  emu().answer_http_call(callout.token, {{":status", "200"}, {"x-user", "ada"}}, "ok");
  EXPECT_EQ(log_messages(), (Logs{"callout 200 ada ok", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
  EXPECT_EQ(stream(s).maps[0].back(), (std::pair<std::string, std::string>{"x-user", "ada"}));
  EXPECT_FALSE(stream(s).local_response.has_value());
}

TEST_P(CoroutineTest, AReplyIsReadLazilyWhileTheHostHoldsIt) {
  request({{"x-mode", "callout"}});
  host().enable_trace();
  emu().answer_http_call(host().http_callouts()[0].token,
                         {{":status", "200"}, {"x-user", "ada"}, {"x-role", "admin"}}, "ok");
  // The filter reads :status, x-user and the body: one host call each, not the whole map.
  size_t single_reads = 0, whole_reads = 0;
  for (const std::string& line : host().trace()) {
    if (line.find("proxy_get_header_map_value(http_call_response_headers") != std::string::npos) {
      ++single_reads;
    }
    if (line.find("proxy_get_header_map_pairs(http_call_response") != std::string::npos) {
      ++whole_reads;
    }
  }
  EXPECT_EQ(single_reads, 2u);  // :status once (kept as a number), x-user once (used twice)
  EXPECT_EQ(whole_reads, 0u);
  EXPECT_EQ(log_messages(), (Logs{"callout 200 ada ok", "destroyed headers"}));
}

TEST_P(CoroutineTest, AReplyReadForManyHeadersReadsThemWholeOnce) {
  request({{"x-mode", "many"}});
  host().enable_trace();
  emu().answer_http_call(host().http_callouts()[0].token,
                         {{":status", "200"},
                          {"x-a", "1"},
                          {"x-b", "2"},
                          {"x-c", "3"},
                          {"x-d", "4"},
                          {"x-a-name-longer-than-23-bytes", "5"}});
  // x-a and x-b one by one; x-c and everything after (:status too) from one read of the whole
  // map.
  std::vector<std::string> single_reads;
  size_t whole_reads = 0;
  for (const std::string& line : host().trace()) {
    if (line.find("proxy_get_header_map_value(http_call_response_headers") != std::string::npos) {
      single_reads.push_back(line);
    }
    if (line.find("proxy_get_header_map_pairs(http_call_response_headers") != std::string::npos) {
      ++whole_reads;
    }
  }
  EXPECT_EQ(single_reads.size(), 2u) << ::testing::PrintToString(single_reads);
  EXPECT_EQ(whole_reads, 1u);
  EXPECT_EQ(log_messages(), (Logs{"many 200 1 2 3 1 5 1 2 4 6", "destroyed headers"}));
}

TEST_P(CoroutineTest, AReplyKeptAcrossAnAwaitIsReadWholeWhenItsCallbackReturns) {
  const uint32_t s = request({{"x-mode", "kept"}});
  emu().answer_http_call(host().http_callouts()[0].token,
                         {{":status", "200"}, {"x-user", "ada"}, {"x-role", "admin"}}, "ok",
                         {{"x-t", "1"}});
  EXPECT_TRUE(log_messages().empty());  // asleep, holding the reply
  emu().advance(10);
  // The host no longer holds the answer: the values come from what the reply read.
  EXPECT_EQ(log_messages(),
            (Logs{"kept 200 ada admin ok 3 1", "moved ada admin 1 read 0", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, AReplyReadTheHostFailsReadsAsAbsentAndSaysSo) {
  request({{"x-mode", "kept"}});
  // The filter's first read of the answer (x-user, while the host holds it) fails.
  host().inject_fault("proxy_get_header_map_value", StatusCode::InternalFailure);
  emu().answer_http_call(host().http_callouts()[0].token,
                         {{":status", "200"}, {"x-user", "ada"}, {"x-role", "admin"}}, "ok");
  emu().advance(10);
  // x-user stays absent; what was read whole when the callback returned is there.
  EXPECT_EQ(log_messages(),
            (Logs{"kept 200  admin ok 3 0", "moved  admin none read 10", "destroyed headers"}));
}

TEST_P(CoroutineTest, CalloutTheHostRefusesFailsWithoutSuspending) {
  const uint32_t s = request({{"x-mode", "bad-callout"}});
  EXPECT_EQ(last_, Action::Pause);  // the local reply
  EXPECT_EQ(log_messages(), (Logs{std::string("callout error ") + kBadArgument, "destroyed headers"}));
  ASSERT_TRUE(stream(s).local_response.has_value());
  EXPECT_EQ(stream(s).local_response->status_code, 403u);
  EXPECT_TRUE(host().http_callouts().empty());
}

TEST_P(CoroutineTest, FailedCalloutIsAnErrorAndTheTaskAnswersLocally) {
  const uint32_t s = request({{"x-mode", "callout"}});
  emu().fail_http_call(host().http_callouts()[0].token);
  EXPECT_EQ(log_messages(), (Logs{std::string("callout error ") + kBrokenConnection, "destroyed headers"}));
  ASSERT_TRUE(stream(s).local_response.has_value());
  EXPECT_EQ(stream(s).local_response->status_code, 403u);
  EXPECT_TRUE(continued(s).empty());  // answered locally: nothing is continued
  // The host ran the reply through the response callbacks: the response task stamped it, as
  // it stamps an upstream's response (tests/local_reply_test: the same in every style).
  EXPECT_EQ(stream(s).maps[2], (Pairs{{":status", "403"}, {"x-coro", "1"}}));
  EXPECT_EQ(stream(s).response.forwarded, "denied");
}

TEST_P(CoroutineTest, CalloutTimesOut) {
  const uint32_t s = request({{"x-mode", "callout"}, {"x-timeout", "300"}});
  emu().advance(299);
  EXPECT_TRUE(log_messages().empty());
  emu().advance(1);
  EXPECT_EQ(log_messages(), (Logs{std::string("callout error ") + kBrokenConnection, "destroyed headers"}));
  EXPECT_EQ(stream(s).local_response->status_code, 403u);
}

TEST_P(CoroutineTest, StreamResetWhileACalloutWaitsDestroysTheFrame) {
  const uint32_t s = request({{"x-mode", "callout"}});
  const uint32_t token = host().http_callouts()[0].token;
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
  emu().answer_http_call(token, {{":status", "200"}, {"x-user", "late"}});  // dropped
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
  EXPECT_TRUE(continued(s).empty());
}

TEST_P(CoroutineTest, NestedTasksResumeUpTheChainAndDieTogether) {
  const uint32_t s = request({{"x-mode", "nested"}});
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}, {"x-user", "bo"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed lookup", "nested bo", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);

  clear_logs_mark();
  const uint32_t reset = request({{"x-mode", "nested"}});
  emu().end_stream(reset);  // both frames go, the inner one first
  EXPECT_EQ(new_logs(), (Logs{"destroyed lookup", "destroyed headers"}));
}

// ---- combinators ----

TEST_P(CoroutineTest, WhenAllWaitsForBothAndKeepsEachError) {
  const uint32_t s = request({{"x-mode", "all"}});
  ASSERT_EQ(host().http_callouts().size(), 2u);  // both in flight at once
  emu().fail_http_call(host().http_callouts()[1].token);
  EXPECT_TRUE(log_messages() == Logs{"destroyed branch b"});  // b done; still waiting for a
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch b", "destroyed branch a",
                          std::string("all 200 error ") + kBrokenConnection, "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, WhenAnyTakesTheFirstAndCancelsTheOther) {
  const uint32_t s = request({{"x-mode", "any"}});
  ASSERT_EQ(host().http_callouts().size(), 2u);
  const uint32_t backup = host().http_callouts()[1].token;
  emu().answer_http_call(backup, {{":status", "203"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch backup", "destroyed branch primary", "any 1 203",
                          "destroyed headers"}));
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});  // dropped
  EXPECT_EQ(log_messages().size(), 4u);
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, TimeoutFiresOrDoesNot) {
  request({{"x-mode", "timeout"}, {"x-ms", "100"}});
  emu().advance(100);
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch slow", "timeout error 257", "destroyed headers"}));
  const uint32_t late = host().http_callouts()[0].token;
  emu().answer_http_call(late, {{":status", "200"}});  // dropped
  EXPECT_EQ(log_messages().size(), 3u);

  clear_logs_mark();
  request({{"x-mode", "timeout"}, {"x-ms", "100"}});
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}});
  EXPECT_EQ(new_logs(), (Logs{"destroyed branch slow", "timeout 200", "destroyed headers"}));
  emu().advance(1000);  // the timer went with the loser: nothing fires, the tick goes off
  EXPECT_EQ(new_logs().size(), 3u);
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
}

// A deadline and the callout's own timeout due at the same instant: Envoy may deliver either
// first, and the emulator's switch shows both (docs/coroutines.md: pick the callout's timeout
// past the deadline).
TEST_P(CoroutineTest, ADeadlineAndACalloutTimeoutAtOneInstantComeInEitherOrder) {
  const std::pair<HostBehaviour::SameInstant, std::string> orders[] = {
      {HostBehaviour::SameInstant::TickFirst, "timeout error 257"},
      {HostBehaviour::SameInstant::TimeoutFirst, std::string("timeout error ") + kBrokenConnection},
  };
  for (const auto& [order, outcome] : orders) {
    HostBehaviour behaviour;
    behaviour.same_instant = order;
    restart(behaviour);
    request({{"x-mode", "timeout"}, {"x-ms", "340"}, {"x-timeout", "340"}});
    emu().advance(340);
    EXPECT_EQ(log_messages(), (Logs{"destroyed branch slow", outcome, "destroyed headers"}));
  }
}

TEST_P(CoroutineTest, StreamResetWhileCombinatorsWaitDestroysEveryBranch) {
  const uint32_t all = request({{"x-mode", "all"}});
  const uint32_t any = request({{"x-mode", "any"}});
  emu().end_stream(all);
  emu().end_stream(any);
  EXPECT_EQ(log_messages(),
            (Logs{"destroyed branch b", "destroyed branch a", "destroyed headers",
                  "destroyed branch backup", "destroyed branch primary", "destroyed headers"}));
  for (const HttpCallout& callout : host().http_callouts()) {
    emu().answer_http_call(callout.token, {{":status", "200"}});  // all dropped
  }
  EXPECT_EQ(log_messages().size(), 6u);
}

// ---- combinators over a list, races that want a success ----

TEST_P(CoroutineTest, WhenAllOverAListWaitsForEveryBranchAndKeepsTheirOrder) {
  const uint32_t s = request({{"x-mode", "all-list"}, {"x-count", "3"}});
  ASSERT_EQ(host().http_callouts().size(), 3u);  // all in flight at once
  EXPECT_EQ(host().http_callouts()[2].upstream, "svc-2");
  emu().answer_http_call(host().http_callouts()[2].token, {{":status", "202"}});
  emu().fail_http_call(host().http_callouts()[0].token);
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch 2", "destroyed branch 0"}));  // still waiting for 1
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "201"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch 2", "destroyed branch 0", "destroyed branch 1",
                          std::string("all-list error ") + kBrokenConnection + " 201 202",
                          "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, WhenAllOverAnEmptyListGoesOnAtOnce) {
  request({{"x-mode", "all-list"}, {"x-count", "0"}});  // the callback did not suspend
  EXPECT_TRUE(host().http_callouts().empty());
  EXPECT_EQ(log_messages(), (Logs{"all-list", "destroyed headers"}));
}

TEST_P(CoroutineTest, WhenAllOkOverAListStopsAtTheFirstFailure) {
  request({{"x-mode", "all-ok-list"}, {"x-count", "3"}});
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "503"}});  // fails
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch 0", "destroyed branch 1", "destroyed branch 2",
                          std::string("all-ok-list 200 503 error ") + kCancelled,
                          "destroyed headers"}));
  emu().answer_http_call(host().http_callouts()[2].token, {{":status", "200"}});  // dropped
  EXPECT_EQ(log_messages().size(), 5u);
}

TEST_P(CoroutineTest, WhenAnyOverAListNamesItsWinner) {
  request({{"x-mode", "any-list"}, {"x-count", "4"}});
  emu().answer_http_call(host().http_callouts()[2].token, {{":status", "204"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch 2", "destroyed branch 0", "destroyed branch 1",
                          "destroyed branch 3", "any-list 2 204", "destroyed headers"}));
}

TEST_P(CoroutineTest, WinnerReadsAFixedRaceOfOneType) {
  request({{"x-mode", "any-winner"}});
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch backup", "destroyed branch primary",
                          "any-winner 1 200", "destroyed headers"}));
}

TEST_P(CoroutineTest, AHedgeSendsItsBackupOnlyAfterTheDelay) {
  const uint32_t s = request({{"x-mode", "hedge"}, {"x-ms", "50"}});
  ASSERT_EQ(host().http_callouts().size(), 1u);  // the primary alone
  emu().advance(49);
  EXPECT_EQ(host().http_callouts().size(), 1u);
  emu().advance(1);
  ASSERT_EQ(host().http_callouts().size(), 2u);  // the backup leaves at 50 ms
  EXPECT_EQ(host().http_callouts()[1].upstream, "backup");
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch backup", "destroyed branch primary", "hedge 1 200",
                          "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, AHedgeWhosePrimaryFailsEarlyStillTriesTheBackup) {
  request({{"x-mode", "hedge"}, {"x-ms", "50"}});
  emu().fail_http_call(host().http_callouts()[0].token);  // reset before the hedge delay
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch primary"}));  // no answer yet: the backup may win
  emu().advance(50);
  ASSERT_EQ(host().http_callouts().size(), 2u);
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch primary", "destroyed branch backup", "hedge 1 200",
                          "destroyed headers"}));
}

TEST_P(CoroutineTest, AHedgeWhoseBranchesAllFailGivesTheLastFailure) {
  request({{"x-mode", "hedge"}, {"x-ms", "50"}});
  emu().advance(50);
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "503"}});
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "500"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch backup", "destroyed branch primary", "hedge 0 500",
                          "destroyed headers"}));
}

TEST_P(CoroutineTest, AHedgeAnsweredBeforeItsDelaySendsNoBackup) {
  const uint32_t s = request({{"x-mode", "hedge"}, {"x-ms", "50"}});
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch primary", "hedge 0 200", "destroyed headers"}));
  emu().advance(1000);
  EXPECT_EQ(host().http_callouts().size(), 1u);  // the delay went with its branch
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, AStreamResetDuringAHedgeDelaySendsNothingMore) {
  const uint32_t s = request({{"x-mode", "hedge"}, {"x-ms", "50"}});
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), (Logs{"destroyed branch primary", "destroyed headers"}));
  emu().advance(1000);
  EXPECT_EQ(host().http_callouts().size(), 1u);
}

// ---- gRPC unary ----

TEST_P(CoroutineTest, GrpcCallAnswered) {
  const uint32_t s = request({{"x-mode", "grpc"}});
  ASSERT_EQ(host().grpc_callouts().size(), 1u);
  const GrpcCallout& call = host().grpc_callouts()[0];
  EXPECT_EQ(call.service, "pkg.Auth");
  EXPECT_EQ(call.method, "Check");
  EXPECT_EQ(call.messages, std::vector<std::string>{"ping"});
  emu().grpc_message(call.token, "pong");
  EXPECT_EQ(log_messages(), (Logs{"grpc status 0 pong", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, GrpcCallRefusedFailedAndTimedOut) {
  request({{"x-mode", "grpc"}, {"x-cluster", ""}});  // the host knows no such cluster
  EXPECT_EQ(log_messages(), (Logs{std::string("grpc error ") + kBadArgument, "destroyed headers"}));

  clear_logs_mark();
  request({{"x-mode", "grpc"}});
  emu().grpc_close(host().grpc_callouts().back().token, 14, "unavailable");
  EXPECT_EQ(new_logs(), (Logs{"grpc status 14 unavailable", "destroyed headers"}));

  clear_logs_mark();
  request({{"x-mode", "grpc"}, {"x-timeout", "200"}});
  emu().advance(200);  // Envoy's router answers its timeout with DEADLINE_EXCEEDED
  EXPECT_EQ(new_logs(), (Logs{"grpc status 4 upstream request timeout", "destroyed headers"}));
}

TEST_P(CoroutineTest, StreamResetWhileAGrpcCallWaitsCancelsIt) {
  const uint32_t s = request({{"x-mode", "grpc"}});
  const uint32_t token = host().grpc_callouts()[0].token;
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
  EXPECT_TRUE(host().find_grpc(token)->cancelled);
  emu().grpc_message(token, "late");
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
}

// ---- gRPC stream ----

TEST_P(CoroutineTest, GrpcStreamDeliversEveryEventInOrder) {
  const uint32_t s = request({{"x-mode", "grpc-stream"}});
  ASSERT_EQ(host().grpc_callouts().size(), 1u);
  const uint32_t token = host().grpc_callouts()[0].token;
  EXPECT_TRUE(host().grpc_callouts()[0].is_stream);
  EXPECT_EQ(host().grpc_callouts()[0].messages, std::vector<std::string>{"first"});
  emu().grpc_initial_metadata(token, {{"a", "1"}});
  emu().grpc_message(token, "m1");
  emu().grpc_message(token, "m2");
  emu().grpc_trailing_metadata(token, {});
  emu().grpc_close(token, 0);
  EXPECT_EQ(log_messages(),
            (Logs{"stream open 0", "stream metadata 1", "stream message m1", "stream message m2",
                  "stream trailers 0", "stream close 0", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
  EXPECT_FALSE(host().find_grpc(token)->cancelled);
}

TEST_P(CoroutineTest, GrpcStreamRefusedOrClosedWithAFailure) {
  request({{"x-mode", "grpc-stream"}, {"x-cluster", ""}});
  EXPECT_EQ(log_messages(), (Logs{std::string("stream open ") + kBadArgument, "destroyed headers"}));
  EXPECT_TRUE(host().grpc_callouts().empty());

  clear_logs_mark();
  request({{"x-mode", "grpc-stream"}});
  emu().grpc_close(host().grpc_callouts().back().token, 14, "unavailable");
  // Envoy sends (empty) trailing metadata before every close.
  EXPECT_EQ(new_logs(),
            (Logs{"stream open 0", "stream trailers 0", "stream close 14", "destroyed headers"}));
  // The remote end closed it; the SDK closed this side, so the host freed the stream.
  EXPECT_TRUE(host().grpc_callouts().back().closed);
  EXPECT_EQ(host().open_grpc_streams(), 0u);
}

TEST_P(CoroutineTest, GrpcStreamResetWhileOpen) {
  request({{"x-mode", "grpc-stream"}});
  const uint32_t token = host().grpc_callouts()[0].token;
  emu().grpc_message(token, "m1");
  const uint32_t s = static_cast<uint32_t>(host().grpc_callouts()[0].context_id);
  emu().end_stream(s);
  EXPECT_TRUE(host().find_grpc(token)->cancelled);
  // Envoy sends (empty) initial metadata before the first message.
  EXPECT_EQ(log_messages(),
            (Logs{"stream open 0", "stream metadata 0", "stream message m1", "destroyed headers"}));
  emu().grpc_message(token, "late");
  emu().grpc_close(token, 0);
  EXPECT_EQ(log_messages().size(), 4u);
  EXPECT_EQ(host().open_grpc_streams(), 0u);
}

// ---- timers ----

TEST_P(CoroutineTest, TimersInTwoStreamsShareTheTickWithThePluginsOwnTick) {
  restart({}, "user-tick");
  const uint32_t slow = request({{"x-mode", "sleep"}, {"x-ms", "300"}, {"x-name", "slow"}});
  const uint32_t fast = request({{"x-mode", "sleep"}, {"x-ms", "100"}, {"x-name", "fast"}});
  EXPECT_EQ(last_, Action::Pause);
  emu().advance(400);
  EXPECT_EQ(log_messages(), (Logs{"slept 0 fast", "destroyed headers", "user tick 150", "user tick 300",
                          "slept 0 slow", "destroyed headers"}));
  EXPECT_EQ(continued(fast), kRequestContinued);
  EXPECT_EQ(continued(slow), kRequestContinued);
  emu().advance(50);
  EXPECT_EQ(log_messages().back(), "user tick 450");
  EXPECT_EQ(host().tick_period_ms(root_), 150u);  // only the plugin's own tick is left
}

TEST_P(CoroutineTest, ARawPeriodicTickKeepsWorkingWhileQueuesAreAwaited) {
  restart({}, "raw-tick");
  request({{"x-mode", "dequeue"}, {"x-name", "a"}});  // waits on a queue, not on a timer
  emu().advance(200);
  EXPECT_EQ(log_messages(), (Logs{"user tick 100", "user tick 200"}));
}

TEST_P(CoroutineTest, TheTickGoesOffWhenNoTimerIsLeft) {
  request({{"x-mode", "sleep"}, {"x-ms", "100"}});
  EXPECT_EQ(host().tick_period_ms(root_), 100u);
  emu().advance(100);
  EXPECT_EQ(log_messages().front(), "slept 0 ");
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
}

TEST_P(CoroutineTest, StreamResetWhileSleepingCancelsTheTimer) {
  const uint32_t s = request({{"x-mode", "sleep"}, {"x-ms", "100"}});
  emu().end_stream(s);
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
  emu().advance(1000);
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});  // never fired
  EXPECT_EQ(host().tick_period_ms(root_), 0u);   // and the tick went off
}

// ---- shared queues ----

TEST_P(CoroutineTest, DequeueWaitsForAMessage) {
  const uint32_t s = request({{"x-mode", "dequeue"}, {"x-name", "a"}});
  EXPECT_EQ(last_, Action::Pause);
  enqueue("job1");
  EXPECT_EQ(log_messages(), (Logs{"dequeued job1 a", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, AReadySignalMayFindTheQueueEmpty) {
  request({{"x-mode", "dequeue"}, {"x-name", "a"}});
  request({{"x-mode", "dequeue"}, {"x-name", "b"}});
  enqueue("m1");  // wakes both; b finds it empty and waits again
  EXPECT_EQ(log_messages(), (Logs{"dequeued m1 a", "destroyed headers"}));
  enqueue("m2");
  EXPECT_EQ(log_messages(),
            (Logs{"dequeued m1 a", "destroyed headers", "dequeued m2 b", "destroyed headers"}));
}

TEST_P(CoroutineTest, DequeueWithoutWaitingAndFromAnUnknownQueue) {
  request({{"x-mode", "dequeue"}, {"x-name", "first"}});  // registers "jobs", waits
  enqueue("m1");
  ASSERT_EQ(host().enqueue_shared_queue(queue_id(), "ready"), StatusCode::Ok);
  clear_logs_mark();
  request({{"x-mode", "dequeue"}, {"x-name", "now"}});
  EXPECT_EQ(last_, Action::Continue);  // a message was there: no suspension
  EXPECT_EQ(new_logs(), (Logs{"dequeued ready now", "destroyed headers"}));

  clear_logs_mark();
  request({{"x-mode", "dequeue"}, {"x-queue", "unknown"}, {"x-name", "x"}});
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_EQ(new_logs(),
            (Logs{std::string("dequeued error ") + kNotFound + " x", "destroyed headers"}));
}

TEST_P(CoroutineTest, StreamResetWhileDequeueWaits) {
  const uint32_t s = request({{"x-mode", "dequeue"}, {"x-name", "a"}});
  emu().end_stream(s);
  enqueue("m1");
  EXPECT_EQ(log_messages(), Logs{"destroyed headers"});
  EXPECT_EQ(host().queue_contents(queue_id()), std::vector<std::string>{"m1"});  // not taken
}

// ---- order per stream ----

TEST_P(CoroutineTest, BodyHeldByTheHostRunsAfterTheHeadersTask) {
  const uint32_t s = request({{"x-mode", "callout"}});
  EXPECT_EQ(emu().send_request_body(s, "abc", true), std::nullopt);  // the host holds it
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}, {"x-user", "a"}});
  EXPECT_EQ(log_messages(), (Logs{"callout 200 a ", "destroyed headers", "request_body 3 end"}));
  EXPECT_EQ(stream(s).request.forwarded, "abc");
  EXPECT_EQ(continued(s), kRequestContinued);
}

TEST_P(CoroutineTest, BodyDeliveredWhileTheHeadersTaskWaitsIsHeldBySdk) {
  HostBehaviour behaviour;
  behaviour.header_pause_holds_body = false;
  restart(behaviour);
  const uint32_t s = request({{"x-mode", "callout"}});
  EXPECT_EQ(emu().send_request_body(s, "ab", false), Action::Pause);  // held by the SDK
  EXPECT_EQ(emu().send_request_body(s, "c", true), Action::Pause);    // one event with it
  EXPECT_TRUE(log_messages().empty());
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}, {"x-user", "a"}});
  EXPECT_EQ(log_messages(), (Logs{"callout 200 a ", "destroyed headers", "request_body 3 end"}));
  EXPECT_EQ(stream(s).request.forwarded, "abc");
  EXPECT_EQ(continued(s), kRequestContinued);  // once, after the last held task
}

TEST_P(CoroutineTest, HeldBodyTaskThatSuspendsBelongsToItsStream) {
  HostBehaviour behaviour;
  behaviour.header_pause_holds_body = false;
  restart(behaviour);
  const uint32_t s = request({{"x-mode", "callout"}, {"x-body-sleep", "50"}});
  emu().send_request_body(s, "abc", true);  // held by the SDK
  // The body task starts when the callout's answer finishes the headers task, and sleeps.
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}, {"x-user", "a"}});
  EXPECT_TRUE(continued(s).empty());
  emu().advance(50);
  EXPECT_EQ(log_messages(), (Logs{"callout 200 a ", "destroyed headers", "request_body 3 end"}));
  EXPECT_EQ(continued(s), kRequestContinued);
  EXPECT_EQ(stream(s).request.forwarded, "abc");
}

TEST_P(CoroutineTest, HostThatDeliversInsideContinue) {
  HostBehaviour behaviour;
  behaviour.continue_delivery = HostBehaviour::ContinueDelivery::Reentrant;
  restart(behaviour);
  const uint32_t s = request({{"x-mode", "callout"}});
  emu().send_request_body(s, "abc", true);
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}, {"x-user", "a"}});
  EXPECT_EQ(log_messages(), (Logs{"callout 200 a ", "destroyed headers", "request_body 3 end"}));
  EXPECT_EQ(stream(s).request.forwarded, "abc");
}

TEST_P(CoroutineTest, BodyTaskThatSuspendsToo) {
  const uint32_t s = request({{"x-mode", "callout"}, {"x-body-sleep", "50"}});
  emu().send_request_body(s, "abc", true);
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}, {"x-user", "a"}});
  EXPECT_EQ(log_messages(), (Logs{"callout 200 a ", "destroyed headers"}));
  EXPECT_EQ(stream(s).request.forwarded, "");  // the body task sleeps: still paused
  emu().advance(50);
  EXPECT_EQ(log_messages().back(), "request_body 3 end");
  EXPECT_EQ(stream(s).request.forwarded, "abc");
  EXPECT_EQ(continued(s),
            (std::vector<StreamType>{StreamType::HttpRequest, StreamType::HttpRequest}));
}

TEST_P(CoroutineTest, ManyStreamsAnsweredOutOfOrder) {
  constexpr int kStreams = 50;
  std::vector<uint32_t> streams;
  for (int i = 0; i < kStreams; ++i) streams.push_back(request({{"x-mode", "callout"}}));
  ASSERT_EQ(host().http_callouts().size(), static_cast<size_t>(kStreams));
  for (int i = kStreams - 1; i >= 0; --i) {
    const HttpCallout& callout = host().http_callouts()[static_cast<size_t>(i)];
    emu().answer_http_call(
        callout.token, {{":status", "200"}, {"x-user", "u" + std::to_string(callout.context_id)}});
  }
  for (uint32_t s : streams) {
    EXPECT_EQ(continued(s), kRequestContinued);
    EXPECT_EQ(stream(s).maps[0].back(),
              (std::pair<std::string, std::string>{"x-user", "u" + std::to_string(s)}));
  }
}

// ---- TCP ----

TEST_P(CoroutineTest, TcpDataWaitsAndItsDirectionContinuesAfter) {
  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t c = emu().open_stream(root_);
  EXPECT_EQ(emu().new_connection(c), Action::Continue);  // not overridden: no frame
  EXPECT_EQ(emu().send_downstream_data(c, "5 hello", false), Action::Pause);  // sleeps 50 ms
  EXPECT_EQ(emu().send_upstream_data(c, "pong", false), Action::Pause);       // held behind it
  EXPECT_EQ(emu().send_downstream_data(c, "!", true), Action::Pause);  // buffered by the host
  EXPECT_EQ(log_messages(), Logs{});
  emu().advance(50);
  // The first task let its 7 bytes go; the upstream data ran (and was continued); the second
  // downstream event waits its turn and sees all the data the host buffered since the pause.
  EXPECT_EQ(log_messages(), (Logs{"downstream 7", "destroyed downstream", "upstream 4"}));
  EXPECT_EQ(continued(c), std::vector<StreamType>{StreamType::Upstream});
  EXPECT_EQ(stream(c).response.forwarded, "pong");
  EXPECT_EQ(stream(c).request.forwarded, "");
  emu().advance(50);  // it sleeps too (the buffered data still starts with "5")
  EXPECT_EQ(log_messages().back(), "destroyed downstream");
  EXPECT_EQ(log_messages()[log_messages().size() - 2], "downstream 8 end");
  EXPECT_EQ(stream(c).request.forwarded, "5 hello!");
  EXPECT_EQ(continued(c), (std::vector<StreamType>{StreamType::Upstream, StreamType::Downstream}));
  emu().close_downstream(c);  // a plain callback: runs at once, and ends the connection
  EXPECT_EQ(log_messages().back(), "downstream close");
}

TEST_P(CoroutineTest, TcpConnectionClosedWhileDataWaits) {
  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t c = emu().open_stream(root_);
  emu().send_downstream_data(c, "9 slow", false);
  emu().end_stream(c);
  EXPECT_EQ(log_messages(), Logs{"destroyed downstream"});
  emu().advance(100);
  EXPECT_EQ(log_messages(), Logs{"destroyed downstream"});
  EXPECT_TRUE(continued(c).empty());
}

// ---- background tasks ----

TEST_P(CoroutineTest, BackgroundRefreshLoopIsCancelledWithThePlugin) {
  restart({}, "refresh");
  emu().advance(100);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().http_callouts()[0].upstream, "config");
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}}, "v1");
  EXPECT_EQ(log_messages(), Logs{"refresh 1 v1"});
  std::string value;
  uint32_t cas = 0;
  ASSERT_EQ(host().get_shared_data("config", &value, &cas), StatusCode::Ok);
  EXPECT_EQ(value, "v1");
  emu().advance(100);
  ASSERT_EQ(host().http_callouts().size(), 2u);
  EXPECT_TRUE(emu().stop_plugin(root_));  // Cancel: done at once, the loop destroyed
  EXPECT_EQ(log_messages(), (Logs{"refresh 1 v1", "destroyed refresh"}));
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}}, "late");
  EXPECT_EQ(log_messages().size(), 2u);
}

TEST_P(CoroutineTest, CombinatorsInABackgroundTask) {
  restart({}, "race");
  emu().advance(50);
  EXPECT_EQ(log_messages(), Logs{"race 1"});  // the 50 ms sleep won; the 100 ms one was cancelled
  emu().advance(30);
  EXPECT_EQ(log_messages(), (Logs{"race 1", "race call 257", "destroyed race"}));
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});  // dropped
  emu().advance(100);
  EXPECT_EQ(log_messages().size(), 3u);
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
}

TEST_P(CoroutineTest, BackgroundTaskThePluginWaitsFor) {
  restart({}, "finish");
  EXPECT_FALSE(emu().stop_plugin(root_));  // not done: a task must finish first
  EXPECT_EQ(host().done_calls(), 0u);
  emu().advance(500);
  EXPECT_EQ(log_messages(), (Logs{"background finished", "destroyed finish"}));
  EXPECT_EQ(host().done_calls(), 1u);
}

}  // namespace
}  // namespace coproxy::testing
