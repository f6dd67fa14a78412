// The emulator's own tests, through the probe plugin (tests/probe) on both backends: bad input
// at the guest boundary, strictness, the host-behaviour switches, the virtual clock, the trace.
#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/native_plugin.h"
#include "testing/plugin_test.h"
#include "testing/wasm_plugin.h"

namespace coproxy::testing {
namespace {

constexpr uint32_t kBadMemory = 1, kBadLengths = 2, kMalformedMaps = 3, kUnknownIds = 4, kTrap = 5;

class EmulatorTest : public PluginTest {
 protected:
  // A stream whose request headers are `headers`; returns its id.
  uint32_t stream_with(Pairs headers, bool end_of_stream = false) {
    const uint32_t stream = emu().open_stream(root_);
    last_action_ = emu().send_request_headers(stream, std::move(headers), end_of_stream);
    return stream;
  }
  uint32_t last_token() { return host().http_callouts().back().token; }

  void SetUp() override { root_ = emu().start_plugin(); }
  void restart(HostBehaviour behaviour, std::string config = "") {
    reset_emulator(behaviour);
    root_ = emu().start_plugin(std::move(config));
  }

  uint32_t root_ = 0;
  Emulator::Delivery last_action_;
};
COPROXY_PLUGIN_TEST_SUITE(EmulatorTest, "probe");

// ---- bad input: a status back, never a crash, nothing lost ----

TEST_P(EmulatorTest, BadGuestPointersGetInvalidMemoryAccess) {
  emu().call_foreign_function(root_, kBadMemory, "");
  // log, log level, property, dequeue to a bad slot, dequeue again, http_call, shared data
  EXPECT_EQ(last_log_message(), "bad_memory 6 6 6 6 0 kept 6 6");
  EXPECT_TRUE(host().http_callouts().empty());  // the refused call left no trace
}

TEST_P(EmulatorTest, MalformedMapsGetParseFailure) {
  emu().call_foreign_function(root_, kMalformedMaps, "");
  EXPECT_EQ(last_log_message(), "malformed_maps 4 4");
  EXPECT_TRUE(host().http_callouts().empty());
  EXPECT_TRUE(host().grpc_callouts().empty());

  const uint32_t stream = stream_with({{"x-malformed", "1"}, {"keep", "me"}});
  EXPECT_EQ(last_log_message(), "set malformed 4");
  EXPECT_EQ(host().stream(stream).maps[0], (Pairs{{"x-malformed", "1"}, {"keep", "me"}}));
}

TEST_P(EmulatorTest, UnknownIdsGetAStatus) {
  expect_illegal_calls();
  emu().call_foreign_function(root_, kUnknownIds, "");
  // effective context, grpc_send, grpc_cancel, metric, queue, continue from a plugin context
  EXPECT_EQ(last_log_message(), "unknown_ids 2 1 1 1 1 2");
  ASSERT_EQ(host().illegal_calls().size(), 2u);
  EXPECT_EQ(host().illegal_calls()[0].import, "proxy_set_effective_context");
  EXPECT_EQ(host().illegal_calls()[0].reason, "effective context 999 does not exist");
  EXPECT_EQ(host().illegal_calls()[1].import, "proxy_continue_stream");
  EXPECT_EQ(host().illegal_calls()[1].callback, Callback::ForeignFunction);
}

TEST_P(EmulatorTest, EventsForUnknownTokensAndContextsAreDropped) {
  const size_t logs_before = host().logs().size();
  emu().answer_http_call(12345, {{":status", "200"}});
  emu().grpc_message(777, "late");
  emu().grpc_close(777, 0);
  EXPECT_EQ(emu().send_request_headers(999, {{":path", "/"}}), Action::Continue);
  EXPECT_EQ(host().logs().size(), logs_before);
  EXPECT_FALSE(emu().failed());
}

// ---- strictness ----

struct IllegalCase {
  const char* what;
  const char* logged;  // the status the plugin got
  const char* import;
  const char* reason;
};

TEST_P(EmulatorTest, IllegalCallsFailAsOnARealHostAndAreRecorded) {
  expect_illegal_calls();
  const IllegalCase cases[] = {
      {"modify-request-headers", "modify-request-headers 2", "proxy_add_header_map_value",
       "modifies request_headers after its phase passed"},
      {"read-request-body", "read-request-body 1", "proxy_get_buffer_bytes",
       "reads request_body outside its callback while the stream is not paused there"},
      {"callout-map", "callout-map 2", "proxy_get_header_map_value",
       "http_call_response_headers outside its callback"},
      {"continue-unpaused", "continue-unpaused 0", "proxy_continue_stream",
       "continues the request, which is not paused"},
      {"config", "config 1", "proxy_get_buffer_bytes", "plugin_configuration outside its callback"},
  };
  for (const IllegalCase& c : cases) {
    SCOPED_TRACE(c.what);
    const size_t before = host().illegal_calls().size();
    const uint32_t stream = stream_with({{"x-illegal", c.what}}, true);
    emu().send_response_headers(stream, {{":status", "200"}});
    EXPECT_EQ(last_log_message(), c.logged);
    ASSERT_EQ(host().illegal_calls().size(), before + 1);
    const IllegalCall& call = host().illegal_calls().back();
    EXPECT_EQ(call.import, c.import);
    EXPECT_EQ(call.reason, c.reason);
    EXPECT_EQ(call.callback, Callback::ResponseHeaders);
    EXPECT_EQ(call.context, stream);
    emu().end_stream(stream);
  }
}

TEST_P(EmulatorTest, LenientModeLetsIllegalCallsThroughButStillRecordsThem) {
  expect_illegal_calls();
  host().set_strict(false);
  const uint32_t stream = stream_with({{"x-illegal", "modify-request-headers"}}, true);
  emu().send_response_headers(stream, {{":status", "200"}});
  EXPECT_EQ(last_log_message(), "modify-request-headers 0");
  EXPECT_EQ(host().stream(stream).maps[0].back(),
            (std::pair<std::string, std::string>{"late", "1"}));
  EXPECT_EQ(host().illegal_calls().size(), 1u);
}

// ---- the pause / callout / continue flow and the switches ----

TEST_P(EmulatorTest, HeaderPauseHoldsTheBodyUntilContinueThenDeliversItAfterReturn) {
  const uint32_t stream = stream_with({{"x-callout", "1000"}});
  EXPECT_EQ(last_action_, Action::Pause);
  EXPECT_EQ(emu().send_request_body(stream, "abc", true), std::nullopt);  // held
  EXPECT_EQ(emu().held_events(stream), 1u);
  ASSERT_EQ(host().http_callouts().size(), 1u);
  EXPECT_EQ(host().http_callouts()[0].upstream, "auth");
  EXPECT_EQ(host().http_callouts()[0].timeout_ms, 1000u);

  emu().answer_http_call(last_token(), {{":status", "200"}});
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request_headers", "response begin 200",
                                              "response end", "request_body 3 end"}));
  EXPECT_EQ(emu().held_events(stream), 0u);
  EXPECT_EQ(host().stream(stream).maps[0].back(),
            (std::pair<std::string, std::string>{"x-checked", "1"}));
  EXPECT_EQ(host().stream(stream).request.forwarded, "abc");
  EXPECT_EQ(host().stream(stream).continued, (std::vector<StreamType>{StreamType::HttpRequest}));
}

TEST_P(EmulatorTest, ReentrantContinueDeliversTheHeldBodyInsideTheCall) {
  HostBehaviour behaviour;
  behaviour.continue_delivery = HostBehaviour::ContinueDelivery::Reentrant;
  restart(behaviour);
  const uint32_t stream = stream_with({{"x-callout", "1000"}});
  emu().send_request_body(stream, "abc", true);
  emu().answer_http_call(last_token(), {{":status", "200"}});
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request_headers", "response begin 200",
                                              "request_body 3 end", "response end"}));
  EXPECT_EQ(host().stream(stream).request.forwarded, "abc");
}

// Envoy's opt-in StopIteration: the body arrives while the headers are paused, and a body
// callback that answers Continue resumes the whole direction, headers included (Envoy's
// filter manager continues the stopped iteration). The callout's answer then comes too late
// to change the request: the host reports it. (Coroutine contexts hold such a body instead.)
TEST_P(EmulatorTest, WithoutHoldingTheBodyContinuingItReleasesThePausedHeadersToo) {
  expect_illegal_calls();
  HostBehaviour behaviour;
  behaviour.header_pause_holds_body = false;
  restart(behaviour);
  const uint32_t stream = stream_with({{"x-callout", "1000"}});
  EXPECT_EQ(emu().send_request_body(stream, "abc", true), Action::Continue);
  EXPECT_EQ(host().stream(stream).request.forwarded, "abc");
  emu().answer_http_call(last_token(), {{":status", "200"}});
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request_headers", "request_body 3 end",
                                              "response begin 200", "response end"}));
  ASSERT_EQ(host().illegal_calls().size(), 2u);
  EXPECT_EQ(host().illegal_calls()[0].reason, "modifies request_headers after its phase passed");
  EXPECT_EQ(host().illegal_calls()[1].reason, "continues the request, which is not paused");
}

// A host that hands a live token to a newer call, or sends a gRPC close for a callout's token:
// the callback of the call it lost runs with a failed response (callback style; the coroutine
// styles are in tests/scheduler_edges_test.cc), once the event that lost it returns.
TEST_P(EmulatorTest, ACallbackWhoseCallTheHostLostSeesItFail) {
  const uint32_t first = stream_with({{"x-callout", "1000"}});
  const uint32_t token = last_token();
  host().reuse_token_for_next_call(token);
  const uint32_t second = stream_with({{"x-callout", "1000"}});
  EXPECT_EQ(last_token(), token);
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request_headers", "request_headers",
                                              "response begin failed", "response end"}));
  EXPECT_EQ(host().stream(first).continued, (std::vector<StreamType>{StreamType::HttpRequest}));
  emu().grpc_close(token, 14);  // the second call's token, as a gRPC close: lost too
  EXPECT_EQ(log_messages().back(), "response end");
  EXPECT_EQ(log_messages().size(), 6u);
  EXPECT_EQ(host().stream(second).continued, (std::vector<StreamType>{StreamType::HttpRequest}));
}

TEST_P(EmulatorTest, PausedBodyIsBufferedAndSeenWhole) {
  const uint32_t stream = stream_with({{"x-buffer", "1"}});
  EXPECT_EQ(emu().send_request_body(stream, "ab", false), Action::Pause);
  EXPECT_EQ(host().stream(stream).request.forwarded, "");
  EXPECT_EQ(emu().send_request_body(stream, "cd", true), Action::Continue);
  EXPECT_EQ(log_messages(),
            (std::vector<std::string>{"request_headers", "request_body 2", "request_body 4 end"}));
  EXPECT_EQ(host().stream(stream).request.forwarded, "abcd");
}

TEST_P(EmulatorTest, FailedCalloutIsAnEmptyResponseOrTheRoutersLocalReply) {
  stream_with({{"x-callout", "1000"}});
  emu().fail_http_call(last_token());
  EXPECT_EQ(log_messages()[1], "response begin failed");

  HostBehaviour behaviour;
  behaviour.failed_callout = HostBehaviour::FailedCallout::LocalReply;
  restart(behaviour);
  stream_with({{"x-callout", "1000"}});
  emu().fail_http_call(last_token());
  EXPECT_EQ(log_messages()[1], "response begin 503");
}

TEST_P(EmulatorTest, CalloutTimesOutOnTheVirtualClock) {
  stream_with({{"x-callout", "500"}});
  emu().advance(499);
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request_headers"}));
  emu().advance(1);
  EXPECT_EQ(log_messages(),
            (std::vector<std::string>{"request_headers", "response begin failed", "response end"}));
  emu().advance(10000);  // answered once only
  EXPECT_EQ(log_messages().size(), 3u);

  HostBehaviour behaviour;
  behaviour.failed_callout = HostBehaviour::FailedCallout::LocalReply;
  restart(behaviour);
  stream_with({{"x-callout", "500"}});
  emu().advance(600);
  EXPECT_EQ(log_messages()[1], "response begin 504");
}

TEST_P(EmulatorTest, TicksFollowTheVirtualClock) {
  restart({}, "tick");
  EXPECT_EQ(host().tick_period_ms(root_), 100u);
  emu().advance(350);
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"tick 100", "tick 200", "tick 300"}));
  emu().advance(50);
  EXPECT_EQ(last_log_message(), "tick 400");
}

TEST_P(EmulatorTest, LocalResponseOrCloseEndsDelivery) {
  const uint32_t stream = stream_with({{"x-callout", "1000"}});
  emu().send_request_body(stream, "held", true);
  host().act_as(stream);  // the test answers for the stream, as a plugin would
  host().send_local_response(403, "", "denied", encode_pairs({}), -1);
  EXPECT_EQ(emu().held_events(stream), 0u);
  EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}), std::nullopt);
  ASSERT_TRUE(host().stream(stream).local_response.has_value());
  EXPECT_EQ(host().stream(stream).local_response->status_code, 403u);
}

TEST_P(EmulatorTest, LocalReplyRunsThroughTheResponseCallbacksOrStraightOut) {
  const uint32_t stream = stream_with({{"x-callout", "1000"}});
  host().act_as(stream);
  host().send_local_response(403, "", "denied", encode_pairs({{"x-why", "test"}}), -1);
  // Envoy: the reply goes through this stream's response callbacks, then to the client.
  EXPECT_EQ(host().stream(stream).maps[2], (Pairs{{":status", "403"}, {"x-why", "test"}}));
  EXPECT_EQ(host().stream(stream).response.forwarded, "denied");

  HostBehaviour behaviour;
  behaviour.local_reply_through_response_callbacks = false;
  restart(behaviour);
  const uint32_t direct = stream_with({{"x-callout", "1000"}});
  host().act_as(direct);
  host().send_local_response(403, "", "denied", encode_pairs({}), -1);
  EXPECT_TRUE(host().stream(direct).maps[2].empty());
  EXPECT_EQ(host().stream(direct).response.forwarded, "");
}

// ---- the trace ----

TEST_P(EmulatorTest, TraceShowsEveryCallbackAndHostCall) {
  host().enable_trace();
  const uint32_t stream = stream_with({{":path", "/"}}, true);
  const std::vector<std::string>& trace = host().trace();
  const std::string context = std::to_string(stream);
  auto has = [&](const std::string& line) {
    return std::find(trace.begin(), trace.end(), line) != trace.end();
  };
  EXPECT_TRUE(has("-> proxy_on_context_create(context=" + context +
                  ", parent=" + std::to_string(root_) + ")"));
  EXPECT_TRUE(
      has("-> proxy_on_request_headers(context=" + context + ", headers=1, end_of_stream=true)"));
  EXPECT_TRUE(has("    proxy_log(info, \"request_headers\") = OK"));
  EXPECT_TRUE(has("    proxy_get_header_map_value(request_headers, \"x-callout\") = NOT_FOUND"));
  EXPECT_TRUE(has("<- Continue"));
  EXPECT_EQ(trace.size(), host().trace().size());
}

// ---- several instances in one binary ----

TEST(EmulatorInstances, NativeAndWasmPluginsLiveSideBySide) {
  Emulator native(load_native("probe")), wasm(load_wasm("probe")), hello(load_wasm("hello"));
  ASSERT_TRUE(native.loaded() && wasm.loaded());
  EXPECT_FALSE(hello.loaded());  // not linked into this test: loads nothing, says so
  const uint32_t a = native.start_plugin(), b = wasm.start_plugin();
  const uint32_t sa = native.open_stream(a), sb = wasm.open_stream(b);
  native.send_request_headers(sa, {{"x-callout", "10"}});
  wasm.send_request_headers(sb, {{"x-callout", "20"}});
  wasm.answer_http_call(wasm.host().http_callouts()[0].token, {{":status", "201"}});
  native.answer_http_call(native.host().http_callouts()[0].token, {{":status", "202"}});
  EXPECT_EQ(native.host().logs()[1].message, "response begin 202");
  EXPECT_EQ(wasm.host().logs()[1].message, "response begin 201");
  EXPECT_EQ(wasm.host().http_callouts()[0].timeout_ms, 20u);
}

// ---- the .wasm boundary only: bounds and traps ----

TEST(WasmBoundary, OutOfBoundsPointersAndLengthsGetInvalidMemoryAccess) {
  Emulator emu(load_wasm("probe"));
  const uint32_t root = emu.start_plugin();
  emu.call_foreign_function(root, kBadLengths, "");
  // wrapping length, past the end, exactly to the end (fine), 4-byte slot at end - 2,
  // 8-byte slot at end - 4
  EXPECT_EQ(emu.host().logs().back().message, "bad_lengths 6 6 0 6 6");
  EXPECT_FALSE(emu.failed());
}

TEST(WasmBoundary, ATrapFailsThePluginAndTheHostCallsItNoMore) {
  Emulator emu(load_wasm("probe"));
  emu.host().enable_trace();
  const uint32_t root = emu.start_plugin();
  emu.call_foreign_function(root, kTrap, "");
  ASSERT_TRUE(emu.failed());
  EXPECT_NE(emu.plugin().trap_message()->find("nreachable"), std::string::npos)
      << *emu.plugin().trap_message();
  const uint32_t stream = emu.open_stream(root);
  EXPECT_EQ(emu.send_request_headers(stream, {{":path", "/"}}), std::nullopt);
  EXPECT_NE(std::find_if(
                emu.host().trace().begin(), emu.host().trace().end(),
                [](const std::string& line) { return line.starts_with("!! the plugin trapped"); }),
            emu.host().trace().end());
}

}  // namespace
}  // namespace coproxy::testing
