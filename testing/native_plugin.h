// NativePlugin: a plugin compiled natively and linked into the test binary, run as its own
// instance (its own Dispatcher) against a Host. Several may live in one binary: each call
// makes this instance's Dispatcher and Host the active ones for its duration.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "coproxy/dispatcher.h"
#include "testing/host.h"
#include "testing/plugin_backend.h"

namespace coproxy::testing {

// Makes `host` the one the native imports answer to, for code that calls the host API
// directly (tests of the host API itself).
class ActiveHostScope {
 public:
  explicit ActiveHostScope(Host& host);
  ~ActiveHostScope();
  ActiveHostScope(const ActiveHostScope&) = delete;
  ActiveHostScope& operator=(const ActiveHostScope&) = delete;

 private:
  Host* saved_;
};

// Heap allocations made by plugin code running natively (not by the host's code it calls).
// operator_new is counted only when //testing:allocation_counter is linked in (it replaces
// the global operator new); pool_blocks are blocks the recycling pool took from malloc;
// host_buffers are values the host handed in through proxy_on_memory_allocate.
struct PluginAllocations {
  uint64_t operator_new = 0;
  uint64_t pool_blocks = 0;
  uint64_t host_buffers = 0;
  uint64_t total() const { return operator_new + pool_blocks + host_buffers; }
};
PluginAllocations plugin_allocations();
// For the counter: plugin code is running (inside a call into a NativePlugin, outside the
// host's import code).
bool in_plugin_code();
void count_plugin_operator_new();
// The native imports mark host code with this.
class HostCodeScope {
 public:
  HostCodeScope();
  ~HostCodeScope();
  HostCodeScope(const HostCodeScope&) = delete;
  HostCodeScope& operator=(const HostCodeScope&) = delete;
};
void count_host_buffer();

// The loader of the plugin registered (COPROXY_REGISTER_*) under `name`; it loads nothing
// (the Emulator reports !loaded()) when no such plugin is linked in.
PluginLoader load_native(std::string name);

class NativePlugin final : public PluginBackend {
 public:
  // The plugin registered under `name` (COPROXY_REGISTER_*); nullptr when none is linked in.
  static std::unique_ptr<NativePlugin> load(Host& host, std::string_view name);
  ~NativePlugin() override;

  // The Host of the call in progress (the native imports forward to it).
  static Host& active_host();
  Dispatcher& dispatcher() { return *dispatcher_; }
  bool destruction_runs_plugin_code() const override { return true; }

  void on_context_create(uint32_t context_id, uint32_t parent_context_id) override;
  uint32_t on_vm_start(uint32_t root_context_id, uint32_t vm_configuration_size) override;
  uint32_t on_configure(uint32_t root_context_id, uint32_t plugin_configuration_size) override;
  void on_tick(uint32_t root_context_id) override;
  void on_queue_ready(uint32_t root_context_id, uint32_t queue_id) override;
  void on_foreign_function(uint32_t root_context_id, uint32_t function_id,
                           uint32_t arguments_size) override;
  uint32_t on_new_connection(uint32_t context_id) override;
  uint32_t on_downstream_data(uint32_t context_id, uint32_t size, uint32_t end) override;
  uint32_t on_upstream_data(uint32_t context_id, uint32_t size, uint32_t end) override;
  void on_downstream_connection_close(uint32_t context_id, uint32_t peer_type) override;
  void on_upstream_connection_close(uint32_t context_id, uint32_t peer_type) override;
  uint32_t on_request_headers(uint32_t context_id, uint32_t count, uint32_t end) override;
  uint32_t on_request_body(uint32_t context_id, uint32_t size, uint32_t end) override;
  uint32_t on_request_trailers(uint32_t context_id, uint32_t count) override;
  uint32_t on_response_headers(uint32_t context_id, uint32_t count, uint32_t end) override;
  uint32_t on_response_body(uint32_t context_id, uint32_t size, uint32_t end) override;
  uint32_t on_response_trailers(uint32_t context_id, uint32_t count) override;
  void on_http_call_response(uint32_t root_context_id, uint32_t token, uint32_t header_count,
                             uint32_t body_size, uint32_t trailer_count) override;
  void on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token,
                                        uint32_t count) override;
  void on_grpc_receive(uint32_t root_context_id, uint32_t token, uint32_t size) override;
  void on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token,
                                         uint32_t count) override;
  void on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status) override;
  uint32_t on_done(uint32_t context_id) override;
  void on_log(uint32_t context_id) override;
  void on_delete(uint32_t context_id) override;

 private:
  NativePlugin(Host& host, const PluginRegistration& registration);

  // Makes this instance active for one call into the plugin (nests for re-entrant calls).
  template <class Call>
  auto enter(Call&& call);

  Host& host_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

}  // namespace coproxy::testing
