// The proxy_* imports for a plugin compiled natively: guest memory is process memory, and
// each import forwards to the active Host through the shared ImportBinding.
#include <cstring>
#include <string_view>

#include "coproxy/abi/exports.h"
#include "coproxy/abi/imports.h"
#include "testing/import_binding.h"
#include "testing/native_plugin.h"

namespace coproxy::testing {
namespace {

// Guest pointers are process pointers; null (with a size) is the only bad one we can tell.
struct NativeMemory {
  bool read(const char* data, size_t size, std::string_view* out) const {
    if (data == nullptr && size != 0) return false;
    *out = size ? std::string_view(data, size) : std::string_view();
    return true;
  }
  template <class T, class Slot>
  bool writable(Slot* slot) const {
    return slot != nullptr;
  }
  template <class T, class Slot>
  void write(Slot* slot, T value) const {
    *slot = static_cast<Slot>(value);
  }
  StatusCode hand_out(std::string_view value, const char** data, size_t* size) const {
    // The plugin's own allocator, as a real host uses it; the plugin frees the copy.
    count_host_buffer();
    void* copy = proxy_on_memory_allocate(value.size());
    if (copy == nullptr && !value.empty()) return StatusCode::InvalidMemoryAccess;
    if (!value.empty()) std::memcpy(copy, value.data(), value.size());
    *data = static_cast<const char*>(copy);
    *size = value.size();
    return StatusCode::Ok;
  }
};

// The binding for one import call; host code while it lives (allocations are the host's).
struct NativeImports : HostCodeScope, ImportBinding<NativeMemory> {
  NativeImports() : ImportBinding<NativeMemory>(NativePlugin::active_host(), NativeMemory{}) {}
};
NativeImports imports() { return {}; }

}  // namespace
}  // namespace coproxy::testing

using coproxy::testing::imports;

extern "C" {

proxy_status_t proxy_done() { return imports().done(); }

proxy_status_t proxy_set_effective_context(uint32_t context_id) {
  return imports().set_effective_context(context_id);
}

proxy_status_t proxy_log(uint32_t level, const char* message, size_t message_size) {
  return imports().log(level, message, message_size);
}

proxy_status_t proxy_get_log_level(uint32_t* level) { return imports().get_log_level(level); }

proxy_status_t proxy_get_current_time_nanoseconds(uint64_t* nanoseconds) {
  return imports().get_current_time_nanoseconds(nanoseconds);
}

proxy_status_t proxy_set_tick_period_milliseconds(uint32_t period) {
  return imports().set_tick_period_milliseconds(period);
}

proxy_status_t proxy_get_buffer_bytes(uint32_t type, size_t start, size_t max_size,
                                      const char** data, size_t* size) {
  return imports().get_buffer_bytes(type, start, max_size, data, size);
}

proxy_status_t proxy_get_buffer_status(uint32_t type, size_t* length, uint32_t* flags) {
  return imports().get_buffer_status(type, length, flags);
}

proxy_status_t proxy_set_buffer_bytes(uint32_t type, size_t start, size_t size, const char* data,
                                      size_t data_size) {
  return imports().set_buffer_bytes(type, start, size, data, data_size);
}

proxy_status_t proxy_get_header_map_pairs(uint32_t type, const char** data, size_t* size) {
  return imports().get_header_map_pairs(type, data, size);
}

proxy_status_t proxy_set_header_map_pairs(uint32_t type, const char* data, size_t size) {
  return imports().set_header_map_pairs(type, data, size);
}

proxy_status_t proxy_get_header_map_size(uint32_t type, size_t* size) {
  return imports().get_header_map_size(type, size);
}

proxy_status_t proxy_get_header_map_value(uint32_t type, const char* key, size_t key_size,
                                          const char** value, size_t* value_size) {
  return imports().get_header_map_value(type, key, key_size, value, value_size);
}

proxy_status_t proxy_add_header_map_value(uint32_t type, const char* key, size_t key_size,
                                          const char* value, size_t value_size) {
  return imports().add_header_map_value(type, key, key_size, value, value_size);
}

proxy_status_t proxy_replace_header_map_value(uint32_t type, const char* key, size_t key_size,
                                              const char* value, size_t value_size) {
  return imports().replace_header_map_value(type, key, key_size, value, value_size);
}

proxy_status_t proxy_remove_header_map_value(uint32_t type, const char* key, size_t key_size) {
  return imports().remove_header_map_value(type, key, key_size);
}

proxy_status_t proxy_continue_stream(uint32_t stream_type) {
  return imports().continue_stream(stream_type);
}

proxy_status_t proxy_close_stream(uint32_t stream_type) {
  return imports().close_stream(stream_type);
}

proxy_status_t proxy_get_status(uint32_t* status_code, const char** message, size_t* message_size) {
  return imports().get_status(status_code, message, message_size);
}

proxy_status_t proxy_send_local_response(uint32_t status_code, const char* details,
                                         size_t details_size, const char* body, size_t body_size,
                                         const char* headers, size_t headers_size,
                                         int32_t grpc_status) {
  return imports().send_local_response(status_code, details, details_size, body, body_size, headers,
                                       headers_size, grpc_status);
}

proxy_status_t proxy_http_call(const char* upstream, size_t upstream_size, const char* headers,
                               size_t headers_size, const char* body, size_t body_size,
                               const char* trailers, size_t trailers_size,
                               uint32_t timeout_milliseconds, uint32_t* token) {
  return imports().http_call(upstream, upstream_size, headers, headers_size, body, body_size,
                             trailers, trailers_size, timeout_milliseconds, token);
}

proxy_status_t proxy_grpc_call(const char* upstream, size_t upstream_size, const char* service,
                               size_t service_size, const char* method, size_t method_size,
                               const char* initial_metadata, size_t initial_metadata_size,
                               const char* message, size_t message_size,
                               uint32_t timeout_milliseconds, uint32_t* token) {
  return imports().grpc_call(upstream, upstream_size, service, service_size, method, method_size,
                             initial_metadata, initial_metadata_size, message, message_size,
                             timeout_milliseconds, token);
}

proxy_status_t proxy_grpc_stream(const char* upstream, size_t upstream_size, const char* service,
                                 size_t service_size, const char* method, size_t method_size,
                                 const char* initial_metadata, size_t initial_metadata_size,
                                 uint32_t* token) {
  return imports().grpc_stream(upstream, upstream_size, service, service_size, method, method_size,
                               initial_metadata, initial_metadata_size, token);
}

proxy_status_t proxy_grpc_send(uint32_t token, const char* message, size_t message_size,
                               uint32_t end_stream) {
  return imports().grpc_send(token, message, message_size, end_stream);
}

proxy_status_t proxy_grpc_cancel(uint32_t token) { return imports().grpc_cancel(token); }

proxy_status_t proxy_grpc_close(uint32_t token) { return imports().grpc_close(token); }

proxy_status_t proxy_get_shared_data(const char* key, size_t key_size, const char** value,
                                     size_t* value_size, uint32_t* cas) {
  return imports().get_shared_data(key, key_size, value, value_size, cas);
}

proxy_status_t proxy_set_shared_data(const char* key, size_t key_size, const char* value,
                                     size_t value_size, uint32_t cas) {
  return imports().set_shared_data(key, key_size, value, value_size, cas);
}

proxy_status_t proxy_register_shared_queue(const char* name, size_t name_size, uint32_t* queue_id) {
  return imports().register_shared_queue(name, name_size, queue_id);
}

proxy_status_t proxy_resolve_shared_queue(const char* vm_id, size_t vm_id_size, const char* name,
                                          size_t name_size, uint32_t* queue_id) {
  return imports().resolve_shared_queue(vm_id, vm_id_size, name, name_size, queue_id);
}

proxy_status_t proxy_enqueue_shared_queue(uint32_t queue_id, const char* value, size_t value_size) {
  return imports().enqueue_shared_queue(queue_id, value, value_size);
}

proxy_status_t proxy_dequeue_shared_queue(uint32_t queue_id, const char** value,
                                          size_t* value_size) {
  return imports().dequeue_shared_queue(queue_id, value, value_size);
}

proxy_status_t proxy_define_metric(uint32_t type, const char* name, size_t name_size,
                                   uint32_t* metric_id) {
  return imports().define_metric(type, name, name_size, metric_id);
}

proxy_status_t proxy_increment_metric(uint32_t metric_id, int64_t offset) {
  return imports().increment_metric(metric_id, offset);
}

proxy_status_t proxy_record_metric(uint32_t metric_id, uint64_t value) {
  return imports().record_metric(metric_id, value);
}

proxy_status_t proxy_get_metric(uint32_t metric_id, uint64_t* value) {
  return imports().get_metric(metric_id, value);
}

proxy_status_t proxy_get_property(const char* path, size_t path_size, const char** value,
                                  size_t* value_size) {
  return imports().get_property(path, path_size, value, value_size);
}

proxy_status_t proxy_set_property(const char* path, size_t path_size, const char* value,
                                  size_t value_size) {
  return imports().set_property(path, path_size, value, value_size);
}

proxy_status_t proxy_call_foreign_function(const char* name, size_t name_size,
                                           const char* arguments, size_t arguments_size,
                                           const char** result, size_t* result_size) {
  return imports().call_foreign_function(name, name_size, arguments, arguments_size, result,
                                         result_size);
}

}  // extern "C"
