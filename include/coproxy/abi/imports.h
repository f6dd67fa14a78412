// Proxy-Wasm ABI v0.2.1 imports: what the host provides to the plugin.
//
// The only header that sees raw pointers. In a wasm build each function is an import from
// module "env"; in a native build it is a plain extern "C" symbol that a host (the emulator in
// //testing) defines. Enum parameters are passed as their uint32_t wire value so that a host
// can reject values it does not know. Every `const char** data` the host fills in was allocated
// through the plugin's proxy_on_memory_allocate and is the plugin's to free.
#pragma once

#include <cstddef>
#include <cstdint>

using proxy_status_t = uint32_t;

#if defined(__wasm__)
#define COPROXY_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#else
#define COPROXY_IMPORT(name)
#endif

extern "C" {

// Lifecycle.
COPROXY_IMPORT(proxy_done) proxy_status_t proxy_done();
COPROXY_IMPORT(proxy_set_effective_context)
proxy_status_t proxy_set_effective_context(uint32_t context_id);

// Logging.
COPROXY_IMPORT(proxy_log)
proxy_status_t proxy_log(uint32_t level, const char* message, size_t message_size);
COPROXY_IMPORT(proxy_get_log_level) proxy_status_t proxy_get_log_level(uint32_t* level);

// Time.
COPROXY_IMPORT(proxy_get_current_time_nanoseconds)
proxy_status_t proxy_get_current_time_nanoseconds(uint64_t* nanoseconds);
COPROXY_IMPORT(proxy_set_tick_period_milliseconds)
proxy_status_t proxy_set_tick_period_milliseconds(uint32_t period_milliseconds);

// Buffers.
COPROXY_IMPORT(proxy_get_buffer_bytes)
proxy_status_t proxy_get_buffer_bytes(uint32_t buffer_type, size_t start, size_t max_size,
                                      const char** data, size_t* size);
COPROXY_IMPORT(proxy_get_buffer_status)
proxy_status_t proxy_get_buffer_status(uint32_t buffer_type, size_t* length, uint32_t* flags);
COPROXY_IMPORT(proxy_set_buffer_bytes)
proxy_status_t proxy_set_buffer_bytes(uint32_t buffer_type, size_t start, size_t size,
                                      const char* data, size_t data_size);

// Header maps.
COPROXY_IMPORT(proxy_get_header_map_pairs)
proxy_status_t proxy_get_header_map_pairs(uint32_t map_type, const char** data, size_t* size);
COPROXY_IMPORT(proxy_set_header_map_pairs)
proxy_status_t proxy_set_header_map_pairs(uint32_t map_type, const char* data, size_t size);
COPROXY_IMPORT(proxy_get_header_map_size)
proxy_status_t proxy_get_header_map_size(uint32_t map_type, size_t* size);
COPROXY_IMPORT(proxy_get_header_map_value)
proxy_status_t proxy_get_header_map_value(uint32_t map_type, const char* key, size_t key_size,
                                          const char** value, size_t* value_size);
COPROXY_IMPORT(proxy_add_header_map_value)
proxy_status_t proxy_add_header_map_value(uint32_t map_type, const char* key, size_t key_size,
                                          const char* value, size_t value_size);
COPROXY_IMPORT(proxy_replace_header_map_value)
proxy_status_t proxy_replace_header_map_value(uint32_t map_type, const char* key,
                                              size_t key_size, const char* value,
                                              size_t value_size);
COPROXY_IMPORT(proxy_remove_header_map_value)
proxy_status_t proxy_remove_header_map_value(uint32_t map_type, const char* key,
                                             size_t key_size);

// Streams.
COPROXY_IMPORT(proxy_continue_stream) proxy_status_t proxy_continue_stream(uint32_t stream_type);
COPROXY_IMPORT(proxy_close_stream) proxy_status_t proxy_close_stream(uint32_t stream_type);
COPROXY_IMPORT(proxy_get_status)
proxy_status_t proxy_get_status(uint32_t* status_code, const char** message,
                                size_t* message_size);

// Local reply.
COPROXY_IMPORT(proxy_send_local_response)
proxy_status_t proxy_send_local_response(uint32_t status_code, const char* details,
                                         size_t details_size, const char* body,
                                         size_t body_size, const char* headers,
                                         size_t headers_size, int32_t grpc_status);

// HTTP callouts.
COPROXY_IMPORT(proxy_http_call)
proxy_status_t proxy_http_call(const char* upstream, size_t upstream_size, const char* headers,
                               size_t headers_size, const char* body, size_t body_size,
                               const char* trailers, size_t trailers_size,
                               uint32_t timeout_milliseconds, uint32_t* token);

// gRPC callouts.
COPROXY_IMPORT(proxy_grpc_call)
proxy_status_t proxy_grpc_call(const char* upstream, size_t upstream_size, const char* service,
                               size_t service_size, const char* method, size_t method_size,
                               const char* initial_metadata, size_t initial_metadata_size,
                               const char* message, size_t message_size,
                               uint32_t timeout_milliseconds, uint32_t* token);
COPROXY_IMPORT(proxy_grpc_stream)
proxy_status_t proxy_grpc_stream(const char* upstream, size_t upstream_size,
                                 const char* service, size_t service_size, const char* method,
                                 size_t method_size, const char* initial_metadata,
                                 size_t initial_metadata_size, uint32_t* token);
COPROXY_IMPORT(proxy_grpc_send)
proxy_status_t proxy_grpc_send(uint32_t token, const char* message, size_t message_size,
                               uint32_t end_stream);
COPROXY_IMPORT(proxy_grpc_cancel) proxy_status_t proxy_grpc_cancel(uint32_t token);
COPROXY_IMPORT(proxy_grpc_close) proxy_status_t proxy_grpc_close(uint32_t token);

// Shared data (per VM id, shared across worker VMs).
COPROXY_IMPORT(proxy_get_shared_data)
proxy_status_t proxy_get_shared_data(const char* key, size_t key_size, const char** value,
                                     size_t* value_size, uint32_t* cas);
COPROXY_IMPORT(proxy_set_shared_data)
proxy_status_t proxy_set_shared_data(const char* key, size_t key_size, const char* value,
                                     size_t value_size, uint32_t cas);

// Shared queues.
COPROXY_IMPORT(proxy_register_shared_queue)
proxy_status_t proxy_register_shared_queue(const char* name, size_t name_size,
                                           uint32_t* queue_id);
COPROXY_IMPORT(proxy_resolve_shared_queue)
proxy_status_t proxy_resolve_shared_queue(const char* vm_id, size_t vm_id_size,
                                          const char* name, size_t name_size,
                                          uint32_t* queue_id);
COPROXY_IMPORT(proxy_enqueue_shared_queue)
proxy_status_t proxy_enqueue_shared_queue(uint32_t queue_id, const char* value,
                                          size_t value_size);
COPROXY_IMPORT(proxy_dequeue_shared_queue)
proxy_status_t proxy_dequeue_shared_queue(uint32_t queue_id, const char** value,
                                          size_t* value_size);

// Metrics.
COPROXY_IMPORT(proxy_define_metric)
proxy_status_t proxy_define_metric(uint32_t metric_type, const char* name, size_t name_size,
                                   uint32_t* metric_id);
COPROXY_IMPORT(proxy_increment_metric)
proxy_status_t proxy_increment_metric(uint32_t metric_id, int64_t offset);
COPROXY_IMPORT(proxy_record_metric)
proxy_status_t proxy_record_metric(uint32_t metric_id, uint64_t value);
COPROXY_IMPORT(proxy_get_metric) proxy_status_t proxy_get_metric(uint32_t metric_id, uint64_t* value);

// Properties: path is a sequence of segments, each terminated by '\0'.
COPROXY_IMPORT(proxy_get_property)
proxy_status_t proxy_get_property(const char* path, size_t path_size, const char** value,
                                  size_t* value_size);
COPROXY_IMPORT(proxy_set_property)
proxy_status_t proxy_set_property(const char* path, size_t path_size, const char* value,
                                  size_t value_size);

// Foreign functions.
COPROXY_IMPORT(proxy_call_foreign_function)
proxy_status_t proxy_call_foreign_function(const char* name, size_t name_size,
                                           const char* arguments, size_t arguments_size,
                                           const char** result, size_t* result_size);

}  // extern "C"
