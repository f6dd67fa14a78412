// The context model through the exports: creation by root id, dispatch of every callback,
// done/log/delete, callouts routed back to the context that made them, and events for ids
// that do not exist.
#include <memory>
#include <string>
#include <vector>

#include "coproxy/coproxy.h"
#include "coproxy/dispatcher.h"
#include "gtest/gtest.h"
#include "testing/emulator.h"
#include "testing/native_plugin.h"

namespace {

using coproxy::Action;
using coproxy::HttpCallResponse;
using coproxy::testing::Emulator;
using coproxy::testing::Host;
using coproxy::testing::NativePlugin;
using coproxy::testing::Pairs;

std::vector<std::string> events;
int live_streams = 0;

class RecordingHttp : public coproxy::HttpContext {
 public:
  RecordingHttp() { ++live_streams; }
  ~RecordingHttp() override { --live_streams; }

  Action on_request_headers(size_t count, bool end) override {
    events.push_back("request_headers " + std::to_string(count) + (end ? " end" : ""));
    if (!request_headers().get("x-call").ok()) return Action::Continue;
    // Ask an upstream first; continue from the callback.
    coproxy::Result<uint32_t> token = http_call(
        "auth", {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}}, {}, {},
        std::chrono::milliseconds(100), [](const HttpCallResponse& response) {
          events.push_back("callout " + std::to_string(response.status()) +
                           (response.failed() ? " failed" : "") + " body=" +
                           std::string(response.body().value_or(coproxy::HostBytes()).view()));
          request_headers().add("x-user",
                                response.header("x-user").value_or(coproxy::HostBytes()).view());
          coproxy::continue_stream(coproxy::StreamType::HttpRequest);
        });
    return token.ok() ? Action::Pause : Action::Continue;
  }
  Action on_request_body(size_t size, bool end) override {
    events.push_back("request_body " + std::to_string(size) + (end ? " end" : ""));
    return Action::Continue;
  }
  Action on_request_trailers(size_t count) override {
    events.push_back("request_trailers " + std::to_string(count));
    return Action::Continue;
  }
  Action on_response_headers(size_t count, bool) override {
    events.push_back("response_headers " + std::to_string(count));
    return Action::Continue;
  }
  Action on_response_body(size_t size, bool end) override {
    events.push_back("response_body " + std::to_string(size) + (end ? " end" : ""));
    return Action::Continue;
  }
  Action on_response_trailers(size_t count) override {
    events.push_back("response_trailers " + std::to_string(count));
    return Action::Continue;
  }
  void on_stream_done() override { events.push_back("http_stream_done"); }
};

class RecordingTcp : public coproxy::TcpContext {
 public:
  RecordingTcp() { ++live_streams; }
  ~RecordingTcp() override { --live_streams; }
  Action on_new_connection() override {
    events.push_back("new_connection");
    return Action::Continue;
  }
  Action on_downstream_data(size_t size, bool end) override {
    events.push_back("downstream " + std::to_string(size) + (end ? " end" : ""));
    return downstream_data().prepend(">").ok() ? Action::Continue : Action::Pause;
  }
  void on_downstream_close(coproxy::PeerType peer) override {
    events.push_back("downstream_close " + std::to_string(static_cast<int>(peer)));
  }
  Action on_upstream_data(size_t size, bool end) override {
    events.push_back("upstream " + std::to_string(size) + (end ? " end" : ""));
    return Action::Pause;
  }
  void on_upstream_close(coproxy::PeerType peer) override {
    events.push_back("upstream_close " + std::to_string(static_cast<int>(peer)));
  }
  void on_stream_done() override { events.push_back("tcp_stream_done"); }
};

class GrpcEvents : public coproxy::GrpcStreamHandler {
 public:
  void on_grpc_initial_metadata(size_t count) override {
    events.push_back("grpc_initial_metadata " + std::to_string(count));
  }
  void on_grpc_message(size_t size) override {
    auto message = coproxy::Buffer(coproxy::BufferType::GrpcReceiveBuffer).get(0, size);
    events.push_back("grpc_message " + (message.ok() ? message->str() : "?"));
  }
  void on_grpc_trailing_metadata(size_t count) override {
    events.push_back("grpc_trailing_metadata " + std::to_string(count));
  }
  void on_grpc_close(uint32_t status) override {
    events.push_back("grpc_close " + std::to_string(status));
  }
};

class RecordingPlugin : public coproxy::PluginContext {
 public:
  explicit RecordingPlugin(bool tcp) : tcp_(tcp) {}
  bool on_plugin_start(size_t size) override {
    auto config = coproxy::plugin_configuration().get();
    events.push_back("plugin_start " + std::string(root_id()) + " " + std::to_string(size) + " " +
                     (config.ok() ? config->str() : "?"));
    return config.ok() && config->view() != "reject";
  }
  bool on_plugin_done() override {
    events.push_back("plugin_done");
    return !defer_done;
  }
  void on_tick() override { events.push_back("tick"); }
  void on_queue_ready(uint32_t queue_id) override {
    events.push_back("queue_ready " + std::to_string(queue_id) + " " +
                     coproxy::dequeue_shared_queue(queue_id).value_or(coproxy::HostBytes()).str());
  }
  void on_foreign_function(uint32_t id, size_t size) override {
    auto args = coproxy::Buffer(coproxy::BufferType::CallData).get(0, size);
    events.push_back("foreign " + std::to_string(id) + " " + (args.ok() ? args->str() : "?"));
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    if (tcp_) return nullptr;
    return std::make_unique<RecordingHttp>();
  }
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override {
    if (!tcp_) return nullptr;
    return std::make_unique<RecordingTcp>();
  }

  bool defer_done = false;
  GrpcEvents grpc_events;

 private:
  bool tcp_;
};

class RecordingVm : public coproxy::VmContext {
 public:
  bool on_vm_start(size_t size) override {
    auto config = coproxy::vm_configuration().get();
    events.push_back("vm_start " + std::to_string(size) + " " +
                     (config.ok() ? config->str() : "?"));
    return true;
  }
  std::unique_ptr<coproxy::PluginContext> new_plugin_context(std::string_view root_id) override {
    if (root_id == "refused") return nullptr;
    return std::make_unique<RecordingPlugin>(root_id == "tcp");
  }
};

COPROXY_REGISTER_VM(lifecycle_test, RecordingVm);

class ContextLifecycle : public ::testing::Test {
 protected:
  ContextLifecycle() : emu_([](Host& host) { return NativePlugin::load(host, "lifecycle_test"); }) {
    events.clear();
  }
  NativePlugin& native() { return static_cast<NativePlugin&>(emu_.plugin()); }
  RecordingPlugin& plugin(uint32_t root) {
    return static_cast<RecordingPlugin&>(*native().dispatcher().find_context(root));
  }
  Emulator emu_;
};

TEST_F(ContextLifecycle, StartsTheVmOnceAndEachPluginWithItsConfiguration) {
  ASSERT_TRUE(emu_.loaded());
  const uint32_t a = emu_.start_plugin("config-a", "a", "vm-config");
  const uint32_t b = emu_.start_plugin("config-b", "b");
  EXPECT_NE(a, 0u);
  EXPECT_NE(b, 0u);
  // Each plugin starts first in a canary VM (HostBehaviour::canary_vm), then in the worker
  // VM, whose VmContext starts once: b shares the VM and its configuration.
  EXPECT_EQ(events, (std::vector<std::string>{
                        "vm_start 9 vm-config", "plugin_start a 8 config-a",  // a's canary
                        "vm_start 9 vm-config", "plugin_start a 8 config-a",  // the worker VM
                        "vm_start 9 vm-config", "plugin_start b 8 config-b",  // b's canary
                        "plugin_start b 8 config-b"}));
  EXPECT_EQ(plugin(a).root_id(), "a");
  EXPECT_EQ(plugin(b).root_id(), "b");
}

TEST_F(ContextLifecycle, RejectedConfigurationAndRefusedRootId) {
  EXPECT_EQ(emu_.start_plugin("reject"), 0u);
  EXPECT_EQ(emu_.start_plugin("fine", "refused"), 0u);  // no plugin context: configure fails
  const uint32_t stream = emu_.open_stream(2);          // its parent does not exist
  EXPECT_EQ(emu_.send_request_headers(stream, {}), Action::Continue);
  EXPECT_EQ(live_streams, 0);
}

TEST_F(ContextLifecycle, DispatchesEveryHttpCallbackInOrderAndDeletes) {
  const uint32_t root = emu_.start_plugin();
  events.clear();
  const uint32_t stream = emu_.open_stream(root);
  EXPECT_EQ(live_streams, 1);
  emu_.send_request_headers(stream, {{":path", "/"}, {"a", "b"}});
  emu_.send_request_body(stream, "abc", false);
  emu_.send_request_body(stream, "de", true);
  emu_.send_request_trailers(stream, {{"t", "1"}});
  emu_.send_response_headers(stream, {{":status", "200"}});
  emu_.send_response_body(stream, "xyz", true);
  emu_.send_response_trailers(stream, {});
  emu_.end_stream(stream);
  EXPECT_EQ(events, (std::vector<std::string>{"request_headers 2", "request_body 3",
                                              "request_body 2 end", "request_trailers 1",
                                              "response_headers 1", "response_body 3 end",
                                              "response_trailers 0", "http_stream_done"}));
  // Each chunk was let through as it came: the host forwarded the whole body.
  EXPECT_EQ(emu_.host().stream(stream).request.forwarded, "abcde");
  EXPECT_EQ(live_streams, 0);
  EXPECT_EQ(native().dispatcher().context_count(), 1u);  // the plugin context remains
}

TEST_F(ContextLifecycle, DispatchesTcpCallbacks) {
  const uint32_t root = emu_.start_plugin("", "tcp");
  events.clear();
  const uint32_t conn = emu_.open_stream(root);
  EXPECT_EQ(emu_.new_connection(conn), Action::Continue);
  EXPECT_EQ(emu_.send_downstream_data(conn, "ping", false), Action::Continue);
  EXPECT_EQ(emu_.host().stream(conn).request.forwarded, ">ping");
  // Envoy follows upstream data that ends the stream with an upstream close (peer Unknown).
  EXPECT_EQ(emu_.send_upstream_data(conn, "pong", true), Action::Pause);
  // HTTP events for a TCP context are not delivered.
  EXPECT_EQ(emu_.send_request_headers(conn, {}), Action::Continue);
  emu_.close_downstream(conn, coproxy::PeerType::Local);  // ends the connection
  emu_.close_upstream(conn);                              // too late: dropped
  emu_.end_stream(conn);                                  // ended already: nothing
  EXPECT_EQ(events, (std::vector<std::string>{"new_connection", "downstream 4", "upstream 4 end",
                                              "upstream_close 0", "downstream_close 1",
                                              "tcp_stream_done"}));
  EXPECT_EQ(live_streams, 0);
}

TEST_F(ContextLifecycle, EventsForUnknownIdsAreIgnored) {
  const uint32_t root = emu_.start_plugin();
  events.clear();
  NativePlugin& p = native();
  EXPECT_EQ(p.on_request_headers(999, 1, 0), 0u);
  EXPECT_EQ(p.on_response_body(999, 1, 1), 0u);
  EXPECT_EQ(p.on_new_connection(999), 0u);
  EXPECT_EQ(p.on_downstream_data(root, 1, 0), 0u);  // a plugin context is no stream
  EXPECT_EQ(p.on_done(999), 1u);
  p.on_log(999);
  p.on_delete(999);
  p.on_tick(999);
  p.on_queue_ready(999, 1);
  p.on_http_call_response(999, 1, 1, 0, 0);
  p.on_http_call_response(root, 12345, 1, 0, 0);  // no such token
  p.on_grpc_receive(root, 12345, 0);
  p.on_grpc_close(root, 12345, 0);
  p.on_context_create(root, 0);  // created twice
  EXPECT_EQ(p.on_configure(999, 0), 0u);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(native().dispatcher().context_count(), 1u);
}

// Which plugin classes the dispatcher asks for a TCP context first (SinglePluginVm sets
// PluginContext::makes_tcp_streams_ from this): every class but one keeping the default.
namespace tcp_or_not {
using coproxy::detail::may_make_tcp_streams;
struct HttpOnly : coproxy::PluginContext {
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override { return nullptr; }
};
struct Tcp : coproxy::PluginContext {
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override { return nullptr; }
};
struct DerivedFromTcp : Tcp {};
class PrivatelyTcp : public coproxy::PluginContext {
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override { return nullptr; }
};
static_assert(!may_make_tcp_streams<coproxy::PluginContext>());
static_assert(!may_make_tcp_streams<HttpOnly>());
static_assert(may_make_tcp_streams<Tcp>());
static_assert(may_make_tcp_streams<DerivedFromTcp>());
static_assert(may_make_tcp_streams<PrivatelyTcp>());
}  // namespace tcp_or_not

TEST_F(ContextLifecycle, AStreamIdCreatedTwiceKeepsTheFirstContext) {
  const uint32_t root = emu_.start_plugin();
  const uint32_t stream = emu_.open_stream(root);
  const int live = live_streams;
  NativePlugin& p = native();
  p.on_context_create(stream, root);  // the host reuses a live id
  // The context made for the second create went at once; the first still gets its events.
  EXPECT_EQ(live_streams, live);
  EXPECT_EQ(native().dispatcher().context_count(), 2u);
  events.clear();
  EXPECT_EQ(emu_.send_request_headers(stream, {{"x", "1"}}), Action::Continue);
  EXPECT_EQ(events, (std::vector<std::string>{"request_headers 1"}));
}

TEST_F(ContextLifecycle, CalloutAnswerRunsTheCallbackOnTheStream) {
  const uint32_t root = emu_.start_plugin();
  const uint32_t stream = emu_.open_stream(root);
  events.clear();
  EXPECT_EQ(emu_.send_request_headers(stream, {{"x-call", "1"}}), Action::Pause);
  ASSERT_EQ(emu_.host().http_callouts().size(), 1u);
  const auto& callout = emu_.host().http_callouts()[0];
  EXPECT_EQ(callout.upstream, "auth");
  EXPECT_EQ(callout.timeout_ms, 100u);
  EXPECT_EQ(plugin(root).pending_call_count(), 1u);

  emu_.answer_http_call(callout.token, {{":status", "200"}, {"x-user", "ada"}}, "ok");
  EXPECT_EQ(events, (std::vector<std::string>{"request_headers 1", "callout 200 body=ok"}));
  // The callback ran with the stream effective: the header and the continue landed there.
  EXPECT_EQ(emu_.host().stream(stream).maps[0], (Pairs{{"x-call", "1"}, {"x-user", "ada"}}));
  EXPECT_EQ(emu_.host().stream(stream).continued,
            std::vector<coproxy::StreamType>{coproxy::StreamType::HttpRequest});
  EXPECT_EQ(plugin(root).pending_call_count(), 0u);

  // A second answer for the same token is dropped.
  emu_.answer_http_call(callout.token, {{":status", "500"}});
  EXPECT_EQ(events.size(), 2u);
}

TEST_F(ContextLifecycle, FailedCalloutIsAResponseWithNoHeaders) {
  const uint32_t root = emu_.start_plugin();
  const uint32_t stream = emu_.open_stream(root);
  events.clear();
  emu_.send_request_headers(stream, {{"x-call", "1"}});
  emu_.fail_http_call(emu_.host().http_callouts()[0].token);
  EXPECT_EQ(events.back(), "callout 0 failed body=");
}

TEST_F(ContextLifecycle, LateCalloutAfterTheStreamDiedIsDropped) {
  const uint32_t root = emu_.start_plugin();
  const uint32_t stream = emu_.open_stream(root);
  events.clear();
  emu_.send_request_headers(stream, {{"x-call", "1"}});
  const uint32_t token = emu_.host().http_callouts()[0].token;
  emu_.end_stream(stream);
  EXPECT_EQ(live_streams, 0);
  EXPECT_EQ(plugin(root).pending_call_count(), 0u);
  emu_.answer_http_call(token, {{":status", "200"}});
  EXPECT_EQ(events, (std::vector<std::string>{"request_headers 1", "http_stream_done"}));
}

TEST_F(ContextLifecycle, DeletingThePluginDeletesItsStreams) {
  const uint32_t root = emu_.start_plugin();
  emu_.open_stream(root);
  const uint32_t calling = emu_.open_stream(root);
  emu_.send_request_headers(calling, {{"x-call", "1"}});
  EXPECT_EQ(live_streams, 2);
  emu_.delete_context(root);
  EXPECT_EQ(live_streams, 0);
  EXPECT_EQ(native().dispatcher().context_count(), 0u);
  emu_.answer_http_call(emu_.host().http_callouts()[0].token, {{":status", "200"}});
}

TEST_F(ContextLifecycle, PluginDoneCanBeDeferred) {
  const uint32_t root = emu_.start_plugin();
  EXPECT_TRUE(emu_.stop_plugin(root));
  plugin(root).defer_done = true;
  EXPECT_FALSE(emu_.stop_plugin(root));
  EXPECT_EQ(emu_.host().done_calls(), 0u);
  {
    coproxy::testing::ActiveHostScope scope(emu_.host());
    EXPECT_TRUE(plugin(root).done().ok());
  }
  EXPECT_EQ(emu_.host().done_calls(), 1u);
  EXPECT_EQ(emu_.host().effective_context(), root);  // proxy_done acted on the plugin
}

TEST_F(ContextLifecycle, TickQueueAndForeignFunctionReachThePlugin) {
  const uint32_t root = emu_.start_plugin();
  events.clear();
  emu_.tick(root);
  uint32_t queue = 0;
  {
    coproxy::testing::ActiveHostScope scope(emu_.host());
    emu_.host().act_as(root);
    queue = coproxy::register_shared_queue("q").value_or(0);
    ASSERT_TRUE(coproxy::enqueue_shared_queue(queue, "msg").ok());
  }
  emu_.deliver_queue_ready();
  emu_.call_foreign_function(root, 7, "args");
  EXPECT_EQ(events,
            (std::vector<std::string>{"tick", "queue_ready " + std::to_string(queue) + " msg",
                                      "foreign 7 args"}));
}

TEST_F(ContextLifecycle, GrpcUnaryCallbackAndStreamHandler) {
  const uint32_t root = emu_.start_plugin();
  events.clear();
  coproxy::GrpcMethod method{"cluster", "svc", "M"};
  uint32_t ok_token = 0, failing_token = 0, stream_token = 0;
  {
    coproxy::testing::ActiveHostScope scope(emu_.host());
    emu_.host().act_as(root);
    auto on_reply = [](coproxy::GrpcStatus status, std::string_view message) {
      events.push_back("unary " + std::string(coproxy::grpc_status_name(status)) + " " +
                       std::string(message));
    };
    ok_token = plugin(root)
                   .grpc_call(method, {}, "req", std::chrono::milliseconds(50), on_reply)
                   .value_or(0);
    failing_token = plugin(root)
                        .grpc_call(method, {}, "req", std::chrono::milliseconds(50), on_reply)
                        .value_or(0);
    stream_token =
        plugin(root).grpc_stream(method, {{"k", "v"}}, plugin(root).grpc_events).value_or(0);
  }
  ASSERT_NE(ok_token, 0u);
  ASSERT_NE(stream_token, 0u);
  emu_.grpc_message(ok_token, "reply");
  emu_.grpc_close(failing_token, 14, "unavailable");
  emu_.grpc_initial_metadata(stream_token, {{"a", "1"}});
  emu_.grpc_message(stream_token, "m1");
  emu_.grpc_message(stream_token, "m2");
  emu_.grpc_trailing_metadata(stream_token, {});
  emu_.grpc_close(stream_token, 0);
  emu_.grpc_message(stream_token, "late");  // after close: dropped
  EXPECT_EQ(events, (std::vector<std::string>{
                        "unary OK reply", "unary UNAVAILABLE ", "grpc_initial_metadata 1", "grpc_message m1",
                        "grpc_message m2", "grpc_trailing_metadata 0", "grpc_close 0"}));
  EXPECT_EQ(plugin(root).pending_call_count(), 0u);
}

TEST_F(ContextLifecycle, GrpcCancelStopsEvents) {
  const uint32_t root = emu_.start_plugin();
  events.clear();
  uint32_t token = 0;
  {
    coproxy::testing::ActiveHostScope scope(emu_.host());
    emu_.host().act_as(root);
    token = plugin(root).grpc_stream({"c", "s", "m"}, {}, plugin(root).grpc_events).value_or(0);
    EXPECT_TRUE(plugin(root).grpc_cancel(token).ok());
    EXPECT_EQ(plugin(root).grpc_cancel(token).code(), coproxy::StatusCode::NotFound);
  }
  EXPECT_TRUE(emu_.host().find_grpc(token)->cancelled);
  emu_.grpc_message(token, "late");
  EXPECT_TRUE(events.empty());
}

}  // namespace
