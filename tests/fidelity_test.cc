// The events Envoy delivers, in Envoy's order, where a careless emulator would tell another
// story (tests/coro/fidelity_probe, both backends; docs/testing.md names the Envoy source of
// each): a TCP connection after a close, a gRPC call's one event, a stream's metadata and
// deadline, and the canary VM that starts every plugin first.
#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

using Logs = std::vector<std::string>;

class FidelityTest : public PluginTest {
 protected:
  // Starts the probe as `root_id` and forgets the start-up's log lines.
  uint32_t start(const std::string& root_id, const std::string& config = "") {
    host().enable_trace();
    root_ = emu().start_plugin(config, root_id);
    mark_ = host().logs().size();
    return root_;
  }
  // Log lines since start() or the last call.
  Logs new_logs() {
    Logs messages;
    for (; mark_ < host().logs().size(); ++mark_) messages.push_back(host().logs()[mark_].message);
    return messages;
  }
  Logs all_logs() {
    Logs messages;
    for (const LogEntry& entry : host().logs()) messages.push_back(entry.message);
    return messages;
  }
  // How many trace lines show the host calling `callback` (say "proxy_on_grpc_close").
  size_t delivered(const std::string& callback) {
    const std::string prefix = "-> " + callback + "(";
    return static_cast<size_t>(std::count_if(
        host().trace().begin(), host().trace().end(),
        [&](const std::string& line) { return line.find(prefix) != std::string::npos; }));
  }
  uint32_t connection() {
    const uint32_t c = emu().open_stream(root_);
    emu().new_connection(c);
    return c;
  }
  // A request that makes the probe's gRPC call or stream; the call's token.
  uint32_t grpc_request(Pairs headers) {
    stream_ = emu().open_stream(root_);
    emu().send_request_headers(stream_, std::move(headers), true);
    if (host().grpc_callouts().empty()) {
      ADD_FAILURE() << "no gRPC call; the plugin logged: " << ::testing::PrintToString(all_logs());
      return 0;
    }
    return host().grpc_callouts().back().token;
  }
  uint32_t root_ = 0;
  uint32_t stream_ = 0;
  size_t mark_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(FidelityTest, "fidelity_probe");

// ---- TCP: Envoy's network filter (source/extensions/common/wasm/context.cc) ----

TEST_P(FidelityTest, ThePluginClosingTheConnectionEndsItAtOnce) {
  start("tcp");
  const uint32_t c = connection();
  EXPECT_EQ(emu().send_downstream_data(c, "close", false), Action::Continue);
  // closeStream: the connection closes after the callback, as a local close, and the context
  // ends (onCloseTCP) without the test ending it.
  EXPECT_EQ(new_logs(), (Logs{"downstream close", "downstream close 1", "connection done"}));
  EXPECT_EQ(delivered("proxy_on_delete"), 1u);
  EXPECT_EQ(emu().send_upstream_data(c, "late", false), std::nullopt);
  emu().end_stream(c);  // ended already: nothing more
  EXPECT_EQ(delivered("proxy_on_done"), 1u);
  EXPECT_TRUE(new_logs().empty());
}

TEST_P(FidelityTest, AfterTheClientClosesNothingFlows) {
  start("tcp");
  const uint32_t c = connection();
  EXPECT_EQ(emu().send_downstream_data(c, "hold", false), Action::Pause);
  emu().close_downstream(c);
  // The plugin releases what it held from the close callback: the client is gone, so the
  // host forwards nothing, and later upstream data finds no connection.
  EXPECT_EQ(new_logs(),
            (Logs{"downstream hold", "downstream close 2", "release OK", "connection done"}));
  EXPECT_EQ(host().stream(c).request.forwarded, "");
  EXPECT_EQ(emu().send_upstream_data(c, "pong", false), std::nullopt);
  emu().close_upstream(c);
  EXPECT_TRUE(new_logs().empty());
  EXPECT_EQ(delivered("proxy_on_upstream_data"), 0u);
}

TEST_P(FidelityTest, UpstreamEndOfStreamClosesTheUpstreamSide) {
  start("tcp");
  const uint32_t c = connection();
  EXPECT_EQ(emu().send_upstream_data(c, "pong", true), Action::Continue);
  EXPECT_EQ(new_logs(), (Logs{"upstream 4 end", "upstream close 0"}));  // peer Unknown
  EXPECT_EQ(host().stream(c).response.forwarded, "pong");
  emu().close_downstream(c);
  EXPECT_EQ(new_logs(), (Logs{"downstream close 2", "connection done"}));
}

// ---- gRPC: Envoy's async client and its wasm context ----

TEST_P(FidelityTest, AUnaryCallGetsExactlyOneEvent) {
  start("grpc");
  const uint32_t answered = grpc_request({{"x-grpc", "unary"}, {"x-timeout", "200"}});
  emu().grpc_message(answered, "pong");
  emu().advance(300);                     // its deadline passes: it was answered already
  emu().grpc_message(answered, "again");  // Envoy erased it after the message
  emu().grpc_close(answered, 0);
  const uint32_t failed = grpc_request({{"x-grpc", "unary"}});
  emu().grpc_close(failed, 14, "nope");
  emu().grpc_message(failed, "late");
  EXPECT_EQ(new_logs(),
            (Logs{"unary call OK", "unary OK pong", "unary call OK", "unary UNAVAILABLE "}));
  EXPECT_EQ(delivered("proxy_on_grpc_receive"), 1u);
  EXPECT_EQ(delivered("proxy_on_grpc_close"), 1u);
  EXPECT_EQ(delivered("proxy_on_grpc_receive_initial_metadata"), 0u);
  EXPECT_EQ(delivered("proxy_on_grpc_receive_trailing_metadata"), 0u);
}

TEST_P(FidelityTest, ACancelledCallGetsNothing) {
  start("grpc");
  const uint32_t token = grpc_request({{"x-grpc", "unary"}, {"x-cancel", "yes"}});
  EXPECT_EQ(new_logs(), (Logs{"unary call OK", "unary cancel OK"}));
  ASSERT_TRUE(host().find_grpc(token)->cancelled);
  emu().grpc_message(token, "late");
  emu().advance(2000);
  EXPECT_EQ(delivered("proxy_on_grpc_receive"), 0u);
  EXPECT_EQ(delivered("proxy_on_grpc_close"), 0u);
  EXPECT_TRUE(new_logs().empty());
}

TEST_P(FidelityTest, TheDeadlineStatusFollowsTheEnvoyVersion) {
  start("grpc");
  grpc_request({{"x-grpc", "unary"}, {"x-timeout", "200"}});
  emu().advance(200);
  EXPECT_EQ(new_logs(), (Logs{"unary call OK", "unary DEADLINE_EXCEEDED "}));

  HostBehaviour before_44479;
  before_44479.grpc_deadline = HostBehaviour::GrpcDeadline::Unavailable;
  reset_emulator(before_44479);
  start("grpc");
  grpc_request({{"x-grpc", "unary"}, {"x-timeout", "200"}});
  emu().advance(200);
  EXPECT_EQ(new_logs(), (Logs{"unary call OK", "unary UNAVAILABLE "}));
}

TEST_P(FidelityTest, AStreamGetsMetadataAroundItsMessages) {
  start("grpc");
  const uint32_t quiet = grpc_request({{"x-grpc", "stream"}});
  emu().grpc_message(quiet, "m1");  // the server sent no metadata: Envoy delivers it empty
  emu().grpc_message(quiet, "m2");
  emu().grpc_close(quiet, 0);
  EXPECT_EQ(new_logs(),
            (Logs{"stream open OK", "stream initial metadata 0", "stream message m1",
                  "stream message m2", "stream trailing metadata 0", "stream close OK"}));

  const uint32_t full = grpc_request({{"x-grpc", "stream"}});
  emu().grpc_initial_metadata(full, {{"a", "1"}});
  emu().grpc_message(full, "m1");
  emu().grpc_trailing_metadata(full, {{"t", "1"}, {"u", "2"}});
  emu().grpc_close(full, 13, "broken");
  EXPECT_EQ(new_logs(), (Logs{"stream open OK", "stream initial metadata 1", "stream message m1",
                              "stream trailing metadata 2", "stream close INTERNAL broken"}));

  const uint32_t reset = grpc_request({{"x-grpc", "stream"}});
  emu().grpc_close(reset, 14);  // a reset too gets its trailing metadata first
  EXPECT_EQ(new_logs(),
            (Logs{"stream open OK", "stream trailing metadata 0", "stream close UNAVAILABLE"}));
}

TEST_P(FidelityTest, TheSdkClosesARemotelyClosedStream) {
  start("grpc");
  const uint32_t token = grpc_request({{"x-grpc", "stream"}});
  EXPECT_EQ(host().open_grpc_streams(), 1u);
  emu().grpc_close(token, 0);
  // Envoy keeps a stream until both sides closed: the SDK closed this one for the plugin.
  EXPECT_TRUE(host().find_grpc(token)->closed);
  EXPECT_EQ(host().open_grpc_streams(), 0u);

  // Half-closed by the plugin first: the remote close frees it, with no second close.
  const uint32_t half = grpc_request({{"x-grpc", "stream"}, {"x-close", "yes"}});
  EXPECT_EQ(host().open_grpc_streams(), 1u);
  emu().grpc_message(half, "still coming");
  emu().grpc_close(half, 0);
  EXPECT_EQ(host().open_grpc_streams(), 0u);  // (a second close would be an illegal call)
  EXPECT_EQ(new_logs().back(), "stream close OK");
}

// ---- start-up: proxy-wasm-cpp-host's canary VM (src/wasm.cc, WasmHandleBase::canary) ----

TEST_P(FidelityTest, TheCanaryVmStartsThePluginFirstAndIsThrownAway) {
  start("startup", "v1");
  const Logs once = {"plugin start v1", "watch open OK", "config fetch OK"};
  Logs twice = once;
  twice.insert(twice.end(), once.begin(), once.end());
  EXPECT_EQ(all_logs(), twice);
  EXPECT_EQ(delivered("proxy_on_vm_start"), 2u);
  EXPECT_EQ(delivered("proxy_on_configure"), 2u);
  EXPECT_EQ(delivered("proxy_on_done"), 0u);  // the canary is killed, not stopped

  // What the canary started was reset with it: no answer reaches anyone.
  ASSERT_EQ(host().grpc_callouts().size(), 2u);
  ASSERT_EQ(host().http_callouts().size(), 2u);
  EXPECT_TRUE(host().grpc_callouts()[0].canary);
  EXPECT_TRUE(host().http_callouts()[0].canary);
  EXPECT_FALSE(host().grpc_callouts()[1].canary);
  EXPECT_EQ(host().open_grpc_streams(), 1u);
  emu().grpc_message(host().grpc_callouts()[0].token, "to the canary");
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});
  EXPECT_TRUE(new_logs().empty());

  // The live VM's calls work, and only it ticks.
  emu().grpc_message(host().grpc_callouts()[1].token, "update");
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}});
  emu().advance(100);
  EXPECT_EQ(new_logs(),
            (Logs{"watch initial metadata 0", "watch message update", "config fetched", "tick"}));
}

TEST_P(FidelityTest, APluginTheCanaryRefusesDoesNotStart) {
  EXPECT_EQ(start("startup", "reject"), 0u);
  EXPECT_EQ(all_logs(), Logs{"plugin start reject"});  // the worker VM never tried
  EXPECT_EQ(host().open_grpc_streams(), 0u);
}

TEST_P(FidelityTest, EveryPluginGetsVmStart) {
  start("grpc");
  start("tcp");
  // cpp-host's ContextBase::onStart: each plugin context, in the canary and the worker VM.
  EXPECT_EQ(delivered("proxy_on_vm_start"), 4u);
  EXPECT_EQ(delivered("proxy_on_configure"), 4u);
}

TEST_P(FidelityTest, WithoutTheCanaryThePluginStartsOnce) {
  HostBehaviour one_vm;
  one_vm.canary_vm = false;
  reset_emulator(one_vm);
  start("startup", "v1");
  EXPECT_EQ(all_logs(), (Logs{"plugin start v1", "watch open OK", "config fetch OK"}));
  EXPECT_EQ(host().grpc_callouts().size(), 1u);
  EXPECT_EQ(host().http_callouts().size(), 1u);
}

}  // namespace
}  // namespace coproxy::testing
