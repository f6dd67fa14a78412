// WasmPlugin: a plugin's real .wasm, translated by wasm2c at build time and linked into the
// test binary, run as one instance against a Host. Guest memory is the instance's linear
// memory: every guest pointer and length is bounds-checked (INVALID_MEMORY_ACCESS, never a
// host crash), and buffers the host hands in are allocated through the guest's
// proxy_on_memory_allocate. A trap fails the instance, as a real host fails the VM.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "testing/host.h"
#include "testing/plugin_backend.h"
#include "testing/wasm_module.h"

namespace coproxy::testing {
class WasmPlugin;
}

// What the module's imports receive first: their way back to the plugin and its Host.
struct Z_env_instance_t {
  coproxy::testing::WasmPlugin* plugin;
};

namespace coproxy::testing {

// The loader of the module registered under `name` (coproxy_plugin's <name>_wasm2c); it
// loads nothing (the Emulator reports !loaded()) when no such module is linked in.
PluginLoader load_wasm(std::string name);

class WasmPlugin final : public PluginBackend {
 public:
  static std::unique_ptr<WasmPlugin> load(Host& host, std::string_view name);
  ~WasmPlugin() override;

  Host& host() { return host_; }
  wasm_rt_memory_t& memory() { return *module_.memory(instance()); }
  // The guest's proxy_on_memory_allocate; 0 when it fails or traps.
  uint32_t allocate(uint32_t size);
  std::optional<std::string> trap_message() const override { return trap_; }

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
  WasmPlugin(Host& host, const Wasm2cModule& module);
  void* instance() { return instance_.get(); }
  // Runs one call into the guest; a trap is caught here and fails the instance.
  template <class Call>
  uint32_t guarded(Call&& call);

  Host& host_;
  const Wasm2cModule& module_;
  std::unique_ptr<std::max_align_t[]> instance_;
  Z_env_instance_t env_{this};
  bool instantiated_ = false;
  std::optional<std::string> trap_;
};

}  // namespace coproxy::testing
