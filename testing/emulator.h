// Emulator: drives a plugin the way a Proxy-Wasm host does, so that a test reads as a story:
//   Emulator emu(load_native("my_plugin"));   // or load_wasm("my_plugin"): same test
//   uint32_t root = emu.start_plugin("config");
//   uint32_t stream = emu.open_stream(root);
//   EXPECT_EQ(emu.send_request_headers(stream, {{":path", "/"}}), Action::Pause);
//   emu.answer_http_call(emu.host().http_callouts()[0].token, {{":status", "200"}});
//   EXPECT_EQ(emu.host().stream(stream).continued.size(), 1u);
// It owns the Host (state, records, strictness, trace) and decides when callbacks are
// delivered (HostBehaviour); it talks to the plugin only through PluginBackend.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coproxy/abi/types.h"
#include "testing/host.h"
#include "testing/plugin_backend.h"

namespace coproxy::testing {

// Where real hosts differ; the defaults are Envoy's (cpp-host's).
struct HostBehaviour {
  // Pause from a headers callback holds that direction's body and trailers callbacks until
  // the plugin continues it (cpp-host turns it into StopAllIterationAndWatermark). Off: they
  // are delivered while the headers stay paused (Envoy's opt-in StopIteration).
  bool header_pause_holds_body = true;
  // Callbacks held while a direction was paused are delivered from inside
  // proxy_continue_stream (re-entrantly) or after the plugin's current callback returns.
  enum class ContinueDelivery : uint8_t { AfterReturn, Reentrant };
  ContinueDelivery continue_delivery = ContinueDelivery::AfterReturn;
  // A callout that fails (reset, timeout) comes back as a response with no headers (Envoy's
  // onHttpCallFailure), or as the host router's local reply (504 for a timeout, 503 else).
  enum class FailedCallout : uint8_t { EmptyResponse, LocalReply };
  FailedCallout failed_callout = FailedCallout::EmptyResponse;
  // Envoy sends a plugin's local reply, after the callback that sent it returns, through the
  // stream's own response callbacks (its headers with :status, then its body), when no
  // response headers had come from upstream yet; after they came, straight to the client.
  // Off: the reply always goes straight to the client.
  bool local_reply_through_response_callbacks = true;
  // A host that ends an HTTP stream the plugin closes at once: proxy_on_done, proxy_on_log and
  // proxy_on_delete come from inside proxy_close_stream. Envoy defers the reset until the
  // plugin's callback returns (context.cc closeStream: addAfterVmCallAction).
  bool close_ends_stream_inside_the_call = false;
  // Envoy (proxy-wasm-cpp-host's WasmHandleBase::canary) first starts and configures each
  // plugin in a clone of the VM that it then throws away: proxy_on_context_create,
  // proxy_on_vm_start and proxy_on_configure run twice, and what the canary started (calls,
  // streams, ticks) is reset with it, unanswered. Off: one VM only.
  bool canary_vm = true;
  // The status a unary gRPC call gets when its deadline passes: DEADLINE_EXCEEDED (4) in
  // current Envoy (envoyproxy/envoy#44479), UNAVAILABLE (14) before it (a 504 mapped to gRPC).
  enum class GrpcDeadline : uint8_t { DeadlineExceeded, Unavailable };
  GrpcDeadline grpc_deadline = GrpcDeadline::DeadlineExceeded;
  // A deadline for gRPC streams, in ms from their start: then they close with the status
  // above. 0: none, as in Envoy, whose Context::grpcStream sets no timeout on the stream
  // (Http::AsyncClient::StreamOptions), so a stream ends only by a close, a reset or a cancel.
  uint32_t grpc_stream_timeout_ms = 0;
  // A host that still delivers events for calls it finished (answered, cancelled, closed): a
  // duplicate or late answer the plugin must drop. Off, as in Envoy, which erases a call's
  // handler once it is done. The canary's calls get nothing either way.
  bool redeliver_finished_calls = false;
  // Which of two events due at the same instant comes first: the plugin's tick (a timer,
  // with_timeout's deadline) or a call's own timeout (an HTTP callout's, a gRPC deadline). In
  // Envoy either may (both are timers of one dispatcher, in no set order), so a plugin must not
  // depend on it; a test runs both orders.
  enum class SameInstant : uint8_t { TickFirst, TimeoutFirst };
  SameInstant same_instant = SameInstant::TickFirst;
};

class Emulator {
 public:
  // `load` makes the plugin instance for this emulator's Host.
  using Loader = PluginLoader;
  explicit Emulator(const Loader& load, HostBehaviour behaviour = {});
  ~Emulator();

  Host& host() { return host_; }
  const Host& host() const { return host_; }
  PluginBackend& plugin() { return *plugin_; }
  bool loaded() const { return plugin_ != nullptr; }
  // The plugin trapped (a .wasm): like a real host, the emulator calls it no more.
  bool failed() const { return plugin_ && plugin_->trap_message().has_value(); }

  // Creates a plugin (root) context with this root id, starts and configures it, as
  // cpp-host does for each plugin (proxy_on_vm_start runs for every plugin context), after
  // the canary VM (HostBehaviour::canary_vm). Returns the root context id, or 0 when the
  // plugin refused to start, in the canary or here. The VM configuration is the VM's: a later
  // plugin that passes none shares the one given before.
  uint32_t start_plugin(std::string plugin_configuration = "", std::string root_id = "",
                        std::string vm_configuration = "");
  // A new stream context under `root`.
  uint32_t open_stream(uint32_t root);

  // Each stream event returns the plugin's answer, or nullopt when the host did not deliver
  // it: held (the direction is paused, see HostBehaviour) or dropped (the stream ended with a
  // local response or a close). Held events are delivered in order when the plugin continues.
  using Delivery = std::optional<Action>;
  Delivery send_request_headers(uint32_t stream, Pairs headers, bool end_of_stream = false);
  Delivery send_request_body(uint32_t stream, std::string chunk, bool end_of_stream);
  Delivery send_request_trailers(uint32_t stream, Pairs trailers);
  Delivery send_response_headers(uint32_t stream, Pairs headers, bool end_of_stream = false);
  Delivery send_response_body(uint32_t stream, std::string chunk, bool end_of_stream);
  Delivery send_response_trailers(uint32_t stream, Pairs trailers);

  // TCP, as Envoy's network filter delivers it (source/extensions/common/wasm/context.cc):
  // upstream data with end_of_stream is followed by proxy_on_upstream_connection_close
  // (peer Unknown); a downstream close (the client's, or the plugin's proxy_close_stream,
  // delivered as peer Local after its callback) ends the connection: proxy_on_done,
  // proxy_on_log, proxy_on_delete follow at once and nothing more is delivered or forwarded.
  Delivery new_connection(uint32_t stream);
  Delivery send_downstream_data(uint32_t stream, std::string chunk, bool end_of_stream);
  Delivery send_upstream_data(uint32_t stream, std::string chunk, bool end_of_stream);
  void close_downstream(uint32_t stream, PeerType peer = PeerType::Remote);
  void close_upstream(uint32_t stream, PeerType peer = PeerType::Remote);

  // Events held for a stream (both directions).
  size_t held_events(uint32_t stream) const;

  // Ends a stream as a host does: proxy_on_done, proxy_on_log, proxy_on_delete (nothing when
  // it has ended already, as a closed TCP connection has).
  void end_stream(uint32_t stream);
  // Asks the plugin to finish (proxy_on_done); true when it is done at once.
  bool stop_plugin(uint32_t root);
  void delete_context(uint32_t context_id);

  // The virtual clock: advances it by `milliseconds`, delivering on the way, in time order,
  // each plugin context's ticks and the timeouts of unanswered callouts.
  void advance(uint64_t milliseconds);
  void tick(uint32_t root);
  // Delivers proxy_on_queue_ready for every queue that got a message.
  void deliver_queue_ready();
  void call_foreign_function(uint32_t root, uint32_t function_id, std::string arguments);

  // Answers HTTP callout `token` on the plugin context of the context that made it. A token
  // the host never issued goes to the first plugin context (to test a plugin's guard).
  void answer_http_call(uint32_t token, Pairs headers, std::string body = "", Pairs trailers = {});
  // Fails it as the host does for a reset (HostBehaviour::failed_callout).
  void fail_http_call(uint32_t token);
  // gRPC events, in the order Envoy's async client delivers them. A unary call gets one
  // event: its message (success) or a close (failure); metadata never. A stream gets initial
  // metadata before its first message and trailing metadata before its close (sent empty
  // here when the test sends none). Nothing comes for a call the host no longer holds
  // (GrpcCallout::held_by_host: answered, cancelled, closed, or the canary's); a token the
  // host never issued goes to the first plugin context.
  void grpc_initial_metadata(uint32_t token, Pairs metadata);
  void grpc_message(uint32_t token, std::string message);
  void grpc_trailing_metadata(uint32_t token, Pairs metadata);
  void grpc_close(uint32_t token, uint32_t status, std::string message = "");

 private:
  struct StreamEvent {
    Callback callback;
    Pairs map;
    std::string chunk;
    bool end_of_stream = false;
  };
  struct StreamFlow {
    std::deque<StreamEvent> held[2];  // by direction: request/downstream, response/upstream
    bool ended = false;               // local response or close: no more stream events
    bool connection_closed = false;   // TCP: the downstream connection is gone, nothing flows
    bool finished = false;            // proxy_on_done, _log and _delete were delivered
  };
  enum class Returns : uint8_t { Nothing, Action, Bool };

  // One callback into the plugin: the host frame, the trace line, then (outermost call
  // only) the deliveries the plugin's continue calls deferred.
  template <class Body>
  uint32_t call(Callback callback, uint32_t context, std::initializer_list<TraceValue> arguments,
                Returns returns, Body&& body, bool end_of_stream = false);

  Delivery send(uint32_t stream, StreamEvent event);
  Action deliver(uint32_t stream, const StreamEvent& event);
  // One stream callback and what the host records of its answer (paused, forwarded).
  Action deliver_event(uint32_t stream, const StreamEvent& event);
  void drain(uint32_t stream, int direction);
  void drain_deferred();
  // Runs a local reply through the stream's response callbacks (HostBehaviour).
  void deliver_local_reply(uint32_t stream);
  void on_flow(uint32_t stream, Host::Flow flow, StreamType type);
  // Envoy's Context::onCloseTCP: proxy_on_done, proxy_on_log, proxy_on_delete, once.
  void finish_connection(uint32_t stream);
  // The events of one plugin context's start-up: create, VM start, configure.
  bool start_root(uint32_t root, const std::string& plugin_configuration,
                  const std::string& vm_configuration);
  // Starts and configures the plugin in a canary VM, then throws it away (HostBehaviour).
  bool run_canary(const std::string& plugin_configuration, const std::string& vm_configuration);
  // The gRPC call `token` may still get events (an unknown token may: the plugin's guard).
  bool grpc_deliverable(uint32_t token, std::string_view event);
  void deliver_grpc_metadata(uint32_t token, Pairs metadata, bool initial);
  void forward_body(uint32_t stream, int direction);
  // The plugin context that gets a callout's events: its caller's (recorded at the call), or
  // the first plugin context for a token the host never issued.
  uint32_t root_for_token(uint32_t root_context_id) const;
  uint32_t grpc_root(uint32_t token);
  void deliver_http_response(uint32_t token, Pairs headers, std::string body, Pairs trailers);

  HostBehaviour behaviour_;
  Host host_;
  Loader load_;
  std::unique_ptr<PluginBackend> plugin_;
  std::vector<std::unique_ptr<PluginBackend>> idle_vms_;  // thrown-away native canaries
  std::string vm_configuration_;
  std::map<uint32_t, StreamFlow> flows_;
  // Directions continued during a call, to drain when it returns (ContinueDelivery::AfterReturn).
  std::vector<std::pair<uint32_t, int>> deferred_drains_;
  std::vector<uint32_t> deferred_local_replies_;  // streams whose reply awaits its turn
  std::vector<uint32_t> deferred_tcp_closes_;     // connections the plugin closed
  int delivering_ = 0;  // stream deliveries in progress (their bookkeeping comes after the call)
  struct TickSchedule {
    uint64_t set_at_ns = 0;  // when the plugin last set the period
    uint64_t period_ns = 0;
    uint64_t next_ns = 0;
  };
  std::map<uint32_t, TickSchedule> ticks_;  // by plugin context
  uint32_t next_context_id_ = 1;
  uint32_t first_root_ = 0;
};

}  // namespace coproxy::testing
