// Host: Proxy-Wasm host semantics in native C++, the core of coproxy's emulator. It keeps the
// state a real host keeps (per-stream header maps and bodies, properties, shared data, queues,
// metrics, logs, callouts, local replies) and answers every v0.2.1 import as a host would.
//
// The import surface below takes and returns host-side values; a binding (import_binding.h)
// adapts it to a guest's memory: native_imports.cc for a plugin compiled natively,
// wasm_plugin.cc for a .wasm translated by wasm2c. Everything the plugin did is recorded for
// tests to read; with tracing on, every host call becomes a line of the trace.
//
// Strict by default: a call that is illegal where it is made (ABI.md "Where host calls are
// legal") fails with the status a real host returns and is recorded in illegal_calls().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "coproxy/abi/types.h"
#include "testing/stream_attributes.h"
#include "testing/trace.h"

namespace coproxy::testing {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct LogEntry {
  LogLevel level;
  std::string message;
};

struct LocalResponse {
  uint32_t status_code = 0;
  std::string body;
  Pairs headers;
  std::string details;
  int32_t grpc_status = -1;
};

struct HttpCallout {
  uint32_t token = 0;
  uint32_t context_id = 0;       // the effective context that made the call
  uint32_t root_context_id = 0;  // its plugin context, where the response goes
  std::string upstream;
  Pairs headers;
  std::string body;
  Pairs trailers;
  uint32_t timeout_ms = 0;
  uint64_t sent_at_ns = 0;  // virtual time of the call
  bool answered = false;    // a response (or failure) was delivered
  bool canary = false;      // made by the canary VM: cancelled with it, never answered
};

struct GrpcCallout {
  uint32_t token = 0;
  uint32_t context_id = 0;
  uint32_t root_context_id = 0;
  bool is_stream = false;
  std::string upstream, service, method;
  Pairs initial_metadata;
  std::vector<std::string> messages;  // the unary request, or each grpc_send
  bool end_of_stream_sent = false;
  bool cancelled = false;  // the plugin cancelled it (proxy_grpc_cancel)
  bool closed = false;     // the plugin closed its side (proxy_grpc_close)
  uint32_t timeout_ms = 0;  // unary calls
  uint64_t sent_at_ns = 0;
  // The host delivered the call's last event: a unary call's reply or failure, a stream's
  // proxy_on_grpc_close (the remote end closed it).
  bool finished = false;
  bool initial_metadata_delivered = false;   // streams: Envoy sends it before any message
  bool trailing_metadata_delivered = false;  // streams: and trailing metadata before the close
  bool canary = false;  // opened by the canary VM: reset with it, no event comes

  // Envoy keeps a call's handler, and answers for its token, until a unary call is answered,
  // failed, cancelled or closed, and a stream is cancelled or closed on both sides
  // (source/extensions/common/wasm/context.cc: grpcClose, grpcCancel, onGrpcCloseWrapper).
  bool held_by_host() const {
    if (cancelled || canary) return false;
    return is_stream ? !(closed && finished) : !(closed || finished);
  }
};

struct IllegalCall;
// Every illegal host call as a readable line.
std::string describe(const std::vector<IllegalCall>& calls);

// The callbacks a host makes, for the legality rules and the trace. `Test` is test code
// calling the host API directly as some context (Host::act_as): everything is legal there.
enum class Callback : uint8_t {
  Test,
  ContextCreate,
  VmStart,
  Configure,
  Tick,
  QueueReady,
  ForeignFunction,
  NewConnection,
  DownstreamData,
  UpstreamData,
  DownstreamClose,
  UpstreamClose,
  RequestHeaders,
  RequestBody,
  RequestTrailers,
  ResponseHeaders,
  ResponseBody,
  ResponseTrailers,
  HttpCallResponse,
  GrpcInitialMetadata,
  GrpcMessage,
  GrpcTrailingMetadata,
  GrpcClose,
  Done,
  Log,
  Delete,
};
std::string_view callback_name(Callback callback);

// Where one direction of a stream is (request/response for HTTP, downstream/upstream for TCP).
enum class Phase : uint8_t { None, Headers, Body, Trailers };
struct Direction {
  Phase phase = Phase::None;      // the last phase delivered to the plugin
  bool headers_paused = false;    // Pause from the headers callback, not continued yet
  Phase paused_at = Phase::None;  // Body or Trailers: paused there (the host buffers)
  std::string forwarded;          // body bytes the host passed on (to upstream or downstream)

  bool paused() const { return headers_paused || paused_at != Phase::None; }
};

// What a stream context has: its maps and buffers, and what the plugin did to it.
struct StreamState {
  Pairs maps[4];           // MapType 0..3: request headers/trailers, response headers/trailers
  std::string buffers[4];  // BufferType 0..3: request/response body, downstream/upstream data
  Direction request;       // HTTP request, or TCP downstream data
  Direction response;      // HTTP response, or TCP upstream data
  std::optional<LocalResponse> local_response;
  std::vector<StreamType> continued;
  std::vector<StreamType> closed;
  // Properties of this stream alone (key: encoded path), read before the host-wide ones while
  // the stream is the effective context: what a test put (Host::put_stream_property) and what
  // the plugin set while the stream was effective (Envoy keeps those in the stream's filter
  // state).
  std::map<std::string, std::string> properties;
  // What the stream's attributes (request.time, source.address, route_name ...) are read from
  // when its headers do not say (testing/stream_attributes.h).
  StreamFacts facts;
};

// A host call that was not legal where it was made.
struct IllegalCall {
  std::string import;    // proxy_get_header_map_value
  uint32_t context = 0;  // the effective context
  Callback callback = Callback::Test;
  std::string reason;
};

class Host {
 public:
  Host();

  // ---- what a test sets up ----
  void put_property(std::vector<std::string> path, std::string value);
  // A property of stream `context_id` only, over any host-wide one and over what the stream
  // derives (testing/stream_attributes.h): a value the stream could not have, say.
  void put_stream_property(uint32_t context_id, std::vector<std::string> path, std::string value);
  // What stream `context_id`'s attributes are derived from where its headers do not say (its
  // peers' addresses, route, cluster, protocol); set before or after the stream opens.
  StreamFacts& stream_facts(uint32_t context_id) { return streams_[context_id].facts; }
  // The property at `path` as stream `context_id` reads it: its own, the host-wide, derived.
  std::optional<std::string> stream_property(uint32_t context_id,
                                             const std::vector<std::string>& path) const;
  void set_log_level(LogLevel level) { log_level_ = level; }
  void set_time(uint64_t nanoseconds) { now_ns_ = nanoseconds; }
  void set_vm_configuration(std::string config) { vm_configuration_ = std::move(config); }
  void set_plugin_configuration(std::string config) { plugin_configuration_ = std::move(config); }
  using ForeignFunction = std::function<std::optional<std::string>(std::string_view arguments)>;
  void register_foreign_function(std::string name, ForeignFunction function);
  StreamState& stream(uint32_t context_id) { return streams_[context_id]; }
  // Declares a context the plugin may make effective (the emulator calls this as it creates
  // contexts); `parent` is 0 for a plugin (root) context.
  void add_context(uint32_t context_id, uint32_t parent = 0) { contexts_[context_id] = parent; }
  void remove_context(uint32_t context_id) { contexts_.erase(context_id); }
  bool has_context(uint32_t context_id) const { return contexts_.count(context_id) != 0; }
  // An HTTP stream or TCP connection (a context with a parent), not a plugin's own context.
  bool is_stream_context(uint32_t context_id) const {
    auto it = contexts_.find(context_id);
    return it != contexts_.end() && it->second != 0;
  }
  // The plugin context a context belongs to (itself for a plugin context); 0 when unknown.
  uint32_t root_of(uint32_t context_id) const;

  // Test code calling the host API directly acts as this context, everything allowed.
  void act_as(uint32_t context_id);
  // The next callout or gRPC call the plugin makes gets `token`, as from a host that reuses a
  // token still in use; the host forgets the call that had it (it is never answered).
  void reuse_token_for_next_call(uint32_t token) { reused_token_ = token; }

  // One callback into the plugin: begin before calling it, end after. Calls nest (a host may
  // deliver a callback from inside proxy_continue_stream); each has its own event data.
  void begin_call(Callback callback, uint32_t context_id, bool end_of_stream = false);
  void set_call_buffer(BufferType type, std::string data);
  void set_call_map(MapType type, Pairs pairs);
  void set_call_status(uint32_t code, std::string message);
  void end_call();
  size_t call_depth() const { return frames_.size() - 1; }

  // Strict mode (default on): illegal calls fail as on a real host. Off: they act as if
  // legal where the data exists. Recorded either way.
  void set_strict(bool strict) { strict_ = strict; }
  const std::vector<IllegalCall>& illegal_calls() const { return illegal_calls_; }

  // Called by proxy_continue_stream / proxy_close_stream / proxy_send_local_response after
  // the host recorded them, with the effective stream: the emulator's flow control.
  enum class Flow : uint8_t { Continue, Close, LocalResponse };
  using FlowHook = std::function<void(uint32_t stream, Flow flow, StreamType type)>;
  void on_flow(FlowHook hook) { on_flow_ = std::move(hook); }

  // ---- fault injection ----
  // The plugin's host calls are numbered from 0 in the order it makes them (every import call
  // through a binding; test code calling the host directly is not counted). Call `index`
  // fails with `status`, before the host does anything for it.
  void inject_fault(size_t index, StatusCode status) { faults_[index] = status; }
  // The plugin's next call to `import` (e.g. "proxy_set_tick_period_milliseconds") fails.
  void inject_fault(std::string_view import, StatusCode status) {
    import_faults_[std::string(import)] = status;
  }
  // Another writer (another VM, a worker thread's copy of the plugin) wins a race on `key`: the
  // plugin's next proxy_set_shared_data of `key` finds `value` written there just before it,
  // with a new CAS, so a set with the CAS it read fails with CAS_MISMATCH.
  void race_shared_data(std::string key, std::string value) {
    shared_data_races_[std::move(key)] = std::move(value);
  }
  // The plugin's host calls so far: each import, and the callback it was made in.
  struct PluginCall {
    std::string_view import;  // import names are string literals
    Callback callback;
  };
  size_t plugin_calls() const { return plugin_call_log_.size(); }
  const std::vector<PluginCall>& plugin_call_log() const { return plugin_call_log_; }
  // The injected faults a call met so far.
  size_t faults_met() const { return faults_met_; }

  // ---- the trace ----
  // Keeps a line per host call and callback; `echo` (if set) gets each line as it is made.
  void enable_trace(std::function<void(std::string_view)> echo = nullptr);
  bool tracing() const { return tracing_; }
  const std::vector<std::string>& trace() const { return trace_; }
  // Appends a line, indented by the callback depth.
  void trace_line(std::string_view line);
  // Bindings: one import call. begin_import names it (for illegal-call records) and counts
  // it; it answers the fault injected for it, if any (the binding then fails the call with it
  // and does nothing else). end_import traces it with its arguments, status and results.
  std::optional<StatusCode> begin_import(std::string_view name);
  void end_import(std::initializer_list<TraceValue> arguments, StatusCode status,
                  std::initializer_list<TraceValue> results = {});

  // ---- what a test reads ----
  struct Metric {
    MetricType type;
    std::string name;
    uint64_t value = 0;
  };
  const std::vector<LogEntry>& logs() const { return logs_; }
  // Every metric the plugin defined, in definition order (id = index + 1).
  const std::vector<Metric>& metrics() const { return metrics_; }
  const std::vector<HttpCallout>& http_callouts() const { return http_callouts_; }
  const std::vector<GrpcCallout>& grpc_callouts() const { return grpc_callouts_; }
  HttpCallout* find_http(uint32_t token);
  GrpcCallout* find_grpc(uint32_t token);
  // gRPC streams whose handler the host still keeps (GrpcCallout::held_by_host): one the
  // remote end closed stays until the plugin closes its side too.
  size_t open_grpc_streams() const;
  // The calls made since these counts were taken belong to a VM the host threw away (the
  // canary): they are marked `canary` and get no event, and `root`'s tick stops.
  void discard_vm_calls(uint32_t root, size_t http_callouts_before, size_t grpc_callouts_before);
  uint64_t now_ns() const { return now_ns_; }
  uint32_t tick_period_ms(uint32_t context_id) const;
  const std::map<uint32_t, std::pair<uint32_t, uint64_t>>& tick_periods() const {
    return tick_periods_;
  }
  uint32_t effective_context() const { return frames_.back().effective_context; }
  uint32_t done_calls() const { return done_calls_; }
  std::optional<uint64_t> metric_value(std::string_view name) const;
  std::vector<std::string> queue_contents(uint32_t queue_id) const;
  // Queues that got a message since the last call, each with the plugin context to notify.
  std::vector<std::pair<uint32_t, uint32_t>> take_ready_queues();

  // ---- the import surface (one method per proxy_* import) ----
  StatusCode log(uint32_t level, std::string_view message);
  StatusCode get_log_level(uint32_t* level);
  StatusCode get_current_time_nanoseconds(uint64_t* now);
  StatusCode set_tick_period_milliseconds(uint32_t period);
  StatusCode set_effective_context(uint32_t context_id);
  StatusCode done();

  StatusCode get_buffer_bytes(uint32_t type, size_t start, size_t max_size, std::string* out);
  StatusCode get_buffer_status(uint32_t type, size_t* length, uint32_t* flags);
  StatusCode set_buffer_bytes(uint32_t type, size_t start, size_t size, std::string_view data);

  StatusCode get_header_map_pairs(uint32_t type, std::string* encoded);
  StatusCode set_header_map_pairs(uint32_t type, std::string_view encoded);
  StatusCode get_header_map_size(uint32_t type, size_t* size);
  StatusCode get_header_map_value(uint32_t type, std::string_view key, std::string* value);
  StatusCode add_header_map_value(uint32_t type, std::string_view key, std::string_view value);
  StatusCode replace_header_map_value(uint32_t type, std::string_view key, std::string_view value);
  StatusCode remove_header_map_value(uint32_t type, std::string_view key);

  StatusCode continue_stream(uint32_t stream_type);
  StatusCode close_stream(uint32_t stream_type);
  StatusCode get_status(uint32_t* code, std::string* message);
  StatusCode send_local_response(uint32_t status_code, std::string_view details,
                                 std::string_view body, std::string_view encoded_headers,
                                 int32_t grpc_status);

  StatusCode http_call(std::string_view upstream, std::string_view encoded_headers,
                       std::string_view body, std::string_view encoded_trailers,
                       uint32_t timeout_ms, uint32_t* token);
  StatusCode grpc_call(std::string_view upstream, std::string_view service, std::string_view method,
                       std::string_view encoded_metadata, std::string_view message,
                       uint32_t timeout_ms, uint32_t* token);
  StatusCode grpc_stream(std::string_view upstream, std::string_view service,
                         std::string_view method, std::string_view encoded_metadata,
                         uint32_t* token);
  StatusCode grpc_send(uint32_t token, std::string_view message, bool end_of_stream);
  StatusCode grpc_cancel(uint32_t token);
  StatusCode grpc_close(uint32_t token);

  StatusCode get_shared_data(std::string_view key, std::string* value, uint32_t* cas);
  StatusCode set_shared_data(std::string_view key, std::string_view value, uint32_t cas);

  StatusCode register_shared_queue(std::string_view name, uint32_t* queue_id);
  StatusCode resolve_shared_queue(std::string_view vm_id, std::string_view name,
                                  uint32_t* queue_id);
  StatusCode enqueue_shared_queue(uint32_t queue_id, std::string_view value);
  StatusCode dequeue_shared_queue(uint32_t queue_id, std::string* value);

  StatusCode define_metric(uint32_t type, std::string_view name, uint32_t* metric_id);
  StatusCode increment_metric(uint32_t metric_id, int64_t offset);
  StatusCode record_metric(uint32_t metric_id, uint64_t value);
  StatusCode get_metric(uint32_t metric_id, uint64_t* value);

  StatusCode get_property(std::string_view encoded_path, std::string* value);
  StatusCode set_property(std::string_view encoded_path, std::string_view value);

  StatusCode call_foreign_function(std::string_view name, std::string_view arguments,
                                   std::string* result);

  static constexpr std::string_view kVmId = "coproxy-emulator";

 private:
  // The property at `encoded_path` as context `context` reads it (Host::get_property).
  std::optional<std::string> property_seen_by(uint32_t context, std::string_view encoded_path) const;
  struct Queue {
    std::string name;
    uint32_t owner_context = 0;
    std::vector<std::string> messages;
  };
  struct SharedEntry {
    std::string value;
    uint32_t cas = 0;
  };

  struct Frame {
    Callback callback = Callback::Test;
    uint32_t context = 0;
    uint32_t effective_context = 0;
    bool end_of_stream = false;
    std::map<uint32_t, std::string> buffers;  // the event's data, by BufferType
    std::map<uint32_t, Pairs> maps;           // by MapType
    std::optional<std::pair<uint32_t, std::string>> status;
  };
  enum class Access : uint8_t { Read, Write };

  Frame& frame() { return frames_.back(); }
  // The map/buffer `type` as the current call may use it; nullptr (recorded as illegal
  // when the ABI forbids it) when it is not available.
  Pairs* map(uint32_t type, Access access);
  std::string* buffer(uint32_t type, Access access);
  // A map the plugin sent, decoded; beyond cpp-host's limits (kMaxMapPairs, kMaxMapBytes) it
  // is read as empty, as cpp-host does (recorded as illegal). nullopt when malformed.
  std::optional<Pairs> map_from_plugin(std::string_view encoded);
  // Records an illegal call; true when it must fail (strict mode).
  bool illegal(std::string reason);
  // The stream the effective context is, or nullptr (recorded) when it is a plugin context.
  StreamState* effective_stream(std::string_view what);
  // Records a gRPC call or stream the plugin opened and gives it a token.
  StatusCode record_grpc(bool is_stream, std::string_view upstream, std::string_view service,
                         std::string_view method, std::string_view encoded_metadata,
                         uint32_t* token);

  LogLevel log_level_ = LogLevel::Trace;
  uint64_t now_ns_ = 0;
  std::string vm_configuration_, plugin_configuration_;
  std::map<std::string, std::string> properties_;  // key: encoded path
  std::map<std::string, ForeignFunction, std::less<>> foreign_functions_;
  std::map<uint32_t, StreamState> streams_;
  std::map<uint32_t, uint32_t> contexts_;  // id -> parent (0 for a plugin context)
  std::map<uint32_t, std::pair<uint32_t, uint64_t>> tick_periods_;  // period ms, set at ns
  uint32_t done_calls_ = 0;

  std::vector<Frame> frames_;  // [0]: test code (act_as); then one per callback in progress
  bool strict_ = true;
  std::vector<IllegalCall> illegal_calls_;
  std::string_view current_import_;
  std::vector<PluginCall> plugin_call_log_;
  std::map<size_t, StatusCode> faults_;               // by call number
  std::map<std::string, StatusCode, std::less<>> import_faults_;  // the next call of each
  size_t faults_met_ = 0;
  FlowHook on_flow_;

  bool tracing_ = false;
  std::function<void(std::string_view)> trace_echo_;
  std::vector<std::string> trace_;

  std::vector<LogEntry> logs_;
  std::vector<HttpCallout> http_callouts_;
  std::vector<GrpcCallout> grpc_callouts_;
  struct CalloutIndex {
    bool grpc = false;
    size_t index = 0;  // into http_callouts_ or grpc_callouts_
  };
  std::unordered_map<uint32_t, CalloutIndex> callout_index_;  // by token
  uint32_t next_token_ = 1;
  std::optional<uint32_t> reused_token_;  // reuse_token_for_next_call
  // The token for a new call: the next one, or the reused one (whose old call is forgotten).
  uint32_t issue_token();

  std::map<std::string, SharedEntry, std::less<>> shared_data_;
  std::map<std::string, std::string, std::less<>> shared_data_races_;  // race_shared_data
  uint32_t next_cas_ = 1;
  std::vector<Queue> queues_;  // id = index + 1
  std::vector<std::pair<uint32_t, uint32_t>> ready_queues_;
  std::vector<Metric> metrics_;  // id = index + 1
};

// Pairs <-> the wire format, for bindings and tests.
std::string encode_pairs(const Pairs& pairs);
// ParseFailure (as nullopt) when malformed.
std::optional<Pairs> decode_pairs(std::string_view encoded);

}  // namespace coproxy::testing
