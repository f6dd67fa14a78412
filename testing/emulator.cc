#include "testing/emulator.h"

#include <limits>
#include <utility>

#include "coproxy/grpc_status.h"

namespace coproxy::testing {
namespace {

uint32_t count(const Pairs& pairs) { return static_cast<uint32_t>(pairs.size()); }
uint32_t size32(const std::string& s) { return static_cast<uint32_t>(s.size()); }

constexpr uint64_t kNanosPerMilli = 1'000'000;

bool is_tcp(StreamType type) {
  return type == StreamType::Downstream || type == StreamType::Upstream;
}

bool pauses(uint32_t action) {
  const auto value = static_cast<Action>(action);
  return value == Action::Pause || value == Action::StopAllIterationAndBuffer ||
         value == Action::StopAllIterationAndWatermark;
}

// 0: request (HTTP) or downstream data (TCP); 1: response or upstream data.
int direction_of(Callback callback) {
  switch (callback) {
    case Callback::ResponseHeaders:
    case Callback::ResponseBody:
    case Callback::ResponseTrailers:
    case Callback::UpstreamData: return 1;
    default: return 0;
  }
}

Direction& direction(StreamState& stream, int index) {
  return index == 0 ? stream.request : stream.response;
}

TraceValue named(std::string_view name, TraceValue value) {
  return TraceValue::named(name, std::move(value));
}

}  // namespace

Emulator::Emulator(const Loader& load, HostBehaviour behaviour)
    : behaviour_(behaviour), load_(load), plugin_(load(host_)) {
  host_.on_flow(
      [this](uint32_t stream, Host::Flow flow, StreamType type) { on_flow(stream, flow, type); });
}

Emulator::~Emulator() {
  plugin_.reset();
  idle_vms_.clear();
}

template <class Body>
uint32_t Emulator::call(Callback callback, uint32_t context,
                        std::initializer_list<TraceValue> arguments, Returns returns, Body&& body,
                        bool end_of_stream) {
  if (failed()) return 0;
  host_.trace_line("-> " + format_call(callback_name(callback), arguments));
  host_.begin_call(callback, context, end_of_stream);
  const uint32_t result = body();
  host_.end_call();
  if (std::optional<std::string> trap = plugin_->trap_message()) {
    host_.trace_line("!! the plugin trapped: " + *trap);
    return 0;
  }
  if (returns == Returns::Action) host_.trace_line("<- " + std::string(action_name(result)));
  if (returns == Returns::Bool) host_.trace_line(result ? "<- true" : "<- false");
  // Deferred deliveries wait for the outermost call, and for its stream bookkeeping
  // (deliver() drains itself once it has recorded the answer).
  if (host_.call_depth() == 0 && delivering_ == 0) drain_deferred();
  return result;
}

uint32_t Emulator::start_plugin(std::string plugin_configuration, std::string root_id,
                                std::string vm_configuration) {
  if (!loaded() || failed()) return 0;
  host_.put_property({"plugin_root_id"}, root_id);
  if (!vm_configuration.empty()) vm_configuration_ = std::move(vm_configuration);
  if (behaviour_.canary_vm && !run_canary(plugin_configuration, vm_configuration_)) return 0;
  const uint32_t root = next_context_id_++;
  if (first_root_ == 0) first_root_ = root;
  return start_root(root, plugin_configuration, vm_configuration_) ? root : 0;
}

bool Emulator::start_root(uint32_t root, const std::string& plugin_configuration,
                          const std::string& vm_configuration) {
  host_.add_context(root);
  call(Callback::ContextCreate, root, {named("context", root), named("parent", 0)},
       Returns::Nothing, [&] {
         plugin_->on_context_create(root, 0);
         return 0;
       });
  // cpp-host's ContextBase::onStart: every plugin context gets proxy_on_vm_start.
  const uint32_t started =
      call(Callback::VmStart, root, {named("context", root), vm_configuration}, Returns::Bool, [&] {
        host_.set_call_buffer(BufferType::VmConfiguration, vm_configuration);
        return plugin_->on_vm_start(root, size32(vm_configuration));
      });
  if (!started) return false;
  return call(Callback::Configure, root, {named("context", root), plugin_configuration},
              Returns::Bool, [&] {
                host_.set_call_buffer(BufferType::PluginConfiguration, plugin_configuration);
                return plugin_->on_configure(root, size32(plugin_configuration));
              }) != 0;
}

bool Emulator::run_canary(const std::string& plugin_configuration,
                          const std::string& vm_configuration) {
  // proxy-wasm-cpp-host (src/wasm.cc, WasmHandleBase::canary) clones the VM, starts and
  // configures the plugin in it, then kills it: no proxy_on_done, no proxy_on_delete. Envoy's
  // Context destructor cancels the canary's callouts and resets its gRPC streams.
  std::unique_ptr<PluginBackend> canary = load_(host_);
  if (!canary) return false;
  const uint32_t root = next_context_id_;  // a fresh VM numbers its contexts from the start too
  const size_t http_before = host_.http_callouts().size();
  const size_t grpc_before = host_.grpc_callouts().size();
  host_.trace_line("host: a canary VM starts and configures the plugin, to be thrown away");
  std::swap(plugin_, canary);
  const bool ok = start_root(root, plugin_configuration, vm_configuration) && !failed();
  std::swap(plugin_, canary);
  // Envoy frees the VM without calling it. A native instance would run its destructors (and
  // their host calls) now, so it stays idle until the emulator ends.
  if (canary->destruction_runs_plugin_code()) {
    idle_vms_.push_back(std::move(canary));
  } else {
    canary.reset();
  }
  host_.discard_vm_calls(root, http_before, grpc_before);
  host_.remove_context(root);
  host_.trace_line(ok ? "host: the canary VM is thrown away; its calls are reset"
                      : "host: the plugin failed in the canary VM; it does not start");
  return ok;
}

uint32_t Emulator::open_stream(uint32_t root) {
  const uint32_t stream = next_context_id_++;
  host_.add_context(stream, root);
  host_.stream_facts(stream).start_ns = host_.now_ns();
  flows_[stream];
  call(Callback::ContextCreate, stream, {named("context", stream), named("parent", root)},
       Returns::Nothing, [&] {
         plugin_->on_context_create(stream, root);
         return 0;
       });
  return stream;
}

// ---- stream events: delivered, held while the direction is paused, or dropped ----

Emulator::Delivery Emulator::send(uint32_t stream, StreamEvent event) {
  StreamFlow& flow = flows_[stream];
  const std::string what(callback_name(event.callback));
  if (flow.ended || failed()) {
    host_.trace_line("host drops " + what + " for stream " + std::to_string(stream) +
                     ": the stream ended");
    return std::nullopt;
  }
  const int index = direction_of(event.callback);
  const Direction& dir = direction(host_.stream(stream), index);
  const bool is_headers =
      event.callback == Callback::RequestHeaders || event.callback == Callback::ResponseHeaders;
  const bool holding = behaviour_.header_pause_holds_body && dir.headers_paused;
  if (!flow.held[index].empty() || (holding && !is_headers)) {
    host_.trace_line("host holds " + what + " for stream " + std::to_string(stream) + ": paused");
    flow.held[index].push_back(std::move(event));
    return std::nullopt;
  }
  return deliver(stream, event);
}

Action Emulator::deliver(uint32_t stream, const StreamEvent& event) {
  ++delivering_;
  const Action action = deliver_event(stream, event);
  if (--delivering_ == 0 && host_.call_depth() == 0) drain_deferred();
  // Envoy's Context::onWrite: "called when seeing end_stream=true and not on an upstream
  // connection event".
  if (event.callback == Callback::UpstreamData && event.end_of_stream) {
    close_upstream(stream, PeerType::Unknown);
  }
  return action;
}

Action Emulator::deliver_event(uint32_t stream, const StreamEvent& event) {
  StreamState& state = host_.stream(stream);
  const int index = direction_of(event.callback);
  Direction& dir = direction(state, index);
  const bool eos = event.end_of_stream;
  uint32_t result = 0;
  switch (event.callback) {
    case Callback::RequestHeaders:
    case Callback::ResponseHeaders: {
      const uint32_t map = index == 0 ? 0 : 2;
      state.maps[map] = event.map;
      dir.phase = Phase::Headers;
      const uint32_t n = count(state.maps[map]);
      result = call(
          event.callback, stream,
          {named("context", stream), named("headers", n), named("end_of_stream", eos)},
          Returns::Action,
          [&] {
            return index == 0 ? plugin_->on_request_headers(stream, n, eos)
                              : plugin_->on_response_headers(stream, n, eos);
          },
          eos);
      if (pauses(result)) dir.headers_paused = true;
      break;
    }
    case Callback::RequestBody:
    case Callback::ResponseBody:
    case Callback::DownstreamData:
    case Callback::UpstreamData: {
      const bool tcp =
          event.callback == Callback::DownstreamData || event.callback == Callback::UpstreamData;
      // While the plugin pauses a body, the host buffers: each callback sees all of it.
      std::string& buffer = state.buffers[(tcp ? 2 : 0) + index];
      buffer += event.chunk;
      dir.phase = Phase::Body;
      const uint32_t size = size32(buffer);
      result = call(
          event.callback, stream,
          {named("context", stream), named("size", size), named("end_of_stream", eos)},
          Returns::Action,
          [&] {
            switch (event.callback) {
              case Callback::RequestBody: return plugin_->on_request_body(stream, size, eos);
              case Callback::ResponseBody: return plugin_->on_response_body(stream, size, eos);
              case Callback::DownstreamData: return plugin_->on_downstream_data(stream, size, eos);
              default: return plugin_->on_upstream_data(stream, size, eos);
            }
          },
          eos);
      if (pauses(result)) {
        dir.paused_at = Phase::Body;
      } else {
        // Continue lets the whole direction go on: the body buffered so far, and headers the
        // plugin paused before (Envoy resumes the stopped iteration).
        dir.headers_paused = false;
        dir.paused_at = Phase::None;
        forward_body(stream, index);
      }
      break;
    }
    case Callback::RequestTrailers:
    case Callback::ResponseTrailers: {
      const uint32_t map = index == 0 ? 1 : 3;
      state.maps[map] = event.map;
      dir.phase = Phase::Trailers;
      const uint32_t n = count(state.maps[map]);
      result = call(event.callback, stream, {named("context", stream), named("trailers", n)},
                    Returns::Action, [&] {
                      return index == 0 ? plugin_->on_request_trailers(stream, n)
                                        : plugin_->on_response_trailers(stream, n);
                    });
      if (pauses(result)) {
        dir.paused_at = Phase::Trailers;
      } else {
        dir.headers_paused = false;
        dir.paused_at = Phase::None;
        forward_body(stream, index);
      }
      break;
    }
    default: break;
  }
  return static_cast<Action>(result);
}

void Emulator::forward_body(uint32_t stream, int index) {
  StreamState& state = host_.stream(stream);
  Direction& dir = direction(state, index);
  for (int buffer : {index, index + 2}) {  // HTTP body or TCP data of this direction
    dir.forwarded += state.buffers[buffer];
    state.buffers[buffer].clear();
  }
}

void Emulator::on_flow(uint32_t stream, Host::Flow flow_event, StreamType type) {
  StreamFlow& flow = flows_[stream];
  if (flow_event != Host::Flow::Continue) {
    flow.ended = true;  // a local response or a close: the host delivers no more events
    flow.held[0].clear();
    flow.held[1].clear();
    if (flow_event == Host::Flow::Close && is_tcp(type)) {
      // Envoy closes the downstream connection (either type) after the callback returns;
      // its LocalClose event then ends the connection.
      if (!flow.connection_closed) deferred_tcp_closes_.push_back(stream);
      if (host_.call_depth() == 0) drain_deferred();
      return;
    }
    if (flow_event == Host::Flow::Close && behaviour_.close_ends_stream_inside_the_call) {
      end_stream(stream);  // done, log and delete, all from inside proxy_close_stream
      return;
    }
    if (flow_event == Host::Flow::LocalResponse &&
        behaviour_.local_reply_through_response_callbacks) {
      deferred_local_replies_.push_back(stream);
      if (host_.call_depth() == 0) drain_deferred();  // sent by test code: no callback to wait
    }
    return;
  }
  const int index = static_cast<int>(type) % 2;
  Direction& dir = direction(host_.stream(stream), index);
  if (flow.connection_closed) {
    host_.trace_line("host forwards nothing for stream " + std::to_string(stream) +
                     ": the connection is closed");
    return;
  }
  dir.headers_paused = false;
  dir.paused_at = Phase::None;
  forward_body(stream, index);
  if (flow.held[index].empty()) return;
  if (behaviour_.continue_delivery == HostBehaviour::ContinueDelivery::Reentrant) {
    drain(stream, index);
  } else {
    deferred_drains_.emplace_back(stream, index);
  }
}

void Emulator::drain(uint32_t stream, int index) {
  for (;;) {
    StreamFlow& flow = flows_[stream];
    const Direction& dir = direction(host_.stream(stream), index);
    const bool holding = behaviour_.header_pause_holds_body && dir.headers_paused;
    if (flow.ended || holding || flow.held[index].empty() || failed()) return;
    StreamEvent event = std::move(flow.held[index].front());
    flow.held[index].pop_front();
    deliver(stream, event);
  }
}

void Emulator::drain_deferred() {
  while (!deferred_drains_.empty() || !deferred_local_replies_.empty() ||
         !deferred_tcp_closes_.empty()) {
    if (!deferred_tcp_closes_.empty()) {
      const uint32_t stream = deferred_tcp_closes_.front();
      deferred_tcp_closes_.erase(deferred_tcp_closes_.begin());
      close_downstream(stream, PeerType::Local);
      continue;
    }
    if (!deferred_local_replies_.empty()) {
      const uint32_t stream = deferred_local_replies_.front();
      deferred_local_replies_.erase(deferred_local_replies_.begin());
      deliver_local_reply(stream);
      continue;
    }
    const auto [stream, index] = deferred_drains_.front();
    deferred_drains_.erase(deferred_drains_.begin());
    drain(stream, index);
  }
}

void Emulator::deliver_local_reply(uint32_t stream) {
  StreamState& state = host_.stream(stream);
  if (!state.local_response || !host_.has_context(stream) || failed()) return;
  // Envoy (FilterManager::sendLocalReply, source/common/http/filter_manager.cc) runs the reply
  // through the filter chain only while no response headers exist. Once the upstream's
  // headers reached the filters it goes straight to the client (sendDirectLocalReply), and
  // once they were sent the stream is reset instead.
  if (state.response.phase != Phase::None) return;
  const LocalResponse reply = *state.local_response;
  Pairs headers = {{":status", std::to_string(reply.status_code)}};
  headers.insert(headers.end(), reply.headers.begin(), reply.headers.end());
  host_.trace_line("host sends the local reply of stream " + std::to_string(stream) +
                   " through its response callbacks");
  state.buffers[1].clear();
  state.response = Direction{};
  deliver(stream,
          StreamEvent{Callback::ResponseHeaders, std::move(headers), {}, reply.body.empty()});
  if (!reply.body.empty()) {
    deliver(stream, StreamEvent{Callback::ResponseBody, {}, reply.body, true});
  }
}

size_t Emulator::held_events(uint32_t stream) const {
  auto it = flows_.find(stream);
  return it == flows_.end() ? 0 : it->second.held[0].size() + it->second.held[1].size();
}

Emulator::Delivery Emulator::send_request_headers(uint32_t stream, Pairs headers,
                                                  bool end_of_stream) {
  return send(stream, {Callback::RequestHeaders, std::move(headers), {}, end_of_stream});
}

Emulator::Delivery Emulator::send_request_body(uint32_t stream, std::string chunk,
                                               bool end_of_stream) {
  return send(stream, {Callback::RequestBody, {}, std::move(chunk), end_of_stream});
}

Emulator::Delivery Emulator::send_request_trailers(uint32_t stream, Pairs trailers) {
  return send(stream, {Callback::RequestTrailers, std::move(trailers), {}, true});
}

Emulator::Delivery Emulator::send_response_headers(uint32_t stream, Pairs headers,
                                                   bool end_of_stream) {
  return send(stream, {Callback::ResponseHeaders, std::move(headers), {}, end_of_stream});
}

Emulator::Delivery Emulator::send_response_body(uint32_t stream, std::string chunk,
                                                bool end_of_stream) {
  return send(stream, {Callback::ResponseBody, {}, std::move(chunk), end_of_stream});
}

Emulator::Delivery Emulator::send_response_trailers(uint32_t stream, Pairs trailers) {
  return send(stream, {Callback::ResponseTrailers, std::move(trailers), {}, true});
}

Emulator::Delivery Emulator::new_connection(uint32_t stream) {
  if (failed()) return std::nullopt;
  return static_cast<Action>(call(Callback::NewConnection, stream, {named("context", stream)},
                                  Returns::Action,
                                  [&] { return plugin_->on_new_connection(stream); }));
}

Emulator::Delivery Emulator::send_downstream_data(uint32_t stream, std::string chunk,
                                                  bool end_of_stream) {
  return send(stream, {Callback::DownstreamData, {}, std::move(chunk), end_of_stream});
}

Emulator::Delivery Emulator::send_upstream_data(uint32_t stream, std::string chunk,
                                                bool end_of_stream) {
  return send(stream, {Callback::UpstreamData, {}, std::move(chunk), end_of_stream});
}

void Emulator::close_downstream(uint32_t stream, PeerType peer) {
  StreamFlow& flow = flows_[stream];
  if (flow.finished || flow.connection_closed) {
    host_.trace_line("host drops the downstream close of stream " + std::to_string(stream) +
                     ": the connection is gone");
    return;
  }
  flow.ended = flow.connection_closed = true;  // Envoy's downstream_closed_: data stops
  flow.held[0].clear();
  flow.held[1].clear();
  const auto peer_type = static_cast<uint32_t>(peer);
  call(Callback::DownstreamClose, stream, {named("context", stream), named("peer", peer_type)},
       Returns::Nothing, [&] {
         plugin_->on_downstream_connection_close(stream, peer_type);
         return 0;
       });
  finish_connection(stream);
}

void Emulator::close_upstream(uint32_t stream, PeerType peer) {
  if (flows_[stream].finished) {
    host_.trace_line("host drops the upstream close of stream " + std::to_string(stream) +
                     ": the connection is gone");
    return;
  }
  const auto peer_type = static_cast<uint32_t>(peer);
  call(Callback::UpstreamClose, stream, {named("context", stream), named("peer", peer_type)},
       Returns::Nothing, [&] {
         plugin_->on_upstream_connection_close(stream, peer_type);
         return 0;
       });
}

void Emulator::finish_connection(uint32_t stream) {
  if (flows_[stream].finished || !host_.has_context(stream)) return;
  end_stream(stream);
}

// ---- lifetimes ----

void Emulator::end_stream(uint32_t stream) {
  StreamFlow& flow = flows_[stream];
  if (flow.finished) return;  // a closed connection ended itself
  flow.ended = flow.finished = true;
  call(Callback::Done, stream, {named("context", stream)}, Returns::Bool,
       [&] { return plugin_->on_done(stream); });
  call(Callback::Log, stream, {named("context", stream)}, Returns::Nothing, [&] {
    plugin_->on_log(stream);
    return 0;
  });
  delete_context(stream);
}

bool Emulator::stop_plugin(uint32_t root) {
  return call(Callback::Done, root, {named("context", root)}, Returns::Bool,
              [&] { return plugin_->on_done(root); }) != 0;
}

void Emulator::delete_context(uint32_t context_id) {
  call(Callback::Delete, context_id, {named("context", context_id)}, Returns::Nothing, [&] {
    plugin_->on_delete(context_id);
    return 0;
  });
  host_.remove_context(context_id);
}

// ---- time, queues, foreign functions ----

void Emulator::tick(uint32_t root) {
  call(Callback::Tick, root, {named("context", root)}, Returns::Nothing, [&] {
    plugin_->on_tick(root);
    return 0;
  });
}

void Emulator::advance(uint64_t milliseconds) {
  const uint64_t until = host_.now_ns() + milliseconds * kNanosPerMilli;
  for (;;) {
    // The earliest due event: a tick, an HTTP callout timeout or a gRPC deadline.
    uint64_t due = std::numeric_limits<uint64_t>::max();
    std::function<void()> fire;
    for (const auto& [root, timer] : host_.tick_periods()) {
      const auto [period_ms, set_at] = timer;
      if (period_ms == 0 || !host_.has_context(root)) continue;
      const uint64_t period = period_ms * kNanosPerMilli;
      TickSchedule& schedule = ticks_[root];
      // proxy_set_tick_period (re)arms the tick from the moment it is called, as Envoy does.
      if (schedule.set_at_ns != set_at || schedule.period_ns != period) {
        schedule = TickSchedule{set_at, period, set_at + period};
      }
      if (schedule.next_ns < due) {
        due = schedule.next_ns;
        fire = [this, root = root, &schedule] {
          schedule.next_ns += schedule.period_ns;
          tick(root);
        };
      }
    }
    // A call's timeout takes an instant a tick has too only when the switch says so.
    const bool timeout_first = behaviour_.same_instant == HostBehaviour::SameInstant::TimeoutFirst;
    bool tick_chosen = static_cast<bool>(fire);
    auto earlier = [&](uint64_t deadline) {
      const bool first = deadline < due || (timeout_first && tick_chosen && deadline == due);
      tick_chosen = tick_chosen && !first;
      return first;
    };
    for (const HttpCallout& callout : host_.http_callouts()) {
      if (callout.answered || callout.canary || callout.timeout_ms == 0) continue;
      const uint64_t deadline = callout.sent_at_ns + callout.timeout_ms * kNanosPerMilli;
      if (earlier(deadline)) {
        due = deadline;
        fire = [this, token = callout.token] {
          host_.trace_line("host: HTTP callout " + std::to_string(token) + " timed out");
          if (behaviour_.failed_callout == HostBehaviour::FailedCallout::LocalReply) {
            deliver_http_response(token, {{":status", "504"}}, "upstream request timeout", {});
          } else {
            deliver_http_response(token, {}, "", {});
          }
        };
      }
    }
    for (const GrpcCallout& callout : host_.grpc_callouts()) {
      const uint64_t timeout_ms =
          callout.is_stream ? behaviour_.grpc_stream_timeout_ms : callout.timeout_ms;
      if (!callout.held_by_host() || callout.finished || timeout_ms == 0) continue;
      const uint64_t deadline = callout.sent_at_ns + timeout_ms * kNanosPerMilli;
      if (earlier(deadline)) {
        due = deadline;
        fire = [this, token = callout.token] {
          // The router's timeout local reply, "upstream request timeout", as a gRPC status.
          const GrpcStatus status =
              behaviour_.grpc_deadline == HostBehaviour::GrpcDeadline::DeadlineExceeded
                  ? GrpcStatus::DeadlineExceeded
                  : GrpcStatus::Unavailable;
          grpc_close(token, static_cast<uint32_t>(status), "upstream request timeout");
        };
      }
    }
    if (due > until || failed()) break;
    host_.set_time(due);
    fire();
  }
  host_.set_time(until);
}

void Emulator::deliver_queue_ready() {
  for (auto [queue_id, owner] : host_.take_ready_queues()) {
    call(Callback::QueueReady, owner, {named("context", owner), named("queue", queue_id)},
         Returns::Nothing, [&, queue_id = queue_id, owner = owner] {
           plugin_->on_queue_ready(owner, queue_id);
           return 0;
         });
  }
}

void Emulator::call_foreign_function(uint32_t root, uint32_t function_id, std::string arguments) {
  call(Callback::ForeignFunction, root,
       {named("context", root), named("function", function_id), arguments}, Returns::Nothing, [&] {
         host_.set_call_buffer(BufferType::CallData, arguments);
         plugin_->on_foreign_function(root, function_id, size32(arguments));
         return 0;
       });
}

// ---- callouts ----

uint32_t Emulator::root_for_token(uint32_t root_context_id) const {
  return root_context_id != 0 ? root_context_id : first_root_;
}

uint32_t Emulator::grpc_root(uint32_t token) {
  const GrpcCallout* callout = host_.find_grpc(token);
  return root_for_token(callout ? callout->root_context_id : 0);
}

void Emulator::deliver_http_response(uint32_t token, Pairs headers, std::string body,
                                     Pairs trailers) {
  HttpCallout* callout = host_.find_http(token);
  if (callout && (callout->canary || (callout->answered && !behaviour_.redeliver_finished_calls))) {
    // Envoy erases a callout's handler once it answered, and cancels the canary's.
    host_.trace_line("host drops the response to HTTP callout " + std::to_string(token) + ": " +
                     (callout->canary ? "its canary VM is gone" : "it was answered already"));
    return;
  }
  const uint32_t root = root_for_token(callout ? callout->root_context_id : 0);
  if (callout) callout->answered = true;
  const uint32_t header_count = count(headers), trailer_count = count(trailers);
  const uint32_t body_size = size32(body);
  call(Callback::HttpCallResponse, root,
       {named("context", root), named("token", token), named("headers", header_count),
        named("body", body_size), named("trailers", trailer_count)},
       Returns::Nothing, [&] {
         host_.set_call_map(MapType::HttpCallResponseHeaders, std::move(headers));
         host_.set_call_map(MapType::HttpCallResponseTrailers, std::move(trailers));
         host_.set_call_buffer(BufferType::HttpCallResponseBody, std::move(body));
         plugin_->on_http_call_response(root, token, header_count, body_size, trailer_count);
         return 0;
       });
}

void Emulator::answer_http_call(uint32_t token, Pairs headers, std::string body, Pairs trailers) {
  deliver_http_response(token, std::move(headers), std::move(body), std::move(trailers));
}

void Emulator::fail_http_call(uint32_t token) {
  if (behaviour_.failed_callout == HostBehaviour::FailedCallout::LocalReply) {
    deliver_http_response(token, {{":status", "503"}},
                          "upstream connect error or disconnect/reset before headers", {});
  } else {
    deliver_http_response(token, {}, "", {});
  }
}

bool Emulator::grpc_deliverable(uint32_t token, std::string_view event) {
  const GrpcCallout* callout = host_.find_grpc(token);
  if (callout == nullptr || callout->held_by_host()) return true;
  if (behaviour_.redeliver_finished_calls && !callout->canary) return true;
  const char* why = callout->canary      ? "its canary VM is gone"
                    : callout->cancelled ? "the plugin cancelled it"
                    : callout->finished  ? "the call is over"
                                         : "the plugin closed it";
  host_.trace_line("host drops " + std::string(event) + " for gRPC call " + std::to_string(token) +
                   ": " + why);
  return false;
}

void Emulator::grpc_initial_metadata(uint32_t token, Pairs metadata) {
  deliver_grpc_metadata(token, std::move(metadata), /*initial=*/true);
}

void Emulator::grpc_trailing_metadata(uint32_t token, Pairs metadata) {
  deliver_grpc_metadata(token, std::move(metadata), /*initial=*/false);
}

void Emulator::deliver_grpc_metadata(uint32_t token, Pairs metadata, bool initial) {
  const std::string what = initial ? "initial metadata" : "trailing metadata";
  GrpcCallout* callout = host_.find_grpc(token);
  if (callout && !callout->is_stream) {
    // Envoy's unary handler (GrpcCallClientHandler) has no metadata callbacks.
    host_.trace_line("host drops " + what + " for gRPC call " + std::to_string(token) +
                     ": a unary call gets none");
    return;
  }
  if (!grpc_deliverable(token, what)) return;
  if (callout) {
    (initial ? callout->initial_metadata_delivered : callout->trailing_metadata_delivered) = true;
  }
  const uint32_t root = grpc_root(token);
  const uint32_t n = count(metadata);
  call(initial ? Callback::GrpcInitialMetadata : Callback::GrpcTrailingMetadata, root,
       {named("context", root), named("token", token), named("headers", n)}, Returns::Nothing, [&] {
         host_.set_call_map(
             initial ? MapType::GrpcReceiveInitialMetadata : MapType::GrpcReceiveTrailingMetadata,
             std::move(metadata));
         if (initial) {
           plugin_->on_grpc_receive_initial_metadata(root, token, n);
         } else {
           plugin_->on_grpc_receive_trailing_metadata(root, token, n);
         }
         return 0;
       });
}

void Emulator::grpc_message(uint32_t token, std::string message) {
  GrpcCallout* callout = host_.find_grpc(token);
  if (!grpc_deliverable(token, "a message")) return;
  // Envoy's async stream passes the response headers on as initial metadata first.
  if (callout && callout->is_stream && !callout->initial_metadata_delivered) {
    grpc_initial_metadata(token, {});
    callout = host_.find_grpc(token);
    if (!grpc_deliverable(token, "a message")) return;
  }
  // A unary call's answer is its one event: Envoy erases the call right after it.
  if (callout && !callout->is_stream) callout->finished = true;
  const uint32_t root = grpc_root(token);
  const uint32_t size = size32(message);
  call(Callback::GrpcMessage, root,
       {named("context", root), named("token", token), named("size", size)}, Returns::Nothing, [&] {
         host_.set_call_buffer(BufferType::GrpcReceiveBuffer, std::move(message));
         plugin_->on_grpc_receive(root, token, size);
         return 0;
       });
}

void Emulator::grpc_close(uint32_t token, uint32_t status, std::string message) {
  GrpcCallout* callout = host_.find_grpc(token);
  if (!grpc_deliverable(token, "the close")) return;
  // Envoy's AsyncStreamImpl::notifyRemoteClose: trailing metadata, then the close (a reset too).
  if (callout && callout->is_stream && !callout->trailing_metadata_delivered) {
    grpc_trailing_metadata(token, {});
    callout = host_.find_grpc(token);
    if (!grpc_deliverable(token, "the close")) return;
  }
  if (callout) callout->finished = true;
  const uint32_t root = grpc_root(token);
  call(Callback::GrpcClose, root,
       {named("context", root), named("token", token), named("status", status), message},
       Returns::Nothing, [&] {
         host_.set_call_status(status, std::move(message));
         plugin_->on_grpc_close(root, token, status);
         return 0;
       });
}

}  // namespace coproxy::testing
