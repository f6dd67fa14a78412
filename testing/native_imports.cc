// The proxy_* imports for a plugin compiled natively: each forwards to the active Host.
// Guest memory is process memory; buffers returned to the plugin are allocated through its
// proxy_on_memory_allocate, as a real host does.
#include <cstring>
#include <string>
#include <string_view>

#include "coproxy/abi/exports.h"
#include "coproxy/abi/imports.h"
#include "testing/native_plugin.h"

namespace {

using coproxy::StatusCode;
using coproxy::testing::Host;

proxy_status_t wire(StatusCode code) { return static_cast<proxy_status_t>(code); }

Host& host() { return coproxy::testing::NativePlugin::active_host(); }

// A guest (pointer, size) as a view; false for a null pointer with a non-zero size.
bool in(const char* data, size_t size, std::string_view* out) {
  if (data == nullptr && size != 0) return false;
  *out = size ? std::string_view(data, size) : std::string_view();
  return true;
}

// Hands `value` to the guest in memory it allocates; the guest frees it.
StatusCode out(const std::string& value, const char** data, size_t* size) {
  if (data == nullptr || size == nullptr) return StatusCode::InvalidMemoryAccess;
  void* copy = proxy_on_memory_allocate(value.size());
  if (copy == nullptr && !value.empty()) return StatusCode::InternalFailure;
  if (!value.empty()) std::memcpy(copy, value.data(), value.size());
  *data = static_cast<const char*>(copy);
  *size = value.size();
  return StatusCode::Ok;
}

// Runs a host call that produces a string and hands it out on success.
template <class Call>
proxy_status_t with_out(const char** data, size_t* size, Call&& call) {
  if (data == nullptr || size == nullptr) return wire(StatusCode::InvalidMemoryAccess);
  std::string value;
  StatusCode status = call(&value);
  if (status != StatusCode::Ok) return wire(status);
  return wire(out(value, data, size));
}

constexpr proxy_status_t kBadMemory = static_cast<proxy_status_t>(StatusCode::InvalidMemoryAccess);

}  // namespace

extern "C" {

proxy_status_t proxy_done() { return wire(host().done()); }

proxy_status_t proxy_set_effective_context(uint32_t context_id) {
  return wire(host().set_effective_context(context_id));
}

proxy_status_t proxy_log(uint32_t level, const char* message, size_t message_size) {
  std::string_view text;
  if (!in(message, message_size, &text)) return kBadMemory;
  return wire(host().log(level, text));
}

proxy_status_t proxy_get_log_level(uint32_t* level) {
  if (level == nullptr) return kBadMemory;
  return wire(host().get_log_level(level));
}

proxy_status_t proxy_get_current_time_nanoseconds(uint64_t* nanoseconds) {
  if (nanoseconds == nullptr) return kBadMemory;
  return wire(host().get_current_time_nanoseconds(nanoseconds));
}

proxy_status_t proxy_set_tick_period_milliseconds(uint32_t period) {
  return wire(host().set_tick_period_milliseconds(period));
}

proxy_status_t proxy_get_buffer_bytes(uint32_t type, size_t start, size_t max_size,
                                      const char** data, size_t* size) {
  return with_out(data, size, [&](std::string* value) {
    return host().get_buffer_bytes(type, start, max_size, value);
  });
}

proxy_status_t proxy_get_buffer_status(uint32_t type, size_t* length, uint32_t* flags) {
  if (length == nullptr || flags == nullptr) return kBadMemory;
  return wire(host().get_buffer_status(type, length, flags));
}

proxy_status_t proxy_set_buffer_bytes(uint32_t type, size_t start, size_t size, const char* data,
                                      size_t data_size) {
  std::string_view bytes;
  if (!in(data, data_size, &bytes)) return kBadMemory;
  return wire(host().set_buffer_bytes(type, start, size, bytes));
}

proxy_status_t proxy_get_header_map_pairs(uint32_t type, const char** data, size_t* size) {
  return with_out(data, size,
                  [&](std::string* value) { return host().get_header_map_pairs(type, value); });
}

proxy_status_t proxy_set_header_map_pairs(uint32_t type, const char* data, size_t size) {
  std::string_view encoded;
  if (!in(data, size, &encoded)) return kBadMemory;
  return wire(host().set_header_map_pairs(type, encoded));
}

proxy_status_t proxy_get_header_map_size(uint32_t type, size_t* size) {
  if (size == nullptr) return kBadMemory;
  return wire(host().get_header_map_size(type, size));
}

proxy_status_t proxy_get_header_map_value(uint32_t type, const char* key, size_t key_size,
                                          const char** value, size_t* value_size) {
  std::string_view name;
  if (!in(key, key_size, &name)) return kBadMemory;
  return with_out(value, value_size, [&](std::string* result) {
    return host().get_header_map_value(type, name, result);
  });
}

proxy_status_t proxy_add_header_map_value(uint32_t type, const char* key, size_t key_size,
                                          const char* value, size_t value_size) {
  std::string_view name, text;
  if (!in(key, key_size, &name) || !in(value, value_size, &text)) return kBadMemory;
  return wire(host().add_header_map_value(type, name, text));
}

proxy_status_t proxy_replace_header_map_value(uint32_t type, const char* key, size_t key_size,
                                              const char* value, size_t value_size) {
  std::string_view name, text;
  if (!in(key, key_size, &name) || !in(value, value_size, &text)) return kBadMemory;
  return wire(host().replace_header_map_value(type, name, text));
}

proxy_status_t proxy_remove_header_map_value(uint32_t type, const char* key, size_t key_size) {
  std::string_view name;
  if (!in(key, key_size, &name)) return kBadMemory;
  return wire(host().remove_header_map_value(type, name));
}

proxy_status_t proxy_continue_stream(uint32_t stream_type) {
  return wire(host().continue_stream(stream_type));
}

proxy_status_t proxy_close_stream(uint32_t stream_type) {
  return wire(host().close_stream(stream_type));
}

proxy_status_t proxy_get_status(uint32_t* status_code, const char** message,
                                size_t* message_size) {
  if (status_code == nullptr) return kBadMemory;
  return with_out(message, message_size,
                  [&](std::string* text) { return host().get_status(status_code, text); });
}

proxy_status_t proxy_send_local_response(uint32_t status_code, const char* details,
                                         size_t details_size, const char* body,
                                         size_t body_size, const char* headers,
                                         size_t headers_size, int32_t grpc_status) {
  std::string_view d, b, h;
  if (!in(details, details_size, &d) || !in(body, body_size, &b) ||
      !in(headers, headers_size, &h)) {
    return kBadMemory;
  }
  return wire(host().send_local_response(status_code, d, b, h, grpc_status));
}

proxy_status_t proxy_http_call(const char* upstream, size_t upstream_size, const char* headers,
                               size_t headers_size, const char* body, size_t body_size,
                               const char* trailers, size_t trailers_size,
                               uint32_t timeout_milliseconds, uint32_t* token) {
  std::string_view u, h, b, t;
  if (!in(upstream, upstream_size, &u) || !in(headers, headers_size, &h) ||
      !in(body, body_size, &b) || !in(trailers, trailers_size, &t) || token == nullptr) {
    return kBadMemory;
  }
  return wire(host().http_call(u, h, b, t, timeout_milliseconds, token));
}

proxy_status_t proxy_grpc_call(const char* upstream, size_t upstream_size, const char* service,
                               size_t service_size, const char* method, size_t method_size,
                               const char* initial_metadata, size_t initial_metadata_size,
                               const char* message, size_t message_size,
                               uint32_t timeout_milliseconds, uint32_t* token) {
  std::string_view u, s, m, md, msg;
  if (!in(upstream, upstream_size, &u) || !in(service, service_size, &s) ||
      !in(method, method_size, &m) || !in(initial_metadata, initial_metadata_size, &md) ||
      !in(message, message_size, &msg) || token == nullptr) {
    return kBadMemory;
  }
  return wire(host().grpc_call(u, s, m, md, msg, timeout_milliseconds, token));
}

proxy_status_t proxy_grpc_stream(const char* upstream, size_t upstream_size,
                                 const char* service, size_t service_size, const char* method,
                                 size_t method_size, const char* initial_metadata,
                                 size_t initial_metadata_size, uint32_t* token) {
  std::string_view u, s, m, md;
  if (!in(upstream, upstream_size, &u) || !in(service, service_size, &s) ||
      !in(method, method_size, &m) || !in(initial_metadata, initial_metadata_size, &md) ||
      token == nullptr) {
    return kBadMemory;
  }
  return wire(host().grpc_stream(u, s, m, md, token));
}

proxy_status_t proxy_grpc_send(uint32_t token, const char* message, size_t message_size,
                               uint32_t end_stream) {
  std::string_view msg;
  if (!in(message, message_size, &msg)) return kBadMemory;
  return wire(host().grpc_send(token, msg, end_stream != 0));
}

proxy_status_t proxy_grpc_cancel(uint32_t token) { return wire(host().grpc_cancel(token)); }

proxy_status_t proxy_grpc_close(uint32_t token) { return wire(host().grpc_close(token)); }

proxy_status_t proxy_get_shared_data(const char* key, size_t key_size, const char** value,
                                     size_t* value_size, uint32_t* cas) {
  std::string_view k;
  if (!in(key, key_size, &k) || cas == nullptr) return kBadMemory;
  return with_out(value, value_size,
                  [&](std::string* v) { return host().get_shared_data(k, v, cas); });
}

proxy_status_t proxy_set_shared_data(const char* key, size_t key_size, const char* value,
                                     size_t value_size, uint32_t cas) {
  std::string_view k, v;
  if (!in(key, key_size, &k) || !in(value, value_size, &v)) return kBadMemory;
  return wire(host().set_shared_data(k, v, cas));
}

proxy_status_t proxy_register_shared_queue(const char* name, size_t name_size,
                                           uint32_t* queue_id) {
  std::string_view n;
  if (!in(name, name_size, &n) || queue_id == nullptr) return kBadMemory;
  return wire(host().register_shared_queue(n, queue_id));
}

proxy_status_t proxy_resolve_shared_queue(const char* vm_id, size_t vm_id_size, const char* name,
                                          size_t name_size, uint32_t* queue_id) {
  std::string_view vm, n;
  if (!in(vm_id, vm_id_size, &vm) || !in(name, name_size, &n) || queue_id == nullptr) {
    return kBadMemory;
  }
  return wire(host().resolve_shared_queue(vm, n, queue_id));
}

proxy_status_t proxy_enqueue_shared_queue(uint32_t queue_id, const char* value,
                                          size_t value_size) {
  std::string_view v;
  if (!in(value, value_size, &v)) return kBadMemory;
  return wire(host().enqueue_shared_queue(queue_id, v));
}

proxy_status_t proxy_dequeue_shared_queue(uint32_t queue_id, const char** value,
                                          size_t* value_size) {
  return with_out(value, value_size,
                  [&](std::string* v) { return host().dequeue_shared_queue(queue_id, v); });
}

proxy_status_t proxy_define_metric(uint32_t type, const char* name, size_t name_size,
                                   uint32_t* metric_id) {
  std::string_view n;
  if (!in(name, name_size, &n) || metric_id == nullptr) return kBadMemory;
  return wire(host().define_metric(type, n, metric_id));
}

proxy_status_t proxy_increment_metric(uint32_t metric_id, int64_t offset) {
  return wire(host().increment_metric(metric_id, offset));
}

proxy_status_t proxy_record_metric(uint32_t metric_id, uint64_t value) {
  return wire(host().record_metric(metric_id, value));
}

proxy_status_t proxy_get_metric(uint32_t metric_id, uint64_t* value) {
  if (value == nullptr) return kBadMemory;
  return wire(host().get_metric(metric_id, value));
}

proxy_status_t proxy_get_property(const char* path, size_t path_size, const char** value,
                                  size_t* value_size) {
  std::string_view p;
  if (!in(path, path_size, &p)) return kBadMemory;
  return with_out(value, value_size, [&](std::string* v) { return host().get_property(p, v); });
}

proxy_status_t proxy_set_property(const char* path, size_t path_size, const char* value,
                                  size_t value_size) {
  std::string_view p, v;
  if (!in(path, path_size, &p) || !in(value, value_size, &v)) return kBadMemory;
  return wire(host().set_property(p, v));
}

proxy_status_t proxy_call_foreign_function(const char* name, size_t name_size,
                                           const char* arguments, size_t arguments_size,
                                           const char** result, size_t* result_size) {
  std::string_view n, a;
  if (!in(name, name_size, &n) || !in(arguments, arguments_size, &a)) return kBadMemory;
  return with_out(result, result_size,
                  [&](std::string* r) { return host().call_foreign_function(n, a, r); });
}

}  // extern "C"
