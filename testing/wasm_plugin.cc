#include "testing/wasm_plugin.h"

#include <cstring>
#include <map>
#include <set>
#include <string>

#include "testing/import_binding.h"
#include "testing/wasm_imports.h"
#include "wasm-rt-impl.h"

namespace coproxy::testing {
namespace {

std::map<std::string, const Wasm2cModule*, std::less<>>& modules() {
  static auto* registry = new std::map<std::string, const Wasm2cModule*, std::less<>>();
  return *registry;
}

// Guest pointers are 32-bit offsets into the instance's linear memory, checked against its
// current size. Memory may move when the guest grows it, so nothing here keeps a pointer.
class WasmMemory {
 public:
  explicit WasmMemory(WasmPlugin& plugin) : plugin_(plugin) {}

  bool read(uint32_t data, uint32_t size, std::string_view* out) const {
    if (!in_bounds(data, size)) return false;
    *out = std::string_view(reinterpret_cast<const char*>(memory().data) + data, size);
    return true;
  }
  template <class T>
  bool writable(uint32_t slot) const {
    return in_bounds(slot, sizeof(T));
  }
  template <class T>
  void write(uint32_t slot, T value) const {
    std::memcpy(memory().data + slot, &value, sizeof value);  // wasm is little-endian, as x86
  }
  StatusCode hand_out(std::string_view value, uint32_t data_slot, uint32_t size_slot) const {
    const auto size = static_cast<uint32_t>(value.size());
    const uint32_t copy = plugin_.allocate(size);
    // cpp-host answers a failed guest allocation with INVALID_MEMORY_ACCESS.
    if ((copy == 0 && size != 0) || !in_bounds(copy, size)) return StatusCode::InvalidMemoryAccess;
    if (size != 0) std::memcpy(memory().data + copy, value.data(), size);
    write(data_slot, copy);
    write(size_slot, size);
    return StatusCode::Ok;
  }

 private:
  wasm_rt_memory_t& memory() const { return plugin_.memory(); }
  bool in_bounds(uint32_t offset, uint64_t size) const {
    return uint64_t{offset} + size <= memory().size;
  }

  WasmPlugin& plugin_;
};

ImportBinding<WasmMemory> imports(Z_env_instance_t* env) {
  return {env->plugin->host(), WasmMemory(*env->plugin)};
}

}  // namespace

bool register_wasm_module(const Wasm2cModule& module) {
  modules()[module.name] = &module;
  return true;
}

const Wasm2cModule* find_wasm_module(std::string_view name) {
  auto it = modules().find(name);
  return it == modules().end() ? nullptr : it->second;
}

PluginLoader load_wasm(std::string name) {
  return [name = std::move(name)](Host& host) -> std::unique_ptr<PluginBackend> {
    return WasmPlugin::load(host, name);
  };
}

std::unique_ptr<WasmPlugin> WasmPlugin::load(Host& host, std::string_view name) {
  const Wasm2cModule* module = find_wasm_module(name);
  if (module == nullptr) return nullptr;
  static std::set<const Wasm2cModule*>* initialized = [] {
    wasm_rt_init();
    return new std::set<const Wasm2cModule*>();
  }();
  if (initialized->insert(module).second) module->init_module();
  std::unique_ptr<WasmPlugin> plugin(new WasmPlugin(host, *module));
  plugin->guarded([&] {
    module->instantiate(plugin->instance(), &plugin->env_);
    plugin->instantiated_ = true;
    module->initialize(plugin->instance());  // the reactor's static constructors
    return 0u;
  });
  return plugin;
}

WasmPlugin::WasmPlugin(Host& host, const Wasm2cModule& module)
    : host_(host),
      module_(module),
      instance_(new std::max_align_t[(module.instance_size + sizeof(std::max_align_t) - 1) /
                                     sizeof(std::max_align_t)]()) {}

WasmPlugin::~WasmPlugin() {
  if (instantiated_) module_.free(instance());
}

template <class Call>
uint32_t WasmPlugin::guarded(Call&& call) {
  if (trap_) return 0;
  // wasm2c has one jump buffer for traps: keep the outer one for calls that nest (a guest
  // allocation made from inside an import, a callback delivered inside continue_stream).
  jmp_buf outer;
  std::memcpy(&outer, &wasm_rt_jmp_buf, sizeof outer);
#if WASM_RT_USE_STACK_DEPTH_COUNT
  const uint32_t outer_depth = wasm_rt_saved_call_stack_depth;
#endif
  uint32_t result = 0;
  // Between here and a trap's longjmp there are only wasm2c's C frames: nothing to unwind.
  const int trap = wasm_rt_impl_try();
  if (trap == WASM_RT_TRAP_NONE) {
    result = call();
  } else {
    trap_ = wasm_rt_strerror(static_cast<wasm_rt_trap_t>(trap));
    result = 0;
  }
  std::memcpy(&wasm_rt_jmp_buf, &outer, sizeof outer);
#if WASM_RT_USE_STACK_DEPTH_COUNT
  wasm_rt_saved_call_stack_depth = outer_depth;
#endif
  return result;
}

uint32_t WasmPlugin::allocate(uint32_t size) {
  return guarded([&] { return module_.on_memory_allocate(instance(), size); });
}

// Each export through guarded(); void exports return a dummy 0.
#define COPROXY_WASM_CALL(export_name, ...) \
  guarded([&] { return module_.export_name(instance(), __VA_ARGS__); })
#define COPROXY_WASM_VOID_CALL(export_name, ...)  \
  guarded([&] {                                   \
    module_.export_name(instance(), __VA_ARGS__); \
    return 0u;                                    \
  })

void WasmPlugin::on_context_create(uint32_t id, uint32_t parent) {
  COPROXY_WASM_VOID_CALL(on_context_create, id, parent);
}
uint32_t WasmPlugin::on_vm_start(uint32_t root, uint32_t size) {
  return COPROXY_WASM_CALL(on_vm_start, root, size);
}
uint32_t WasmPlugin::on_configure(uint32_t root, uint32_t size) {
  return COPROXY_WASM_CALL(on_configure, root, size);
}
void WasmPlugin::on_tick(uint32_t root) { COPROXY_WASM_VOID_CALL(on_tick, root); }
void WasmPlugin::on_queue_ready(uint32_t root, uint32_t queue_id) {
  COPROXY_WASM_VOID_CALL(on_queue_ready, root, queue_id);
}
void WasmPlugin::on_foreign_function(uint32_t root, uint32_t function_id, uint32_t size) {
  COPROXY_WASM_VOID_CALL(on_foreign_function, root, function_id, size);
}
uint32_t WasmPlugin::on_new_connection(uint32_t id) {
  return COPROXY_WASM_CALL(on_new_connection, id);
}
uint32_t WasmPlugin::on_downstream_data(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_WASM_CALL(on_downstream_data, id, size, end);
}
uint32_t WasmPlugin::on_upstream_data(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_WASM_CALL(on_upstream_data, id, size, end);
}
void WasmPlugin::on_downstream_connection_close(uint32_t id, uint32_t peer) {
  COPROXY_WASM_VOID_CALL(on_downstream_connection_close, id, peer);
}
void WasmPlugin::on_upstream_connection_close(uint32_t id, uint32_t peer) {
  COPROXY_WASM_VOID_CALL(on_upstream_connection_close, id, peer);
}
uint32_t WasmPlugin::on_request_headers(uint32_t id, uint32_t count, uint32_t end) {
  return COPROXY_WASM_CALL(on_request_headers, id, count, end);
}
uint32_t WasmPlugin::on_request_body(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_WASM_CALL(on_request_body, id, size, end);
}
uint32_t WasmPlugin::on_request_trailers(uint32_t id, uint32_t count) {
  return COPROXY_WASM_CALL(on_request_trailers, id, count);
}
uint32_t WasmPlugin::on_response_headers(uint32_t id, uint32_t count, uint32_t end) {
  return COPROXY_WASM_CALL(on_response_headers, id, count, end);
}
uint32_t WasmPlugin::on_response_body(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_WASM_CALL(on_response_body, id, size, end);
}
uint32_t WasmPlugin::on_response_trailers(uint32_t id, uint32_t count) {
  return COPROXY_WASM_CALL(on_response_trailers, id, count);
}
void WasmPlugin::on_http_call_response(uint32_t root, uint32_t token, uint32_t headers,
                                       uint32_t body, uint32_t trailers) {
  COPROXY_WASM_VOID_CALL(on_http_call_response, root, token, headers, body, trailers);
}
void WasmPlugin::on_grpc_receive_initial_metadata(uint32_t root, uint32_t token, uint32_t count) {
  COPROXY_WASM_VOID_CALL(on_grpc_receive_initial_metadata, root, token, count);
}
void WasmPlugin::on_grpc_receive(uint32_t root, uint32_t token, uint32_t size) {
  COPROXY_WASM_VOID_CALL(on_grpc_receive, root, token, size);
}
void WasmPlugin::on_grpc_receive_trailing_metadata(uint32_t root, uint32_t token, uint32_t count) {
  COPROXY_WASM_VOID_CALL(on_grpc_receive_trailing_metadata, root, token, count);
}
void WasmPlugin::on_grpc_close(uint32_t root, uint32_t token, uint32_t status) {
  COPROXY_WASM_VOID_CALL(on_grpc_close, root, token, status);
}
uint32_t WasmPlugin::on_done(uint32_t id) { return COPROXY_WASM_CALL(on_done, id); }
void WasmPlugin::on_log(uint32_t id) { COPROXY_WASM_VOID_CALL(on_log, id); }
void WasmPlugin::on_delete(uint32_t id) { COPROXY_WASM_VOID_CALL(on_delete, id); }

}  // namespace coproxy::testing

using coproxy::testing::imports;

// The module's env.proxy_* imports: each goes through the same ImportBinding as natively.
extern "C" {

u32 Z_envZ_proxy_done(struct Z_env_instance_t* env) { return imports(env).done(); }

u32 Z_envZ_proxy_set_effective_context(struct Z_env_instance_t* env, u32 context_id) {
  return imports(env).set_effective_context(context_id);
}

u32 Z_envZ_proxy_log(struct Z_env_instance_t* env, u32 level, u32 message, u32 message_size) {
  return imports(env).log(level, message, message_size);
}

u32 Z_envZ_proxy_get_log_level(struct Z_env_instance_t* env, u32 level) {
  return imports(env).get_log_level(level);
}

u32 Z_envZ_proxy_get_current_time_nanoseconds(struct Z_env_instance_t* env, u32 nanoseconds) {
  return imports(env).get_current_time_nanoseconds(nanoseconds);
}

u32 Z_envZ_proxy_set_tick_period_milliseconds(struct Z_env_instance_t* env, u32 period) {
  return imports(env).set_tick_period_milliseconds(period);
}

u32 Z_envZ_proxy_get_buffer_bytes(struct Z_env_instance_t* env, u32 type, u32 start, u32 max_size,
                                  u32 data, u32 size) {
  return imports(env).get_buffer_bytes(type, start, max_size, data, size);
}

u32 Z_envZ_proxy_get_buffer_status(struct Z_env_instance_t* env, u32 type, u32 length, u32 flags) {
  return imports(env).get_buffer_status(type, length, flags);
}

u32 Z_envZ_proxy_set_buffer_bytes(struct Z_env_instance_t* env, u32 type, u32 start, u32 size,
                                  u32 data, u32 data_size) {
  return imports(env).set_buffer_bytes(type, start, size, data, data_size);
}

u32 Z_envZ_proxy_get_header_map_pairs(struct Z_env_instance_t* env, u32 type, u32 data, u32 size) {
  return imports(env).get_header_map_pairs(type, data, size);
}

u32 Z_envZ_proxy_set_header_map_pairs(struct Z_env_instance_t* env, u32 type, u32 data, u32 size) {
  return imports(env).set_header_map_pairs(type, data, size);
}

u32 Z_envZ_proxy_get_header_map_size(struct Z_env_instance_t* env, u32 type, u32 size) {
  return imports(env).get_header_map_size(type, size);
}

u32 Z_envZ_proxy_get_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key, u32 key_size,
                                      u32 value, u32 value_size) {
  return imports(env).get_header_map_value(type, key, key_size, value, value_size);
}

u32 Z_envZ_proxy_add_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key, u32 key_size,
                                      u32 value, u32 value_size) {
  return imports(env).add_header_map_value(type, key, key_size, value, value_size);
}

u32 Z_envZ_proxy_replace_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key,
                                          u32 key_size, u32 value, u32 value_size) {
  return imports(env).replace_header_map_value(type, key, key_size, value, value_size);
}

u32 Z_envZ_proxy_remove_header_map_value(struct Z_env_instance_t* env, u32 type, u32 key,
                                         u32 key_size) {
  return imports(env).remove_header_map_value(type, key, key_size);
}

u32 Z_envZ_proxy_continue_stream(struct Z_env_instance_t* env, u32 stream_type) {
  return imports(env).continue_stream(stream_type);
}

u32 Z_envZ_proxy_close_stream(struct Z_env_instance_t* env, u32 stream_type) {
  return imports(env).close_stream(stream_type);
}

u32 Z_envZ_proxy_get_status(struct Z_env_instance_t* env, u32 status_code, u32 message,
                            u32 message_size) {
  return imports(env).get_status(status_code, message, message_size);
}

u32 Z_envZ_proxy_send_local_response(struct Z_env_instance_t* env, u32 status_code, u32 details,
                                     u32 details_size, u32 body, u32 body_size, u32 headers,
                                     u32 headers_size, u32 grpc_status) {
  return imports(env).send_local_response(status_code, details, details_size, body, body_size,
                                          headers, headers_size, static_cast<int32_t>(grpc_status));
}

u32 Z_envZ_proxy_http_call(struct Z_env_instance_t* env, u32 upstream, u32 upstream_size,
                           u32 headers, u32 headers_size, u32 body, u32 body_size, u32 trailers,
                           u32 trailers_size, u32 timeout_milliseconds, u32 token) {
  return imports(env).http_call(upstream, upstream_size, headers, headers_size, body, body_size,
                                trailers, trailers_size, timeout_milliseconds, token);
}

u32 Z_envZ_proxy_grpc_call(struct Z_env_instance_t* env, u32 upstream, u32 upstream_size,
                           u32 service, u32 service_size, u32 method, u32 method_size,
                           u32 initial_metadata, u32 initial_metadata_size, u32 message,
                           u32 message_size, u32 timeout_milliseconds, u32 token) {
  return imports(env).grpc_call(upstream, upstream_size, service, service_size, method, method_size,
                                initial_metadata, initial_metadata_size, message, message_size,
                                timeout_milliseconds, token);
}

u32 Z_envZ_proxy_grpc_stream(struct Z_env_instance_t* env, u32 upstream, u32 upstream_size,
                             u32 service, u32 service_size, u32 method, u32 method_size,
                             u32 initial_metadata, u32 initial_metadata_size, u32 token) {
  return imports(env).grpc_stream(upstream, upstream_size, service, service_size, method,
                                  method_size, initial_metadata, initial_metadata_size, token);
}

u32 Z_envZ_proxy_grpc_send(struct Z_env_instance_t* env, u32 token, u32 message, u32 message_size,
                           u32 end_stream) {
  return imports(env).grpc_send(token, message, message_size, end_stream);
}

u32 Z_envZ_proxy_grpc_cancel(struct Z_env_instance_t* env, u32 token) {
  return imports(env).grpc_cancel(token);
}

u32 Z_envZ_proxy_grpc_close(struct Z_env_instance_t* env, u32 token) {
  return imports(env).grpc_close(token);
}

u32 Z_envZ_proxy_get_shared_data(struct Z_env_instance_t* env, u32 key, u32 key_size, u32 value,
                                 u32 value_size, u32 cas) {
  return imports(env).get_shared_data(key, key_size, value, value_size, cas);
}

u32 Z_envZ_proxy_set_shared_data(struct Z_env_instance_t* env, u32 key, u32 key_size, u32 value,
                                 u32 value_size, u32 cas) {
  return imports(env).set_shared_data(key, key_size, value, value_size, cas);
}

u32 Z_envZ_proxy_register_shared_queue(struct Z_env_instance_t* env, u32 name, u32 name_size,
                                       u32 queue_id) {
  return imports(env).register_shared_queue(name, name_size, queue_id);
}

u32 Z_envZ_proxy_resolve_shared_queue(struct Z_env_instance_t* env, u32 vm_id, u32 vm_id_size,
                                      u32 name, u32 name_size, u32 queue_id) {
  return imports(env).resolve_shared_queue(vm_id, vm_id_size, name, name_size, queue_id);
}

u32 Z_envZ_proxy_enqueue_shared_queue(struct Z_env_instance_t* env, u32 queue_id, u32 value,
                                      u32 value_size) {
  return imports(env).enqueue_shared_queue(queue_id, value, value_size);
}

u32 Z_envZ_proxy_dequeue_shared_queue(struct Z_env_instance_t* env, u32 queue_id, u32 value,
                                      u32 value_size) {
  return imports(env).dequeue_shared_queue(queue_id, value, value_size);
}

u32 Z_envZ_proxy_define_metric(struct Z_env_instance_t* env, u32 type, u32 name, u32 name_size,
                               u32 metric_id) {
  return imports(env).define_metric(type, name, name_size, metric_id);
}

u32 Z_envZ_proxy_increment_metric(struct Z_env_instance_t* env, u32 metric_id, u64 offset) {
  return imports(env).increment_metric(metric_id, static_cast<int64_t>(offset));
}

u32 Z_envZ_proxy_record_metric(struct Z_env_instance_t* env, u32 metric_id, u64 value) {
  return imports(env).record_metric(metric_id, value);
}

u32 Z_envZ_proxy_get_metric(struct Z_env_instance_t* env, u32 metric_id, u32 value) {
  return imports(env).get_metric(metric_id, value);
}

u32 Z_envZ_proxy_get_property(struct Z_env_instance_t* env, u32 path, u32 path_size, u32 value,
                              u32 value_size) {
  return imports(env).get_property(path, path_size, value, value_size);
}

u32 Z_envZ_proxy_set_property(struct Z_env_instance_t* env, u32 path, u32 path_size, u32 value,
                              u32 value_size) {
  return imports(env).set_property(path, path_size, value, value_size);
}

u32 Z_envZ_proxy_call_foreign_function(struct Z_env_instance_t* env, u32 name, u32 name_size,
                                       u32 arguments, u32 arguments_size, u32 result,
                                       u32 result_size) {
  return imports(env).call_foreign_function(name, name_size, arguments, arguments_size, result,
                                            result_size);
}
}  // extern "C"
