// Proxy-Wasm ABI v0.2.1 exports: what the plugin provides and the host calls.
//
// Defined in src/exports.cc. In a wasm build each one is exported under its own name; in a
// native build these are plain extern "C" functions a test host may call. Enum-typed results
// and parameters travel as their uint32_t wire values.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// The ABI version marker; never called.
void proxy_abi_version_0_2_1();

// Memory the host hands to the plugin (which then owns it); nullptr on failure.
void* proxy_on_memory_allocate(size_t size);

void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id);
uint32_t proxy_on_vm_start(uint32_t root_context_id, size_t vm_configuration_size);
uint32_t proxy_on_configure(uint32_t root_context_id, size_t plugin_configuration_size);
void proxy_on_tick(uint32_t root_context_id);
void proxy_on_queue_ready(uint32_t root_context_id, uint32_t queue_id);
void proxy_on_foreign_function(uint32_t root_context_id, uint32_t function_id,
                               size_t arguments_size);

uint32_t proxy_on_new_connection(uint32_t context_id);
uint32_t proxy_on_downstream_data(uint32_t context_id, size_t data_size, uint32_t end_of_stream);
uint32_t proxy_on_upstream_data(uint32_t context_id, size_t data_size, uint32_t end_of_stream);
void proxy_on_downstream_connection_close(uint32_t context_id, uint32_t peer_type);
void proxy_on_upstream_connection_close(uint32_t context_id, uint32_t peer_type);

uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t num_headers,
                                  uint32_t end_of_stream);
uint32_t proxy_on_request_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream);
uint32_t proxy_on_request_trailers(uint32_t context_id, uint32_t num_trailers);
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t num_headers,
                                   uint32_t end_of_stream);
uint32_t proxy_on_response_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream);
uint32_t proxy_on_response_trailers(uint32_t context_id, uint32_t num_trailers);

void proxy_on_http_call_response(uint32_t root_context_id, uint32_t token, uint32_t num_headers,
                                 size_t body_size, uint32_t num_trailers);
void proxy_on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token,
                                            uint32_t num_headers);
void proxy_on_grpc_receive(uint32_t root_context_id, uint32_t token, size_t message_size);
void proxy_on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token,
                                             uint32_t num_trailers);
void proxy_on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status_code);

uint32_t proxy_on_done(uint32_t context_id);
void proxy_on_log(uint32_t context_id);
void proxy_on_delete(uint32_t context_id);

}  // extern "C"
