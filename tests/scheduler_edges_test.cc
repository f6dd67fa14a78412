// The scheduler's edges through tests/coro/edge_probe on both backends: a wait the host loses
// track of resumes with BrokenConnection (its owner unknown to the host, its token reused), a
// delete from inside a stream's own event waits for the coroutine below, awaiting a callback
// that is not overridden answers Continue, and a stream task that reads its plugin context's
// gRPC stream is continued when it finishes. Each waiting frame logs "destroyed <name>".
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

constexpr const char* kBrokenConnection = "11";

class SchedulerEdgesTest : public PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  void restart(HostBehaviour behaviour) {
    reset_emulator(behaviour);
    root_ = emu().start_plugin();
  }
  uint32_t request(Pairs headers) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers));
    return stream;
  }
  std::vector<std::string> logs_after(size_t mark) {
    std::vector<std::string> messages;
    for (size_t i = mark; i < host().logs().size(); ++i) {
      messages.push_back(host().logs()[i].message);
    }
    return messages;
  }
  std::vector<StreamType> continued(uint32_t stream) { return host().stream(stream).continued; }
  // The plugin context's gRPC stream "feed" (the live VM's, not the canary's).
  uint32_t feed_token() {
    for (const GrpcCallout& call : host().grpc_callouts()) {
      if (call.is_stream && !call.canary) return call.token;
    }
    return 0;
  }
  // The host forgets `stream` (as a host that deleted it without telling the plugin): it
  // refuses to make it effective. The plugin's later calls as the plugin context are illegal.
  void host_forgets(uint32_t stream) {
    host().remove_context(stream);
    expect_illegal_calls();
  }

  uint32_t root_ = 0;
  Emulator::Delivery last_;
  using Logs = std::vector<std::string>;
  const std::vector<StreamType> kRequest = {StreamType::HttpRequest};
};
COPROXY_PLUGIN_TEST_SUITE(SchedulerEdgesTest, "edge_probe");

TEST_P(SchedulerEdgesTest, AwaitingACallbackThatIsNotOverriddenAnswersContinue) {
  const size_t mark = host().logs().size();
  request({{"x-mode", "base"}});
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_EQ(logs_after(mark), (Logs{"base 0", "destroyed headers"}));
}

// ---- waits the host loses track of ----

TEST_P(SchedulerEdgesTest, ACalloutWhoseStreamTheHostForgotFailsInsteadOfWaiting) {
  const uint32_t s = request({{"x-mode", "callout"}});
  ASSERT_EQ(last_, Action::Pause);
  host_forgets(s);
  const size_t mark = host().logs().size();
  emu().answer_http_call(host().http_callouts().back().token, {{":status", "200"}});
  EXPECT_EQ(logs_after(mark),
            (Logs{std::string("callout ") + kBrokenConnection, "destroyed headers"}));
}

TEST_P(SchedulerEdgesTest, ASleepWhoseStreamTheHostForgotFailsInsteadOfWaiting) {
  const uint32_t s = request({{"x-mode", "sleep"}, {"x-ms", "100"}});
  host_forgets(s);
  const size_t mark = host().logs().size();
  emu().advance(100);
  EXPECT_EQ(logs_after(mark),
            (Logs{std::string("sleep ") + kBrokenConnection, "destroyed headers"}));
}

TEST_P(SchedulerEdgesTest, ADequeueWhoseStreamTheHostForgotFailsInsteadOfWaiting) {
  const uint32_t s = request({{"x-mode", "dequeue"}});
  host_forgets(s);
  uint32_t queue = 0;
  ASSERT_EQ(host().resolve_shared_queue(Host::kVmId, "jobs", &queue), StatusCode::Ok);
  ASSERT_EQ(host().enqueue_shared_queue(queue, "job"), StatusCode::Ok);
  const size_t mark = host().logs().size();
  emu().deliver_queue_ready();
  EXPECT_EQ(logs_after(mark),
            (Logs{std::string("dequeue ") + kBrokenConnection, "destroyed headers"}));
}

TEST_P(SchedulerEdgesTest, AReusedTokenFailsTheOlderCalloutAfterTheEventThatReusedIt) {
  const uint32_t first = request({{"x-mode", "callout"}});
  const uint32_t token = host().http_callouts().back().token;
  host().reuse_token_for_next_call(token);
  const size_t mark = host().logs().size();
  const uint32_t second = request({{"x-mode", "callout"}});
  EXPECT_EQ(last_, Action::Pause);  // the second stream waits for the reused token
  EXPECT_EQ(host().http_callouts().back().token, token);
  // The first learns at the end of the second's event that its answer will never come.
  EXPECT_EQ(logs_after(mark),
            (Logs{std::string("callout ") + kBrokenConnection, "destroyed headers"}));
  EXPECT_EQ(continued(first), kRequest);
  EXPECT_TRUE(continued(second).empty());
  emu().answer_http_call(token, {{":status", "200"}});
  EXPECT_EQ(logs_after(mark).back(), "destroyed headers");
  EXPECT_EQ(logs_after(mark).size(), 4u);
  EXPECT_EQ(continued(second), kRequest);
}

TEST_P(SchedulerEdgesTest, AReusedTokenFailsTheOlderGrpcCall) {
  const uint32_t first = request({{"x-mode", "grpc"}});
  host().reuse_token_for_next_call(host().grpc_callouts().back().token);
  const size_t mark = host().logs().size();
  request({{"x-mode", "grpc"}});
  EXPECT_EQ(logs_after(mark),
            (Logs{std::string("grpc ") + kBrokenConnection, "destroyed headers"}));
  EXPECT_EQ(continued(first), kRequest);
}

// Found by the event fuzzer: a gRPC close for an HTTP callout's token took the callout out of
// the table and left its task waiting (and, in callback style, leaked the callback).
TEST_P(SchedulerEdgesTest, AGrpcCloseForACalloutsTokenEndsTheCallout) {
  const uint32_t s = request({{"x-mode", "callout"}});
  const size_t mark = host().logs().size();
  emu().grpc_close(host().http_callouts().back().token, 0);  // the host mixed up its tokens
  EXPECT_EQ(logs_after(mark),
            (Logs{std::string("callout ") + kBrokenConnection, "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequest);
}

TEST_P(SchedulerEdgesTest, AStreamWhoseCalloutWasLostEndsCleanly) {
  const uint32_t s = request({{"x-mode", "callout"}});
  host().reuse_token_for_next_call(host().http_callouts().back().token);
  request({{"x-mode", "callout"}});
  emu().end_stream(s);  // after its lost call was failed: nothing left to drop
  EXPECT_TRUE(continued(s) == kRequest);
}

// Found by the event fuzzer: a sleep whose tick the host refused to arm went on with the
// error but stayed queued, and its deadline later resumed a branch that had finished.
TEST_P(SchedulerEdgesTest, ASleepWhoseTickCannotBeArmedIsNotLeftQueued) {
  host().inject_fault("proxy_set_tick_period_milliseconds", StatusCode::InvalidMemoryAccess);
  const uint32_t s = request({{"x-mode", "race"}});
  EXPECT_EQ(last_, Action::Pause);  // the 20 and 30 ms sleeps wait
  const size_t mark = host().logs().size();
  emu().advance(10);  // the refused 10 ms sleep must not fire
  EXPECT_TRUE(logs_after(mark).empty());
  emu().advance(10);  // the 20 ms one completes the when_all
  EXPECT_EQ(logs_after(mark), (Logs{"race 0", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequest);
}

// ---- a delete from inside the stream's own event ----

TEST_P(SchedulerEdgesTest, ADeleteFromInsideTheStreamsCloseWaitsForItsCoroutine) {
  HostBehaviour behaviour;
  behaviour.close_ends_stream_inside_the_call = true;
  restart(behaviour);
  const uint32_t s = request({{"x-mode", "close"}, {"x-ms", "50"}});
  const size_t mark = host().logs().size();
  emu().advance(50);  // the timer resumes the task; it closes, and the host deletes inside
  // The coroutine runs on after close() returns, and is destroyed only after the event.
  EXPECT_EQ(logs_after(mark), (Logs{"closing", "after close ok", "destroyed headers"}));
  EXPECT_FALSE(host().has_context(s));
}

// ---- a stream task reading its plugin context's gRPC stream ----

TEST_P(SchedulerEdgesTest, AStreamTaskReadingItsPluginsGrpcStreamIsContinued) {
  const uint32_t s = request({{"x-mode", "feed"}});
  ASSERT_EQ(last_, Action::Pause);
  const size_t mark = host().logs().size();
  emu().grpc_message(feed_token(), "news");  // initial metadata comes first (Envoy)
  EXPECT_EQ(logs_after(mark), (Logs{"feed 0", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequest);
  EXPECT_EQ(host().stream(s).maps[0].back(), (std::pair<std::string, std::string>{"x-feed", "1"}));
}

// ---- the emulator's gRPC stream deadline ----

TEST_P(SchedulerEdgesTest, AGrpcStreamHasNoDeadlineByDefaultAsInEnvoy) {
  emu().advance(24 * 3600 * 1000);
  const GrpcCallout* feed = host().find_grpc(feed_token());
  ASSERT_NE(feed, nullptr);
  EXPECT_FALSE(feed->finished);
}

TEST_P(SchedulerEdgesTest, AGrpcStreamDeadlineClosesTheStreamAndWakesItsReader) {
  HostBehaviour behaviour;
  behaviour.grpc_stream_timeout_ms = 200;
  restart(behaviour);
  const uint32_t s = request({{"x-mode", "feed"}});
  const size_t mark = host().logs().size();
  emu().advance(199);
  EXPECT_TRUE(logs_after(mark).empty());
  emu().advance(1);
  const GrpcCallout* feed = host().find_grpc(feed_token());
  ASSERT_NE(feed, nullptr);
  EXPECT_TRUE(feed->finished);
  // A stream reset before any response: trailing metadata (Kind 2, sent empty), then close.
  EXPECT_EQ(logs_after(mark), (Logs{"feed 2", "destroyed headers"}));
  EXPECT_EQ(continued(s), kRequest);
}

}  // namespace
}  // namespace coproxy::testing
