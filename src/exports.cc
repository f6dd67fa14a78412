// The proxy_on_* exports: each forwards to the active Dispatcher. In a wasm build each is
// exported under its ABI name; natively they are plain extern "C" functions.
#include "coproxy/abi/exports.h"

#include <cstdlib>

#include "coproxy/dispatcher.h"

#if defined(__wasm__)
#define COPROXY_EXPORT(name) extern "C" __attribute__((export_name(#name)))
#else
#define COPROXY_EXPORT(name) extern "C"
#endif

using coproxy::Action;
using coproxy::Dispatcher;
using coproxy::PeerType;

namespace {

uint32_t wire(Action action) { return static_cast<uint32_t>(action); }

}  // namespace

COPROXY_EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1() {}

COPROXY_EXPORT(proxy_on_memory_allocate) void* proxy_on_memory_allocate(size_t size) {
  return std::malloc(size);
}

#if defined(__wasm__)
// The deprecated name hosts looked up before proxy_on_memory_allocate.
COPROXY_EXPORT(malloc) void* coproxy_deprecated_malloc(size_t size) { return std::malloc(size); }
#endif

COPROXY_EXPORT(proxy_on_context_create)
void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) {
  if (Dispatcher* d = Dispatcher::active()) d->on_context_create(context_id, parent_context_id);
}

COPROXY_EXPORT(proxy_on_vm_start)
uint32_t proxy_on_vm_start(uint32_t root_context_id, size_t vm_configuration_size) {
  Dispatcher* d = Dispatcher::active();
  return d && d->on_vm_start(root_context_id, vm_configuration_size);
}

COPROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, size_t plugin_configuration_size) {
  Dispatcher* d = Dispatcher::active();
  return d && d->on_configure(root_context_id, plugin_configuration_size);
}

COPROXY_EXPORT(proxy_on_tick) void proxy_on_tick(uint32_t root_context_id) {
  if (Dispatcher* d = Dispatcher::active()) d->on_tick(root_context_id);
}

COPROXY_EXPORT(proxy_on_queue_ready)
void proxy_on_queue_ready(uint32_t root_context_id, uint32_t queue_id) {
  if (Dispatcher* d = Dispatcher::active()) d->on_queue_ready(root_context_id, queue_id);
}

COPROXY_EXPORT(proxy_on_foreign_function)
void proxy_on_foreign_function(uint32_t root_context_id, uint32_t function_id,
                               size_t arguments_size) {
  if (Dispatcher* d = Dispatcher::active()) {
    d->on_foreign_function(root_context_id, function_id, arguments_size);
  }
}

COPROXY_EXPORT(proxy_on_new_connection) uint32_t proxy_on_new_connection(uint32_t context_id) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_new_connection(context_id) : Action::Continue);
}

COPROXY_EXPORT(proxy_on_downstream_data)
uint32_t proxy_on_downstream_data(uint32_t context_id, size_t data_size, uint32_t end_of_stream) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_downstream_data(context_id, data_size, end_of_stream != 0)
                : Action::Continue);
}

COPROXY_EXPORT(proxy_on_upstream_data)
uint32_t proxy_on_upstream_data(uint32_t context_id, size_t data_size, uint32_t end_of_stream) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_upstream_data(context_id, data_size, end_of_stream != 0)
                : Action::Continue);
}

COPROXY_EXPORT(proxy_on_downstream_connection_close)
void proxy_on_downstream_connection_close(uint32_t context_id, uint32_t peer_type) {
  if (Dispatcher* d = Dispatcher::active()) {
    d->on_downstream_connection_close(context_id, static_cast<PeerType>(peer_type));
  }
}

COPROXY_EXPORT(proxy_on_upstream_connection_close)
void proxy_on_upstream_connection_close(uint32_t context_id, uint32_t peer_type) {
  if (Dispatcher* d = Dispatcher::active()) {
    d->on_upstream_connection_close(context_id, static_cast<PeerType>(peer_type));
  }
}

COPROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t num_headers,
                                  uint32_t end_of_stream) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_request_headers(context_id, num_headers, end_of_stream != 0)
                : Action::Continue);
}

COPROXY_EXPORT(proxy_on_request_body)
uint32_t proxy_on_request_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_request_body(context_id, body_size, end_of_stream != 0)
                : Action::Continue);
}

COPROXY_EXPORT(proxy_on_request_trailers)
uint32_t proxy_on_request_trailers(uint32_t context_id, uint32_t num_trailers) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_request_trailers(context_id, num_trailers) : Action::Continue);
}

COPROXY_EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t num_headers,
                                   uint32_t end_of_stream) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_response_headers(context_id, num_headers, end_of_stream != 0)
                : Action::Continue);
}

COPROXY_EXPORT(proxy_on_response_body)
uint32_t proxy_on_response_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_response_body(context_id, body_size, end_of_stream != 0)
                : Action::Continue);
}

COPROXY_EXPORT(proxy_on_response_trailers)
uint32_t proxy_on_response_trailers(uint32_t context_id, uint32_t num_trailers) {
  Dispatcher* d = Dispatcher::active();
  return wire(d ? d->on_response_trailers(context_id, num_trailers) : Action::Continue);
}

COPROXY_EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t root_context_id, uint32_t token, uint32_t num_headers,
                                 size_t body_size, uint32_t num_trailers) {
  if (Dispatcher* d = Dispatcher::active()) {
    d->on_http_call_response(root_context_id, token, num_headers, body_size, num_trailers);
  }
}

COPROXY_EXPORT(proxy_on_grpc_receive_initial_metadata)
void proxy_on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token,
                                            uint32_t num_headers) {
  if (Dispatcher* d = Dispatcher::active()) {
    d->on_grpc_receive_initial_metadata(root_context_id, token, num_headers);
  }
}

COPROXY_EXPORT(proxy_on_grpc_receive)
void proxy_on_grpc_receive(uint32_t root_context_id, uint32_t token, size_t message_size) {
  if (Dispatcher* d = Dispatcher::active()) d->on_grpc_receive(root_context_id, token, message_size);
}

COPROXY_EXPORT(proxy_on_grpc_receive_trailing_metadata)
void proxy_on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token,
                                             uint32_t num_trailers) {
  if (Dispatcher* d = Dispatcher::active()) {
    d->on_grpc_receive_trailing_metadata(root_context_id, token, num_trailers);
  }
}

COPROXY_EXPORT(proxy_on_grpc_close)
void proxy_on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status_code) {
  if (Dispatcher* d = Dispatcher::active()) d->on_grpc_close(root_context_id, token, status_code);
}

COPROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  Dispatcher* d = Dispatcher::active();
  return !d || d->on_done(context_id);
}

COPROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) {
  if (Dispatcher* d = Dispatcher::active()) d->on_log(context_id);
}

COPROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) {
  if (Dispatcher* d = Dispatcher::active()) d->on_delete(context_id);
}
