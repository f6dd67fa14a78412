// PluginBackend: the proxy_on_* exports of one plugin instance, as a host calls them. The
// emulator drives a plugin only through this interface, so one test runs against a plugin
// compiled natively (NativePlugin) or, later, its real .wasm translated by wasm2c.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace coproxy::testing {

class PluginBackend {
 public:
  virtual ~PluginBackend() = default;

  // Set once the plugin trapped (a .wasm instance): a host calls a failed VM no more.
  virtual std::optional<std::string> trap_message() const { return std::nullopt; }
  // Destroying the instance runs plugin code (a native plugin's destructors, which may log or
  // call the host); freeing a .wasm instance runs none, as a host frees a VM.
  virtual bool destruction_runs_plugin_code() const { return false; }

  virtual void on_context_create(uint32_t context_id, uint32_t parent_context_id) = 0;
  virtual uint32_t on_vm_start(uint32_t root_context_id, uint32_t vm_configuration_size) = 0;
  virtual uint32_t on_configure(uint32_t root_context_id, uint32_t plugin_configuration_size) = 0;
  virtual void on_tick(uint32_t root_context_id) = 0;
  virtual void on_queue_ready(uint32_t root_context_id, uint32_t queue_id) = 0;
  virtual void on_foreign_function(uint32_t root_context_id, uint32_t function_id,
                                   uint32_t arguments_size) = 0;

  virtual uint32_t on_new_connection(uint32_t context_id) = 0;
  virtual uint32_t on_downstream_data(uint32_t context_id, uint32_t size, uint32_t end) = 0;
  virtual uint32_t on_upstream_data(uint32_t context_id, uint32_t size, uint32_t end) = 0;
  virtual void on_downstream_connection_close(uint32_t context_id, uint32_t peer_type) = 0;
  virtual void on_upstream_connection_close(uint32_t context_id, uint32_t peer_type) = 0;

  virtual uint32_t on_request_headers(uint32_t context_id, uint32_t count, uint32_t end) = 0;
  virtual uint32_t on_request_body(uint32_t context_id, uint32_t size, uint32_t end) = 0;
  virtual uint32_t on_request_trailers(uint32_t context_id, uint32_t count) = 0;
  virtual uint32_t on_response_headers(uint32_t context_id, uint32_t count, uint32_t end) = 0;
  virtual uint32_t on_response_body(uint32_t context_id, uint32_t size, uint32_t end) = 0;
  virtual uint32_t on_response_trailers(uint32_t context_id, uint32_t count) = 0;

  virtual void on_http_call_response(uint32_t root_context_id, uint32_t token,
                                     uint32_t header_count, uint32_t body_size,
                                     uint32_t trailer_count) = 0;
  virtual void on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token,
                                                uint32_t count) = 0;
  virtual void on_grpc_receive(uint32_t root_context_id, uint32_t token, uint32_t size) = 0;
  virtual void on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token,
                                                 uint32_t count) = 0;
  virtual void on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status) = 0;

  virtual uint32_t on_done(uint32_t context_id) = 0;
  virtual void on_log(uint32_t context_id) = 0;
  virtual void on_delete(uint32_t context_id) = 0;
};

class Host;
// Makes a plugin instance bound to `host`: load_native(name) or load_wasm(name).
using PluginLoader = std::function<std::unique_ptr<PluginBackend>(Host&)>;

}  // namespace coproxy::testing
