// Wasm2cModule: one .wasm translated by wasm2c and compiled into the test binary, as a table
// of its entry points (wasm2c names them after the module, so each module's glue fills in a
// table; see wasm2c_glue.inc). Modules register by name; WasmPlugin instantiates them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wasm-rt.h"

struct Z_env_instance_t;

namespace coproxy::testing {

struct Wasm2cModule {
  const char* name;
  size_t instance_size;
  void (*init_module)();
  void (*instantiate)(void* instance, Z_env_instance_t* env);
  void (*free)(void* instance);
  wasm_rt_memory_t* (*memory)(void* instance);
  void (*initialize)(void* instance);  // the reactor's _initialize (static constructors)
  uint32_t (*on_memory_allocate)(void* instance, uint32_t size);

  void (*on_context_create)(void*, uint32_t, uint32_t);
  uint32_t (*on_vm_start)(void*, uint32_t, uint32_t);
  uint32_t (*on_configure)(void*, uint32_t, uint32_t);
  void (*on_tick)(void*, uint32_t);
  void (*on_queue_ready)(void*, uint32_t, uint32_t);
  void (*on_foreign_function)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_new_connection)(void*, uint32_t);
  uint32_t (*on_downstream_data)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_upstream_data)(void*, uint32_t, uint32_t, uint32_t);
  void (*on_downstream_connection_close)(void*, uint32_t, uint32_t);
  void (*on_upstream_connection_close)(void*, uint32_t, uint32_t);
  uint32_t (*on_request_headers)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_request_body)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_request_trailers)(void*, uint32_t, uint32_t);
  uint32_t (*on_response_headers)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_response_body)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_response_trailers)(void*, uint32_t, uint32_t);
  void (*on_http_call_response)(void*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
  void (*on_grpc_receive_initial_metadata)(void*, uint32_t, uint32_t, uint32_t);
  void (*on_grpc_receive)(void*, uint32_t, uint32_t, uint32_t);
  void (*on_grpc_receive_trailing_metadata)(void*, uint32_t, uint32_t, uint32_t);
  void (*on_grpc_close)(void*, uint32_t, uint32_t, uint32_t);
  uint32_t (*on_done)(void*, uint32_t);
  void (*on_log)(void*, uint32_t);
  void (*on_delete)(void*, uint32_t);
};

// Called by each module's glue at static initialization; returns true.
bool register_wasm_module(const Wasm2cModule& module);
// The module registered under `name` (the coproxy_plugin name), or nullptr.
const Wasm2cModule* find_wasm_module(std::string_view name);

}  // namespace coproxy::testing
