// ImportBinding: every proxy_* import written once over a guest memory model, so a plugin
// compiled natively and its .wasm run through the same marshalling, bounds checks and trace.
//
// A Memory provides:
//   bool read(Ptr data, Size size, std::string_view* out)     guest bytes, false if out of bounds
//   template <class T> bool writable(Ptr slot)                 room for a T at slot
//   template <class T> void write(Ptr slot, T value)           (after writable)
//   StatusCode hand_out(std::string_view value, Ptr data_slot, Ptr size_slot)
//       copies value into memory the guest allocates with proxy_on_memory_allocate (the guest
//       frees it) and stores its address and size.
// Natively Ptr is a typed pointer; for wasm it is a 32-bit offset into linear memory. A view
// from read() is valid until the next call into the guest (a guest allocation may move it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "coproxy/abi/types.h"
#include "testing/host.h"
#include "testing/trace.h"

namespace coproxy::testing {

template <class Memory>
class ImportBinding {
 public:
  ImportBinding(Host& host, Memory memory) : host_(host), memory_(memory) {}

  uint32_t done() {
    if (const auto fault = begin("proxy_done")) return injected(*fault);
    return end({}, host_.done());
  }

  uint32_t set_effective_context(uint32_t context_id) {
    if (const auto fault = begin("proxy_set_effective_context")) return injected(*fault);
    return end({context_id}, host_.set_effective_context(context_id));
  }

  uint32_t log(uint32_t level, auto message, auto message_size) {
    if (const auto fault = begin("proxy_log")) return injected(*fault);
    std::string_view text;
    if (!memory_.read(message, message_size, &text)) return bad_memory();
    return end({TraceValue::log_level(level), text}, host_.log(level, text));
  }

  uint32_t get_log_level(auto level_slot) {
    if (const auto fault = begin("proxy_get_log_level")) return injected(*fault);
    uint32_t level = 0;
    return scalar_out(level_slot, level, [&] { return host_.get_log_level(&level); }, {});
  }

  uint32_t get_current_time_nanoseconds(auto time_slot) {
    if (const auto fault = begin("proxy_get_current_time_nanoseconds")) return injected(*fault);
    uint64_t now = 0;
    return scalar_out(time_slot, now, [&] { return host_.get_current_time_nanoseconds(&now); }, {});
  }

  uint32_t set_tick_period_milliseconds(uint32_t period) {
    if (const auto fault = begin("proxy_set_tick_period_milliseconds")) return injected(*fault);
    return end({period}, host_.set_tick_period_milliseconds(period));
  }

  uint32_t get_buffer_bytes(uint32_t type, auto start, auto max_size, auto data_slot,
                            auto size_slot) {
    if (const auto fault = begin("proxy_get_buffer_bytes")) return injected(*fault);
    return string_out(
        data_slot, size_slot,
        [&](std::string* bytes) { return host_.get_buffer_bytes(type, start, max_size, bytes); },
        {TraceValue::buffer_type(type), start, max_size});
  }

  uint32_t get_buffer_status(uint32_t type, auto length_slot, auto flags_slot) {
    if (const auto fault = begin("proxy_get_buffer_status")) return injected(*fault);
    if (!memory_.template writable<uint32_t>(length_slot) ||
        !memory_.template writable<uint32_t>(flags_slot)) {
      return bad_memory();
    }
    size_t length = 0;
    uint32_t flags = 0;
    StatusCode status = host_.get_buffer_status(type, &length, &flags);
    if (status == StatusCode::Ok) {
      memory_.write(length_slot, static_cast<uint32_t>(length));
      memory_.write(flags_slot, flags);
    }
    return end({TraceValue::buffer_type(type)}, status, {TraceValue::named("length", length)});
  }

  uint32_t set_buffer_bytes(uint32_t type, auto start, auto size, auto data, auto data_size) {
    if (const auto fault = begin("proxy_set_buffer_bytes")) return injected(*fault);
    std::string_view bytes;
    if (!memory_.read(data, data_size, &bytes)) return bad_memory();
    return end({TraceValue::buffer_type(type), start, size, bytes},
               host_.set_buffer_bytes(type, start, size, bytes));
  }

  uint32_t get_header_map_pairs(uint32_t type, auto data_slot, auto size_slot) {
    if (const auto fault = begin("proxy_get_header_map_pairs")) return injected(*fault);
    return string_out(
        data_slot, size_slot,
        [&](std::string* encoded) { return host_.get_header_map_pairs(type, encoded); },
        {TraceValue::map_type(type)}, /*show_as_map=*/true);
  }

  uint32_t set_header_map_pairs(uint32_t type, auto data, auto size) {
    if (const auto fault = begin("proxy_set_header_map_pairs")) return injected(*fault);
    std::string_view encoded;
    if (!memory_.read(data, size, &encoded)) return bad_memory();
    return end({TraceValue::map_type(type), TraceValue::header_map(encoded)},
               host_.set_header_map_pairs(type, encoded));
  }

  uint32_t get_header_map_size(uint32_t type, auto size_slot) {
    if (const auto fault = begin("proxy_get_header_map_size")) return injected(*fault);
    uint32_t size = 0;
    return scalar_out(size_slot, size,
                      [&] {
                        size_t bytes = 0;
                        StatusCode status = host_.get_header_map_size(type, &bytes);
                        size = static_cast<uint32_t>(bytes);
                        return status;
                      },
                      {TraceValue::map_type(type)});
  }

  uint32_t get_header_map_value(uint32_t type, auto key, auto key_size, auto value_slot,
                                auto value_size_slot) {
    if (const auto fault = begin("proxy_get_header_map_value")) return injected(*fault);
    std::string_view name;
    if (!memory_.read(key, key_size, &name)) return bad_memory();
    return string_out(
        value_slot, value_size_slot,
        [&](std::string* value) { return host_.get_header_map_value(type, name, value); },
        {TraceValue::map_type(type), name});
  }

  uint32_t add_header_map_value(uint32_t type, auto key, auto key_size, auto value,
                                auto value_size) {
    if (const auto fault = begin("proxy_add_header_map_value")) return injected(*fault);
    std::string_view name, text;
    if (!memory_.read(key, key_size, &name) || !memory_.read(value, value_size, &text)) {
      return bad_memory();
    }
    return end({TraceValue::map_type(type), name, text},
               host_.add_header_map_value(type, name, text));
  }

  uint32_t replace_header_map_value(uint32_t type, auto key, auto key_size, auto value,
                                    auto value_size) {
    if (const auto fault = begin("proxy_replace_header_map_value")) return injected(*fault);
    std::string_view name, text;
    if (!memory_.read(key, key_size, &name) || !memory_.read(value, value_size, &text)) {
      return bad_memory();
    }
    return end({TraceValue::map_type(type), name, text},
               host_.replace_header_map_value(type, name, text));
  }

  uint32_t remove_header_map_value(uint32_t type, auto key, auto key_size) {
    if (const auto fault = begin("proxy_remove_header_map_value")) return injected(*fault);
    std::string_view name;
    if (!memory_.read(key, key_size, &name)) return bad_memory();
    return end({TraceValue::map_type(type), name}, host_.remove_header_map_value(type, name));
  }

  uint32_t continue_stream(uint32_t stream_type) {
    if (const auto fault = begin("proxy_continue_stream")) return injected(*fault);
    // Traced before the call: the host may deliver the next callback from inside it.
    trace_before({TraceValue::stream_type(stream_type)});
    return end_after(host_.continue_stream(stream_type));
  }

  uint32_t close_stream(uint32_t stream_type) {
    if (const auto fault = begin("proxy_close_stream")) return injected(*fault);
    trace_before({TraceValue::stream_type(stream_type)});
    return end_after(host_.close_stream(stream_type));
  }

  uint32_t get_status(auto code_slot, auto message_slot, auto message_size_slot) {
    if (const auto fault = begin("proxy_get_status")) return injected(*fault);
    if (!memory_.template writable<uint32_t>(code_slot)) return bad_memory();
    return string_out(message_slot, message_size_slot,
                      [&](std::string* message) {
                        uint32_t code = 0;
                        StatusCode status = host_.get_status(&code, message);
                        if (status == StatusCode::Ok) memory_.write(code_slot, code);
                        return status;
                      },
                      {});
  }

  uint32_t send_local_response(uint32_t status_code, auto details, auto details_size, auto body,
                               auto body_size, auto headers, auto headers_size,
                               int32_t grpc_status) {
    if (const auto fault = begin("proxy_send_local_response")) return injected(*fault);
    std::string_view d, b, h;
    if (!memory_.read(details, details_size, &d) || !memory_.read(body, body_size, &b) ||
        !memory_.read(headers, headers_size, &h)) {
      return bad_memory();
    }
    trace_before({status_code, d, b, TraceValue::header_map(h), grpc_status});
    return end_after(host_.send_local_response(status_code, d, b, h, grpc_status));
  }

  uint32_t http_call(auto upstream, auto upstream_size, auto headers, auto headers_size, auto body,
                     auto body_size, auto trailers, auto trailers_size, uint32_t timeout_ms,
                     auto token_slot) {
    if (const auto fault = begin("proxy_http_call")) return injected(*fault);
    std::string_view u, h, b, t;
    if (!memory_.read(upstream, upstream_size, &u) || !memory_.read(headers, headers_size, &h) ||
        !memory_.read(body, body_size, &b) || !memory_.read(trailers, trailers_size, &t)) {
      return bad_memory();
    }
    uint32_t token = 0;
    return scalar_out(token_slot, token,
                      [&] { return host_.http_call(u, h, b, t, timeout_ms, &token); },
                      {u, TraceValue::header_map(h), b, TraceValue::header_map(t), timeout_ms});
  }

  uint32_t grpc_call(auto upstream, auto upstream_size, auto service, auto service_size,
                     auto method, auto method_size, auto metadata, auto metadata_size, auto message,
                     auto message_size, uint32_t timeout_ms, auto token_slot) {
    if (const auto fault = begin("proxy_grpc_call")) return injected(*fault);
    std::string_view u, s, m, md, msg;
    if (!memory_.read(upstream, upstream_size, &u) || !memory_.read(service, service_size, &s) ||
        !memory_.read(method, method_size, &m) || !memory_.read(metadata, metadata_size, &md) ||
        !memory_.read(message, message_size, &msg)) {
      return bad_memory();
    }
    uint32_t token = 0;
    return scalar_out(token_slot, token,
                      [&] { return host_.grpc_call(u, s, m, md, msg, timeout_ms, &token); },
                      {u, s, m, TraceValue::header_map(md), msg, timeout_ms});
  }

  uint32_t grpc_stream(auto upstream, auto upstream_size, auto service, auto service_size,
                       auto method, auto method_size, auto metadata, auto metadata_size,
                       auto token_slot) {
    if (const auto fault = begin("proxy_grpc_stream")) return injected(*fault);
    std::string_view u, s, m, md;
    if (!memory_.read(upstream, upstream_size, &u) || !memory_.read(service, service_size, &s) ||
        !memory_.read(method, method_size, &m) || !memory_.read(metadata, metadata_size, &md)) {
      return bad_memory();
    }
    uint32_t token = 0;
    return scalar_out(token_slot, token, [&] { return host_.grpc_stream(u, s, m, md, &token); },
                      {u, s, m, TraceValue::header_map(md)});
  }

  uint32_t grpc_send(uint32_t token, auto message, auto message_size, uint32_t end_of_stream) {
    if (const auto fault = begin("proxy_grpc_send")) return injected(*fault);
    std::string_view msg;
    if (!memory_.read(message, message_size, &msg)) return bad_memory();
    return end({token, msg, end_of_stream != 0}, host_.grpc_send(token, msg, end_of_stream != 0));
  }

  uint32_t grpc_cancel(uint32_t token) {
    if (const auto fault = begin("proxy_grpc_cancel")) return injected(*fault);
    return end({token}, host_.grpc_cancel(token));
  }

  uint32_t grpc_close(uint32_t token) {
    if (const auto fault = begin("proxy_grpc_close")) return injected(*fault);
    return end({token}, host_.grpc_close(token));
  }

  uint32_t get_shared_data(auto key, auto key_size, auto value_slot, auto value_size_slot,
                           auto cas_slot) {
    if (const auto fault = begin("proxy_get_shared_data")) return injected(*fault);
    std::string_view k;
    if (!memory_.read(key, key_size, &k) || !memory_.template writable<uint32_t>(cas_slot)) {
      return bad_memory();
    }
    return string_out(value_slot, value_size_slot,
                      [&](std::string* value) {
                        uint32_t cas = 0;
                        StatusCode status = host_.get_shared_data(k, value, &cas);
                        if (status == StatusCode::Ok) memory_.write(cas_slot, cas);
                        return status;
                      },
                      {k});
  }

  uint32_t set_shared_data(auto key, auto key_size, auto value, auto value_size, uint32_t cas) {
    if (const auto fault = begin("proxy_set_shared_data")) return injected(*fault);
    std::string_view k, v;
    if (!memory_.read(key, key_size, &k) || !memory_.read(value, value_size, &v)) {
      return bad_memory();
    }
    return end({k, v, cas}, host_.set_shared_data(k, v, cas));
  }

  uint32_t register_shared_queue(auto name, auto name_size, auto queue_slot) {
    if (const auto fault = begin("proxy_register_shared_queue")) return injected(*fault);
    std::string_view n;
    if (!memory_.read(name, name_size, &n)) return bad_memory();
    uint32_t queue = 0;
    return scalar_out(queue_slot, queue, [&] { return host_.register_shared_queue(n, &queue); },
                      {n});
  }

  uint32_t resolve_shared_queue(auto vm_id, auto vm_id_size, auto name, auto name_size,
                                auto queue_slot) {
    if (const auto fault = begin("proxy_resolve_shared_queue")) return injected(*fault);
    std::string_view vm, n;
    if (!memory_.read(vm_id, vm_id_size, &vm) || !memory_.read(name, name_size, &n)) {
      return bad_memory();
    }
    uint32_t queue = 0;
    return scalar_out(queue_slot, queue, [&] { return host_.resolve_shared_queue(vm, n, &queue); },
                      {vm, n});
  }

  uint32_t enqueue_shared_queue(uint32_t queue_id, auto value, auto value_size) {
    if (const auto fault = begin("proxy_enqueue_shared_queue")) return injected(*fault);
    std::string_view v;
    if (!memory_.read(value, value_size, &v)) return bad_memory();
    return end({queue_id, v}, host_.enqueue_shared_queue(queue_id, v));
  }

  uint32_t dequeue_shared_queue(uint32_t queue_id, auto value_slot, auto value_size_slot) {
    if (const auto fault = begin("proxy_dequeue_shared_queue")) return injected(*fault);
    return string_out(
        value_slot, value_size_slot,
        [&](std::string* value) { return host_.dequeue_shared_queue(queue_id, value); },
        {queue_id});
  }

  uint32_t define_metric(uint32_t type, auto name, auto name_size, auto metric_slot) {
    if (const auto fault = begin("proxy_define_metric")) return injected(*fault);
    std::string_view n;
    if (!memory_.read(name, name_size, &n)) return bad_memory();
    uint32_t metric = 0;
    return scalar_out(metric_slot, metric, [&] { return host_.define_metric(type, n, &metric); },
                      {TraceValue::metric_type(type), n});
  }

  uint32_t increment_metric(uint32_t metric_id, int64_t offset) {
    if (const auto fault = begin("proxy_increment_metric")) return injected(*fault);
    return end({metric_id, offset}, host_.increment_metric(metric_id, offset));
  }

  uint32_t record_metric(uint32_t metric_id, uint64_t value) {
    if (const auto fault = begin("proxy_record_metric")) return injected(*fault);
    return end({metric_id, value}, host_.record_metric(metric_id, value));
  }

  uint32_t get_metric(uint32_t metric_id, auto value_slot) {
    if (const auto fault = begin("proxy_get_metric")) return injected(*fault);
    uint64_t value = 0;
    return scalar_out(value_slot, value, [&] { return host_.get_metric(metric_id, &value); },
                      {metric_id});
  }

  uint32_t get_property(auto path, auto path_size, auto value_slot, auto value_size_slot) {
    if (const auto fault = begin("proxy_get_property")) return injected(*fault);
    std::string_view p;
    if (!memory_.read(path, path_size, &p)) return bad_memory();
    return string_out(value_slot, value_size_slot,
                      [&](std::string* value) { return host_.get_property(p, value); },
                      {TraceValue::property_path(p)});
  }

  uint32_t set_property(auto path, auto path_size, auto value, auto value_size) {
    if (const auto fault = begin("proxy_set_property")) return injected(*fault);
    std::string_view p, v;
    if (!memory_.read(path, path_size, &p) || !memory_.read(value, value_size, &v)) {
      return bad_memory();
    }
    return end({TraceValue::property_path(p), v}, host_.set_property(p, v));
  }

  uint32_t call_foreign_function(auto name, auto name_size, auto arguments, auto arguments_size,
                                 auto result_slot, auto result_size_slot) {
    if (const auto fault = begin("proxy_call_foreign_function")) return injected(*fault);
    std::string_view n, a;
    if (!memory_.read(name, name_size, &n) || !memory_.read(arguments, arguments_size, &a)) {
      return bad_memory();
    }
    return string_out(
        result_slot, result_size_slot,
        [&](std::string* result) { return host_.call_foreign_function(n, a, result); }, {n, a});
  }

 private:
  static uint32_t wire(StatusCode status) { return static_cast<uint32_t>(status); }

  // Names the call for the host; a fault the test injected for it (Host::inject_fault) comes
  // back instead, and the call then fails with it before anything happens.
  std::optional<StatusCode> begin(std::string_view import) { return host_.begin_import(import); }
  uint32_t injected(StatusCode fault) { return end({TraceValue::raw("<injected fault>")}, fault); }

  uint32_t end(std::initializer_list<TraceValue> arguments, StatusCode status,
               std::initializer_list<TraceValue> results = {}) {
    host_.end_import(arguments, status, results);
    return wire(status);
  }

  void trace_before(std::initializer_list<TraceValue> arguments) {
    host_.end_import(arguments, StatusCode::Ok, {});
  }
  uint32_t end_after(StatusCode status) {
    if (status != StatusCode::Ok) host_.trace_line("    = " + std::string(status_name(status)));
    return wire(status);
  }

  // A guest pointer or length outside its memory: the host refuses, it never crashes.
  uint32_t bad_memory() {
    return end({TraceValue::raw("<out of bounds>")}, StatusCode::InvalidMemoryAccess);
  }

  // A host call with one scalar result for `slot`. The slot is checked first, so a bad one
  // leaves no side effect.
  template <class T, class Call>
  uint32_t scalar_out(auto slot, T& value, Call&& call,
                      std::initializer_list<TraceValue> arguments) {
    if (!memory_.template writable<T>(slot)) return bad_memory();
    StatusCode status = call();
    if (status == StatusCode::Ok) memory_.write(slot, value);
    return end(arguments, status, {value});
  }

  // A host call with a string result, handed to the guest in memory it allocates. The slots
  // are checked first: a dequeued message is never lost to a bad pointer.
  template <class Call>
  uint32_t string_out(auto data_slot, auto size_slot, Call&& call,
                      std::initializer_list<TraceValue> arguments, bool show_as_map = false) {
    if (!memory_.template writable<uint32_t>(data_slot) ||
        !memory_.template writable<uint32_t>(size_slot)) {
      return bad_memory();
    }
    std::string value;
    StatusCode status = call(&value);
    if (status == StatusCode::Ok) status = memory_.hand_out(value, data_slot, size_slot);
    return end(arguments, status,
               {show_as_map ? TraceValue::header_map(value) : TraceValue(value)});
  }

  Host& host_;
  Memory memory_;
};

}  // namespace coproxy::testing
