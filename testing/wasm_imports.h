// The env.proxy_* imports of a module translated by wasm2c (wabt 1.0.32 names), all of them.
// wasm_plugin.cc defines them; every module's glue includes this after the module's own
// header, so a signature that differs from what the module imports fails to compile.
#pragma once

#include <cstdint>

#ifndef WASM_RT_CORE_TYPES_DEFINED
#define WASM_RT_CORE_TYPES_DEFINED
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;
#endif

struct Z_env_instance_t;

extern "C" {

u32 Z_envZ_proxy_done(struct Z_env_instance_t* env);
u32 Z_envZ_proxy_set_effective_context(struct Z_env_instance_t* env, u32 context_id);
u32 Z_envZ_proxy_log(struct Z_env_instance_t* env, u32 level, u32 message, u32 message_size);
u32 Z_envZ_proxy_get_log_level(struct Z_env_instance_t* env, u32 level);
u32 Z_envZ_proxy_get_current_time_nanoseconds(struct Z_env_instance_t* env, u32 nanoseconds);
u32 Z_envZ_proxy_set_tick_period_milliseconds(struct Z_env_instance_t* env, u32 period);
u32 Z_envZ_proxy_get_buffer_bytes(struct Z_env_instance_t* env, u32 type, u32 start, u32 max_size,
                                  u32 data, u32 size);
u32 Z_envZ_proxy_get_buffer_status(struct Z_env_instance_t* env, u32 type, u32 length, u32 flags);
u32 Z_envZ_proxy_set_buffer_bytes(struct Z_env_instance_t* env, u32 type, u32 start, u32 size,
                                  u32 data, u32 data_size);
u32 Z_envZ_proxy_get_header_map_pairs(struct Z_env_instance_t* env, u32 type, u32 data, u32 size);
u32 Z_envZ_proxy_set_header_map_pairs(struct Z_env_instance_t* env, u32 type, u32 data, u32 size);
u32 Z_envZ_proxy_get_header_map_size(struct Z_env_instance_t* env, u32 type, u32 size);
u32 Z_envZ_proxy_get_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key, u32 key_size,
                                      u32 value, u32 value_size);
u32 Z_envZ_proxy_add_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key, u32 key_size,
                                      u32 value, u32 value_size);
u32 Z_envZ_proxy_replace_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key,
                                          u32 key_size, u32 value, u32 value_size);
u32 Z_envZ_proxy_remove_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key,
                                         u32 key_size);
u32 Z_envZ_proxy_continue_stream(struct Z_env_instance_t* env, u32 stream_type);
u32 Z_envZ_proxy_close_stream(struct Z_env_instance_t* env, u32 stream_type);
u32 Z_envZ_proxy_get_status(struct Z_env_instance_t* env, u32 status_code, u32 message,
                            u32 message_size);
u32 Z_envZ_proxy_send_local_response(struct Z_env_instance_t* env, u32 status_code, u32 details,
                                     u32 details_size, u32 body, u32 body_size, u32 headers,
                                     u32 headers_size, u32 grpc_status);
u32 Z_envZ_proxy_http_call(struct Z_env_instance_t* env, u32 upstream, u32 upstream_size,
                           u32 headers, u32 headers_size, u32 body, u32 body_size, u32 trailers,
                           u32 trailers_size, u32 timeout_milliseconds, u32 token);
u32 Z_envZ_proxy_grpc_call(struct Z_env_instance_t* env, u32 upstream, u32 upstream_size,
                           u32 service, u32 service_size, u32 method, u32 method_size,
                           u32 initial_metadata, u32 initial_metadata_size, u32 message,
                           u32 message_size, u32 timeout_milliseconds, u32 token);
u32 Z_envZ_proxy_grpc_stream(struct Z_env_instance_t* env, u32 upstream, u32 upstream_size,
                             u32 service, u32 service_size, u32 method, u32 method_size,
                             u32 initial_metadata, u32 initial_metadata_size, u32 token);
u32 Z_envZ_proxy_grpc_send(struct Z_env_instance_t* env, u32 token, u32 message, u32 message_size,
                           u32 end_stream);
u32 Z_envZ_proxy_grpc_cancel(struct Z_env_instance_t* env, u32 token);
u32 Z_envZ_proxy_grpc_close(struct Z_env_instance_t* env, u32 token);
u32 Z_envZ_proxy_get_shared_data(struct Z_env_instance_t* env, u32 key, u32 key_size, u32 value,
                                 u32 value_size, u32 cas);
u32 Z_envZ_proxy_set_shared_data(struct Z_env_instance_t* env, u32 key, u32 key_size, u32 value,
                                 u32 value_size, u32 cas);
u32 Z_envZ_proxy_register_shared_queue(struct Z_env_instance_t* env, u32 name, u32 name_size,
                                       u32 queue_id);
u32 Z_envZ_proxy_resolve_shared_queue(struct Z_env_instance_t* env, u32 vm_id, u32 vm_id_size,
                                      u32 name, u32 name_size, u32 queue_id);
u32 Z_envZ_proxy_enqueue_shared_queue(struct Z_env_instance_t* env, u32 queue_id, u32 value,
                                      u32 value_size);
u32 Z_envZ_proxy_dequeue_shared_queue(struct Z_env_instance_t* env, u32 queue_id, u32 value,
                                      u32 value_size);
u32 Z_envZ_proxy_define_metric(struct Z_env_instance_t* env, u32 type, u32 name, u32 name_size,
                               u32 metric_id);
u32 Z_envZ_proxy_increment_metric(struct Z_env_instance_t* env, u32 metric_id, u64 offset);
u32 Z_envZ_proxy_record_metric(struct Z_env_instance_t* env, u32 metric_id, u64 value);
u32 Z_envZ_proxy_get_metric(struct Z_env_instance_t* env, u32 metric_id, u32 value);
u32 Z_envZ_proxy_get_property(struct Z_env_instance_t* env, u32 path, u32 path_size, u32 value,
                              u32 value_size);
u32 Z_envZ_proxy_set_property(struct Z_env_instance_t* env, u32 path, u32 path_size, u32 value,
                              u32 value_size);
u32 Z_envZ_proxy_call_foreign_function(struct Z_env_instance_t* env, u32 name, u32 name_size,
                                       u32 arguments, u32 arguments_size, u32 result,
                                       u32 result_size);

}  // extern "C"
