#include "testing/host.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "coproxy/map_codec.h"

namespace coproxy::testing {
namespace {

// Envoy looks header names up case-insensitively (it stores them lowercased).
bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_pair(const Pairs& pairs, std::string_view name) {
  return std::any_of(pairs.begin(), pairs.end(),
                     [&](const auto& pair) { return same_name(pair.first, name); });
}

std::string encode_path(const std::vector<std::string>& path) {
  std::string encoded;
  for (const std::string& segment : path) {
    encoded += segment;
    encoded += '\0';
  }
  return encoded;
}

}  // namespace

std::string encode_pairs(const Pairs& pairs) {
  std::vector<Header> headers;
  headers.reserve(pairs.size());
  for (const auto& [name, value] : pairs) headers.push_back({name, value});
  return encode_map(headers);
}

std::optional<Pairs> decode_pairs(std::string_view encoded) {
  Result<MapView> view = MapView::parse(encoded);
  if (!view.ok()) return std::nullopt;
  Pairs pairs;
  for (Header header : *view) pairs.emplace_back(header.name, header.value);
  return pairs;
}

std::string_view callback_name(Callback callback) {
  static constexpr std::string_view kNames[] = {
      "test code",
      "proxy_on_context_create",
      "proxy_on_vm_start",
      "proxy_on_configure",
      "proxy_on_tick",
      "proxy_on_queue_ready",
      "proxy_on_foreign_function",
      "proxy_on_new_connection",
      "proxy_on_downstream_data",
      "proxy_on_upstream_data",
      "proxy_on_downstream_connection_close",
      "proxy_on_upstream_connection_close",
      "proxy_on_request_headers",
      "proxy_on_request_body",
      "proxy_on_request_trailers",
      "proxy_on_response_headers",
      "proxy_on_response_body",
      "proxy_on_response_trailers",
      "proxy_on_http_call_response",
      "proxy_on_grpc_receive_initial_metadata",
      "proxy_on_grpc_receive",
      "proxy_on_grpc_receive_trailing_metadata",
      "proxy_on_grpc_close",
      "proxy_on_done",
      "proxy_on_log",
      "proxy_on_delete",
  };
  return kNames[static_cast<size_t>(callback)];
}

std::string describe(const std::vector<IllegalCall>& calls) {
  std::string text;
  for (const IllegalCall& call : calls) {
    text += "  " + call.import + " in " + std::string(callback_name(call.callback)) +
            " (effective context " + std::to_string(call.context) + "): " + call.reason + "\n";
  }
  return text;
}

Host::Host() : frames_(1) { put_property({"plugin_root_id"}, ""); }

void Host::put_property(std::vector<std::string> path, std::string value) {
  properties_[encode_path(path)] = std::move(value);
}

void Host::put_stream_property(uint32_t context_id, std::vector<std::string> path,
                               std::string value) {
  streams_[context_id].properties[encode_path(path)] = std::move(value);
}

void Host::register_foreign_function(std::string name, ForeignFunction function) {
  foreign_functions_[std::move(name)] = std::move(function);
}

uint32_t Host::root_of(uint32_t context_id) const {
  auto it = contexts_.find(context_id);
  if (it == contexts_.end()) return 0;
  return it->second == 0 ? context_id : it->second;
}

void Host::act_as(uint32_t context_id) {
  Frame frame;
  frame.context = frame.effective_context = context_id;
  frames_.front() = std::move(frame);
}

void Host::begin_call(Callback callback, uint32_t context_id, bool end_of_stream) {
  // A host makes the called context effective at the start of every VM call.
  Frame frame;
  frame.callback = callback;
  frame.context = frame.effective_context = context_id;
  frame.end_of_stream = end_of_stream;
  frames_.push_back(std::move(frame));
}

void Host::set_call_buffer(BufferType type, std::string data) {
  frame().buffers[static_cast<uint32_t>(type)] = std::move(data);
}

void Host::set_call_map(MapType type, Pairs pairs) {
  frame().maps[static_cast<uint32_t>(type)] = std::move(pairs);
}

void Host::set_call_status(uint32_t code, std::string message) {
  frame().status.emplace(code, std::move(message));
}

void Host::end_call() {
  if (frames_.size() > 1) frames_.pop_back();
}

void Host::enable_trace(std::function<void(std::string_view)> echo) {
  tracing_ = true;
  trace_echo_ = std::move(echo);
}

std::optional<StatusCode> Host::begin_import(std::string_view name) {
  current_import_ = name;
  const size_t index = plugin_call_log_.size();
  plugin_call_log_.push_back(PluginCall{name, frame().callback});
  if (auto fault = import_faults_.find(name); fault != import_faults_.end()) {
    const StatusCode status = fault->second;
    import_faults_.erase(fault);
    ++faults_met_;
    return status;
  }
  if (faults_.empty()) return std::nullopt;
  auto fault = faults_.find(index);
  if (fault == faults_.end()) return std::nullopt;
  ++faults_met_;
  return fault->second;
}

void Host::trace_line(std::string_view line) {
  if (!tracing_) return;
  std::string indented(2 * call_depth(), ' ');
  indented += line;
  if (trace_echo_) trace_echo_(indented);
  trace_.push_back(std::move(indented));
}

void Host::end_import(std::initializer_list<TraceValue> arguments, StatusCode status,
                      std::initializer_list<TraceValue> results) {
  if (!tracing_) return;
  std::string line = "  " + format_call(current_import_, arguments);
  line += " = ";
  line += status_name(status);
  if (status == StatusCode::Ok) {
    for (const TraceValue& result : results) line += ", " + result.text();
  }
  trace_line(line);
}

bool Host::illegal(std::string reason) {
  const Frame& f = frame();
  if (tracing_) trace_line("  !! illegal: " + reason);
  illegal_calls_.push_back(IllegalCall{std::string(current_import_), f.effective_context,
                                       f.callback, std::move(reason)});
  return strict_;
}

HttpCallout* Host::find_http(uint32_t token) {
  auto it = callout_index_.find(token);
  if (it == callout_index_.end() || it->second.grpc) return nullptr;
  return &http_callouts_[it->second.index];
}

GrpcCallout* Host::find_grpc(uint32_t token) {
  auto it = callout_index_.find(token);
  if (it == callout_index_.end() || !it->second.grpc) return nullptr;
  return &grpc_callouts_[it->second.index];
}

uint32_t Host::tick_period_ms(uint32_t context_id) const {
  auto it = tick_periods_.find(context_id);
  return it == tick_periods_.end() ? 0 : it->second.first;
}

std::optional<uint64_t> Host::metric_value(std::string_view name) const {
  for (const Metric& metric : metrics_) {
    if (metric.name == name) return metric.value;
  }
  return std::nullopt;
}

std::vector<std::string> Host::queue_contents(uint32_t queue_id) const {
  if (queue_id == 0 || queue_id > queues_.size()) return {};
  return queues_[queue_id - 1].messages;
}

std::vector<std::pair<uint32_t, uint32_t>> Host::take_ready_queues() {
  return std::exchange(ready_queues_, {});
}

// ---- where maps and buffers may be used (ABI.md "Where host calls are legal") ----

StreamState* Host::effective_stream(std::string_view what) {
  const uint32_t id = frame().effective_context;
  auto it = contexts_.find(id);
  if (frame().callback == Callback::Test) return &streams_[id];
  if (it == contexts_.end() || it->second == 0) {
    illegal(std::string(what) + " from plugin context " + std::to_string(id) +
            ", which is not a stream");
    return nullptr;
  }
  return &streams_[id];
}

namespace {

// Stream map 0..3 and buffer 0..3 belong to one direction of the stream.
bool is_request_side(uint32_t stream_type_or_buffer) { return stream_type_or_buffer % 2 == 0; }

Callback own_map_callback(uint32_t type) {
  static constexpr Callback kOwn[] = {Callback::RequestHeaders, Callback::RequestTrailers,
                                      Callback::ResponseHeaders, Callback::ResponseTrailers};
  return kOwn[type];
}

Callback own_buffer_callback(uint32_t type) {
  static constexpr Callback kOwn[] = {Callback::RequestBody, Callback::ResponseBody,
                                      Callback::DownstreamData, Callback::UpstreamData};
  return kOwn[type];
}

}  // namespace

Pairs* Host::map(uint32_t type, Access access) {
  const Frame& f = frame();
  const std::string_view name = map_type_name(type);  // only illegal calls build text
  if (type >= 4) {  // the data of one event: exists only inside its callback
    auto it = frame().maps.find(type);
    if (it != frame().maps.end()) return &it->second;
    illegal(std::string(name) + " outside its callback");
    return nullptr;
  }
  StreamState* stream = effective_stream(name);
  if (stream == nullptr || f.callback == Callback::Test)
    return stream ? &stream->maps[type] : nullptr;

  const bool trailers = type % 2 == 1;
  const Direction& direction = type < 2 ? stream->request : stream->response;
  const Phase part = trailers ? Phase::Trailers : Phase::Headers;
  const bool in_own_callback =
      f.callback == own_map_callback(type) && f.context == f.effective_context;
  const bool paused_there =
      trailers ? direction.paused_at == Phase::Trailers : direction.headers_paused;
  if (in_own_callback || paused_there) return &stream->maps[type];
  // Trailers may be added from the last body callback when there were none.
  const Callback body = type < 2 ? Callback::RequestBody : Callback::ResponseBody;
  if (trailers && access == Access::Write && f.callback == body && f.end_of_stream &&
      f.context == f.effective_context && direction.phase == Phase::Body) {
    return &stream->maps[type];
  }
  // A host keeps delivered maps readable for the stream's life.
  const bool delivered = direction.phase >= part || (trailers && !stream->maps[type].empty());
  if (access == Access::Read && delivered) return &stream->maps[type];
  const std::string what(name);
  std::string reason = access == Access::Write
                           ? (delivered ? "modifies " + what + " after its phase passed"
                                        : "modifies " + what + " before the host delivered them")
                           : "reads " + what + " before the host delivered them";
  if (illegal(std::move(reason))) return nullptr;
  return &stream->maps[type];
}

std::string* Host::buffer(uint32_t type, Access access) {
  const Frame& f = frame();
  const std::string_view name = buffer_type_name(type);  // only illegal calls build text
  if (type >= 4) {  // the data of one event: exists only inside its callback
    auto it = frame().buffers.find(type);
    if (it != frame().buffers.end()) return &it->second;
    illegal(std::string(name) + " outside its callback");
    return nullptr;
  }
  StreamState* stream = effective_stream(name);
  if (stream == nullptr || f.callback == Callback::Test)
    return stream ? &stream->buffers[type] : nullptr;
  const Direction& direction = is_request_side(type) ? stream->request : stream->response;
  const bool in_own_callback =
      f.callback == own_buffer_callback(type) && f.context == f.effective_context;
  // Paused at the body, or at the headers with the body arrived since (the host buffers it).
  const bool held = direction.paused_at == Phase::Body ||
                    (direction.headers_paused && direction.phase >= Phase::Body);
  if (in_own_callback || held) return &stream->buffers[type];
  if (illegal((access == Access::Write ? "modifies " : "reads ") + std::string(name) +
              " outside its callback while the stream is not paused there")) {
    return nullptr;
  }
  return &stream->buffers[type];
}

// ---- lifecycle, logs, time ----

StatusCode Host::log(uint32_t level, std::string_view message) {
  if (level >= kLogLevelCount) return StatusCode::BadArgument;
  // Like Envoy: a message below the host's level is dropped, and that is no error.
  if (level < static_cast<uint32_t>(log_level_)) return StatusCode::Ok;
  logs_.push_back({static_cast<LogLevel>(level), std::string(message)});
  return StatusCode::Ok;
}

StatusCode Host::get_log_level(uint32_t* level) {
  *level = static_cast<uint32_t>(log_level_);
  return StatusCode::Ok;
}

StatusCode Host::get_current_time_nanoseconds(uint64_t* now) {
  *now = now_ns_;
  return StatusCode::Ok;
}

StatusCode Host::set_tick_period_milliseconds(uint32_t period) {
  // A host keeps one tick per plugin context; a stream sets its plugin's.
  const uint32_t root = root_of(effective_context());
  if (root == 0) return StatusCode::BadArgument;
  tick_periods_[root] = {period, now_ns_};
  return StatusCode::Ok;
}

StatusCode Host::set_effective_context(uint32_t context_id) {
  if (!has_context(context_id)) {
    illegal("effective context " + std::to_string(context_id) + " does not exist");
    return StatusCode::BadArgument;  // what cpp-host returns, strict or not
  }
  frame().effective_context = context_id;
  return StatusCode::Ok;
}

StatusCode Host::done() {
  ++done_calls_;
  return StatusCode::Ok;
}

// ---- buffers ----

StatusCode Host::get_buffer_bytes(uint32_t type, size_t start, size_t max_size, std::string* out) {
  if (type >= kBufferTypeCount) return StatusCode::BadArgument;
  const std::string* data = buffer(type, Access::Read);
  if (data == nullptr) return StatusCode::NotFound;
  if (start > data->size()) return StatusCode::BadArgument;
  *out = data->substr(start, max_size);
  return StatusCode::Ok;
}

StatusCode Host::get_buffer_status(uint32_t type, size_t* length, uint32_t* flags) {
  if (type >= kBufferTypeCount) return StatusCode::BadArgument;
  const std::string* data = buffer(type, Access::Read);
  if (data == nullptr) return StatusCode::NotFound;
  *length = data->size();
  *flags = 0;
  return StatusCode::Ok;
}

StatusCode Host::set_buffer_bytes(uint32_t type, size_t start, size_t size, std::string_view data) {
  if (type >= kBufferTypeCount) return StatusCode::BadArgument;
  std::string* target = buffer(type, Access::Write);
  if (target == nullptr) return StatusCode::NotFound;
  if (start >= target->size()) {
    target->append(data);  // at or past the end: append
  } else {
    target->replace(start, std::min(size, target->size() - start), data);
  }
  return StatusCode::Ok;
}

// ---- header maps ----

StatusCode Host::get_header_map_pairs(uint32_t type, std::string* encoded) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  const Pairs* pairs = map(type, Access::Read);
  if (pairs == nullptr) return StatusCode::BadArgument;
  *encoded = encode_pairs(*pairs);
  return StatusCode::Ok;
}

StatusCode Host::set_header_map_pairs(uint32_t type, std::string_view encoded) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  Pairs* pairs = map(type, Access::Write);
  if (pairs == nullptr) return StatusCode::BadArgument;
  std::optional<Pairs> decoded = map_from_plugin(encoded);
  if (!decoded) return StatusCode::ParseFailure;
  *pairs = std::move(*decoded);
  return StatusCode::Ok;
}

StatusCode Host::get_header_map_size(uint32_t type, size_t* size) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  const Pairs* pairs = map(type, Access::Read);
  if (pairs == nullptr) return StatusCode::BadArgument;
  *size = encode_pairs(*pairs).size();
  return StatusCode::Ok;
}

StatusCode Host::get_header_map_value(uint32_t type, std::string_view key, std::string* value) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  const Pairs* pairs = map(type, Access::Read);
  if (pairs == nullptr) return StatusCode::BadArgument;
  for (const auto& [name, v] : *pairs) {
    if (same_name(name, key)) {
      *value = v;
      return StatusCode::Ok;
    }
  }
  return StatusCode::NotFound;
}

StatusCode Host::add_header_map_value(uint32_t type, std::string_view key, std::string_view value) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  Pairs* pairs = map(type, Access::Write);
  if (pairs == nullptr) return StatusCode::BadArgument;
  pairs->emplace_back(std::string(key), std::string(value));
  return StatusCode::Ok;
}

StatusCode Host::replace_header_map_value(uint32_t type, std::string_view key,
                                          std::string_view value) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  Pairs* pairs = map(type, Access::Write);
  if (pairs == nullptr) return StatusCode::BadArgument;
  std::erase_if(*pairs, [&](const auto& pair) { return same_name(pair.first, key); });
  pairs->emplace_back(std::string(key), std::string(value));
  return StatusCode::Ok;
}

StatusCode Host::remove_header_map_value(uint32_t type, std::string_view key) {
  if (type >= kMapTypeCount) return StatusCode::BadArgument;
  Pairs* pairs = map(type, Access::Write);
  if (pairs == nullptr) return StatusCode::BadArgument;
  std::erase_if(*pairs, [&](const auto& pair) { return same_name(pair.first, key); });
  return StatusCode::Ok;
}

// ---- streams, local reply, status ----

StatusCode Host::continue_stream(uint32_t stream_type) {
  if (stream_type >= kStreamTypeCount) return StatusCode::BadArgument;
  const auto type = static_cast<StreamType>(stream_type);
  StreamState* stream = effective_stream("proxy_continue_stream");
  if (stream == nullptr) return StatusCode::BadArgument;
  stream->continued.push_back(type);
  const Direction& direction = is_request_side(stream_type) ? stream->request : stream->response;
  if (!direction.paused()) {
    // Real hosts accept it (Envoy may assert in debug builds): recorded, not refused.
    illegal("continues the " + TraceValue::stream_type(stream_type).text() +
            ", which is not paused");
    return StatusCode::Ok;
  }
  if (on_flow_) on_flow_(effective_context(), Flow::Continue, type);
  return StatusCode::Ok;
}

StatusCode Host::close_stream(uint32_t stream_type) {
  if (stream_type >= kStreamTypeCount) return StatusCode::BadArgument;
  StreamState* stream = effective_stream("proxy_close_stream");
  if (stream == nullptr) return StatusCode::BadArgument;
  stream->closed.push_back(static_cast<StreamType>(stream_type));
  if (on_flow_) on_flow_(effective_context(), Flow::Close, static_cast<StreamType>(stream_type));
  return StatusCode::Ok;
}

StatusCode Host::get_status(uint32_t* code, std::string* message) {
  const auto& status = frame().status;
  if (!status) {
    illegal("the call status exists only in proxy_on_grpc_close");
    return StatusCode::NotFound;
  }
  *code = status->first;
  *message = status->second;
  return StatusCode::Ok;
}

StatusCode Host::send_local_response(uint32_t status_code, std::string_view details,
                                     std::string_view body, std::string_view encoded_headers,
                                     int32_t grpc_status) {
  std::optional<Pairs> headers = map_from_plugin(encoded_headers);
  if (!headers) return StatusCode::ParseFailure;
  StreamState* stream = effective_stream("proxy_send_local_response");
  if (stream == nullptr) return StatusCode::BadArgument;
  if (stream->local_response) {
    illegal("a second local response on one stream");
  } else if (stream->response.phase != Phase::None && !stream->response.headers_paused &&
             !(frame().callback == Callback::ResponseHeaders &&
               frame().context == effective_context())) {
    illegal("a local response after the response headers were sent");
  }
  stream->local_response = LocalResponse{status_code, std::string(body), std::move(*headers),
                                         std::string(details), grpc_status};
  if (on_flow_) on_flow_(effective_context(), Flow::LocalResponse, StreamType::HttpResponse);
  return StatusCode::Ok;
}

// ---- maps from the plugin ----

std::optional<Pairs> Host::map_from_plugin(std::string_view encoded) {
  std::optional<Pairs> pairs = decode_pairs(encoded);
  if (pairs && (encoded.size() > kMaxMapBytes || pairs->size() > kMaxMapPairs)) {
    // cpp-host's PairsUtil::toPairs reads a map beyond its limits as empty, without an error.
    illegal("a map of " + std::to_string(pairs->size()) + " pairs, " +
            std::to_string(encoded.size()) + " bytes, beyond the host's limits (" +
            std::to_string(kMaxMapPairs) + " pairs, " + std::to_string(kMaxMapBytes) +
            " bytes): read as empty");
    pairs->clear();
  }
  return pairs;
}

// ---- callouts ----

uint32_t Host::issue_token() {
  if (!reused_token_) return next_token_++;
  const uint32_t token = *std::exchange(reused_token_, std::nullopt);
  // The call that had the token is forgotten: it gets no event any more.
  if (HttpCallout* old = find_http(token)) old->answered = true;
  if (GrpcCallout* old = find_grpc(token)) old->cancelled = true;
  trace_line("host: reuses token " + std::to_string(token));
  return token;
}

StatusCode Host::http_call(std::string_view upstream, std::string_view encoded_headers,
                           std::string_view body, std::string_view encoded_trailers,
                           uint32_t timeout_ms, uint32_t* token) {
  std::optional<Pairs> headers = map_from_plugin(encoded_headers);
  std::optional<Pairs> trailers = map_from_plugin(encoded_trailers);
  if (!headers || !trailers) return StatusCode::ParseFailure;
  if (upstream.empty()) return StatusCode::BadArgument;  // Envoy: no such cluster
  if (!has_pair(*headers, ":method") || !has_pair(*headers, ":path") ||
      !has_pair(*headers, ":authority")) {
    return StatusCode::BadArgument;
  }
  *token = issue_token();
  callout_index_[*token] = CalloutIndex{false, http_callouts_.size()};
  http_callouts_.push_back(HttpCallout{
      *token, effective_context(), root_of(effective_context()), std::string(upstream),
      std::move(*headers), std::string(body), std::move(*trailers), timeout_ms, now_ns_});
  return StatusCode::Ok;
}

StatusCode Host::record_grpc(bool is_stream, std::string_view upstream, std::string_view service,
                             std::string_view method, std::string_view encoded_metadata,
                             uint32_t* token) {
  std::optional<Pairs> metadata = map_from_plugin(encoded_metadata);
  if (!metadata) return StatusCode::ParseFailure;
  if (upstream.empty()) return StatusCode::BadArgument;  // Envoy: no such cluster
  *token = issue_token();
  GrpcCallout call;
  call.token = *token;
  call.context_id = effective_context();
  call.root_context_id = root_of(effective_context());
  call.sent_at_ns = now_ns_;
  call.is_stream = is_stream;
  call.upstream = upstream;
  call.service = service;
  call.method = method;
  call.initial_metadata = std::move(*metadata);
  callout_index_[*token] = CalloutIndex{true, grpc_callouts_.size()};
  grpc_callouts_.push_back(std::move(call));
  return StatusCode::Ok;
}

StatusCode Host::grpc_call(std::string_view upstream, std::string_view service,
                           std::string_view method, std::string_view encoded_metadata,
                           std::string_view message, uint32_t timeout_ms, uint32_t* token) {
  StatusCode status = record_grpc(false, upstream, service, method, encoded_metadata, token);
  if (status == StatusCode::Ok) {
    grpc_callouts_.back().messages.emplace_back(message);
    grpc_callouts_.back().timeout_ms = timeout_ms;
  }
  return status;
}

StatusCode Host::grpc_stream(std::string_view upstream, std::string_view service,
                             std::string_view method, std::string_view encoded_metadata,
                             uint32_t* token) {
  return record_grpc(true, upstream, service, method, encoded_metadata, token);
}

StatusCode Host::grpc_send(uint32_t token, std::string_view message, bool end_of_stream) {
  GrpcCallout* call = find_grpc(token);
  if (call != nullptr && !call->is_stream) return StatusCode::BadArgument;  // Envoy's grpcSend
  if (call == nullptr || !call->held_by_host()) return StatusCode::NotFound;
  call->messages.emplace_back(message);
  call->end_of_stream_sent = call->end_of_stream_sent || end_of_stream;
  return StatusCode::Ok;
}

StatusCode Host::grpc_cancel(uint32_t token) {
  GrpcCallout* call = find_grpc(token);
  if (call == nullptr || !call->held_by_host()) return StatusCode::NotFound;
  call->cancelled = true;
  return StatusCode::Ok;
}

StatusCode Host::grpc_close(uint32_t token) {
  GrpcCallout* call = find_grpc(token);
  if (call == nullptr || !call->held_by_host()) return StatusCode::NotFound;
  if (call->closed) {  // a stream closed locally, still open remotely: Envoy closes it again
    illegal("closes gRPC stream " + std::to_string(token) + " a second time");
    return StatusCode::Ok;
  }
  call->closed = true;  // a unary call: cancelled; a stream: half-closed, or gone if remotely closed
  return StatusCode::Ok;
}

size_t Host::open_grpc_streams() const {
  size_t open = 0;
  for (const GrpcCallout& call : grpc_callouts_) open += call.is_stream && call.held_by_host();
  return open;
}

void Host::discard_vm_calls(uint32_t root, size_t http_callouts_before,
                            size_t grpc_callouts_before) {
  for (size_t i = http_callouts_before; i < http_callouts_.size(); ++i) {
    http_callouts_[i].canary = true;
  }
  for (size_t i = grpc_callouts_before; i < grpc_callouts_.size(); ++i) {
    grpc_callouts_[i].canary = true;
  }
  tick_periods_.erase(root);
}

// ---- shared data and queues ----

StatusCode Host::get_shared_data(std::string_view key, std::string* value, uint32_t* cas) {
  auto it = shared_data_.find(key);
  if (it == shared_data_.end()) return StatusCode::NotFound;
  *value = it->second.value;
  *cas = it->second.cas;
  return StatusCode::Ok;
}

StatusCode Host::set_shared_data(std::string_view key, std::string_view value, uint32_t cas) {
  if (auto race = shared_data_races_.find(key); race != shared_data_races_.end()) {
    SharedEntry& other = shared_data_[std::string(key)];  // the other writer's, just before
    other.value = std::move(race->second);
    other.cas = next_cas_++;
    shared_data_races_.erase(race);
  }
  auto it = shared_data_.find(key);
  if (cas != 0 && (it == shared_data_.end() || it->second.cas != cas)) {
    return StatusCode::CasMismatch;
  }
  if (it == shared_data_.end()) it = shared_data_.emplace(std::string(key), SharedEntry{}).first;
  it->second.value = std::string(value);
  it->second.cas = next_cas_++;
  return StatusCode::Ok;
}

StatusCode Host::register_shared_queue(std::string_view name, uint32_t* queue_id) {
  // Readiness goes to the plugin context, also for a queue a stream registers.
  const uint32_t owner = root_of(effective_context());
  for (size_t i = 0; i < queues_.size(); ++i) {
    if (queues_[i].name == name) {
      queues_[i].owner_context = owner;
      *queue_id = static_cast<uint32_t>(i + 1);
      return StatusCode::Ok;
    }
  }
  queues_.push_back(Queue{std::string(name), owner, {}});
  *queue_id = static_cast<uint32_t>(queues_.size());
  return StatusCode::Ok;
}

StatusCode Host::resolve_shared_queue(std::string_view vm_id, std::string_view name,
                                      uint32_t* queue_id) {
  if (vm_id != kVmId) return StatusCode::NotFound;
  for (size_t i = 0; i < queues_.size(); ++i) {
    if (queues_[i].name == name) {
      *queue_id = static_cast<uint32_t>(i + 1);
      return StatusCode::Ok;
    }
  }
  return StatusCode::NotFound;
}

StatusCode Host::enqueue_shared_queue(uint32_t queue_id, std::string_view value) {
  if (queue_id == 0 || queue_id > queues_.size()) return StatusCode::NotFound;
  Queue& queue = queues_[queue_id - 1];
  queue.messages.emplace_back(value);
  ready_queues_.emplace_back(queue_id, queue.owner_context);
  return StatusCode::Ok;
}

StatusCode Host::dequeue_shared_queue(uint32_t queue_id, std::string* value) {
  if (queue_id == 0 || queue_id > queues_.size()) return StatusCode::NotFound;
  Queue& queue = queues_[queue_id - 1];
  if (queue.messages.empty()) return StatusCode::Empty;
  *value = std::move(queue.messages.front());
  queue.messages.erase(queue.messages.begin());
  return StatusCode::Ok;
}

// ---- metrics ----

StatusCode Host::define_metric(uint32_t type, std::string_view name, uint32_t* metric_id) {
  if (type >= kMetricTypeCount) return StatusCode::BadArgument;
  for (size_t i = 0; i < metrics_.size(); ++i) {
    if (metrics_[i].name == name && static_cast<uint32_t>(metrics_[i].type) == type) {
      *metric_id = static_cast<uint32_t>(i + 1);
      return StatusCode::Ok;
    }
  }
  metrics_.push_back(Metric{static_cast<MetricType>(type), std::string(name)});
  *metric_id = static_cast<uint32_t>(metrics_.size());
  return StatusCode::Ok;
}

StatusCode Host::increment_metric(uint32_t metric_id, int64_t offset) {
  if (metric_id == 0 || metric_id > metrics_.size()) return StatusCode::NotFound;
  Metric& metric = metrics_[metric_id - 1];
  if (metric.type == MetricType::Histogram) return StatusCode::BadArgument;
  if (metric.type == MetricType::Counter && offset < 0) return StatusCode::BadArgument;
  metric.value += static_cast<uint64_t>(offset);
  return StatusCode::Ok;
}

StatusCode Host::record_metric(uint32_t metric_id, uint64_t value) {
  if (metric_id == 0 || metric_id > metrics_.size()) return StatusCode::NotFound;
  Metric& metric = metrics_[metric_id - 1];
  if (metric.type == MetricType::Counter) return StatusCode::BadArgument;
  metric.value = value;  // a gauge's value, or a histogram's last sample
  return StatusCode::Ok;
}

StatusCode Host::get_metric(uint32_t metric_id, uint64_t* value) {
  if (metric_id == 0 || metric_id > metrics_.size()) return StatusCode::NotFound;
  *value = metrics_[metric_id - 1].value;
  return StatusCode::Ok;
}

// ---- properties, foreign functions ----

// A stream's own properties first, then the host-wide ones, then the attributes Envoy derives
// from the stream (testing/stream_attributes.h): what a test put always wins.
std::optional<std::string> Host::property_seen_by(uint32_t context,
                                                  std::string_view encoded_path) const {
  const bool is_stream = is_stream_context(context);
  const auto found = streams_.find(context);
  static const StreamState kUntouched;  // a stream no test or plugin call has touched yet
  const StreamState& stream = found != streams_.end() ? found->second : kUntouched;
  if (is_stream) {
    auto own = stream.properties.find(std::string(encoded_path));
    if (own != stream.properties.end()) return own->second;
  }
  if (auto it = properties_.find(std::string(encoded_path)); it != properties_.end()) {
    return it->second;
  }
  if (is_stream) return stream_attribute(stream, context, encoded_path);
  return std::nullopt;
}

std::optional<std::string> Host::stream_property(uint32_t context_id,
                                                 const std::vector<std::string>& path) const {
  return property_seen_by(context_id, encode_path(path));
}

StatusCode Host::get_property(std::string_view encoded_path, std::string* value) {
  std::optional<std::string> found = property_seen_by(effective_context(), encoded_path);
  if (!found) return StatusCode::NotFound;
  *value = std::move(*found);
  return StatusCode::Ok;
}

// Envoy keeps a value a stream sets in that stream's filter state: another stream does not
// see it. Set outside a stream (a plugin's own context), it is host-wide here.
StatusCode Host::set_property(std::string_view encoded_path, std::string_view value) {
  if (encoded_path.empty() || encoded_path.back() != '\0') return StatusCode::BadArgument;
  const uint32_t context = effective_context();
  if (is_stream_context(context)) {
    streams_[context].properties[std::string(encoded_path)] = std::string(value);
  } else {
    properties_[std::string(encoded_path)] = std::string(value);
  }
  return StatusCode::Ok;
}

StatusCode Host::call_foreign_function(std::string_view name, std::string_view arguments,
                                       std::string* result) {
  auto it = foreign_functions_.find(name);
  if (it == foreign_functions_.end()) return StatusCode::NotFound;
  std::optional<std::string> answer = it->second(arguments);
  if (!answer) return StatusCode::InternalFailure;
  *result = std::move(*answer);
  return StatusCode::Ok;
}

}  // namespace coproxy::testing
