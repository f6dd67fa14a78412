#include "testing/native_plugin.h"

#include <utility>

#include "coproxy/abi/exports.h"
#include "coproxy/detail/recycling_pool.h"

namespace coproxy::testing {
namespace {

Host* active_host_ptr = nullptr;
int plugin_depth = 0;  // calls into native plugins in progress
int host_depth = 0;    // host import code in progress (inside those calls)
uint64_t operator_new_count = 0;
uint64_t host_buffer_count = 0;

}  // namespace

PluginAllocations plugin_allocations() {
  return {operator_new_count, detail::pool_stats().heap_allocations, host_buffer_count};
}
bool in_plugin_code() { return plugin_depth > 0 && host_depth == 0; }
void count_plugin_operator_new() { ++operator_new_count; }
void count_host_buffer() { ++host_buffer_count; }
HostCodeScope::HostCodeScope() { ++host_depth; }
HostCodeScope::~HostCodeScope() { --host_depth; }

ActiveHostScope::ActiveHostScope(Host& host) : saved_(std::exchange(active_host_ptr, &host)) {}
ActiveHostScope::~ActiveHostScope() { active_host_ptr = saved_; }

template <class Call>
auto NativePlugin::enter(Call&& call) {
  Host* saved_host = std::exchange(active_host_ptr, &host_);
  Dispatcher* saved_dispatcher = Dispatcher::active();
  Dispatcher::set_active(dispatcher_.get());
  // Plugin code from here, also when a host import calls back into the plugin.
  const int saved_host_depth = std::exchange(host_depth, 0);
  ++plugin_depth;
  auto result = call();
  --plugin_depth;
  host_depth = saved_host_depth;
  Dispatcher::set_active(saved_dispatcher);
  active_host_ptr = saved_host;
  return result;
}

PluginLoader load_native(std::string name) {
  return [name = std::move(name)](Host& host) -> std::unique_ptr<PluginBackend> {
    return NativePlugin::load(host, name);
  };
}

std::unique_ptr<NativePlugin> NativePlugin::load(Host& host, std::string_view name) {
  const PluginRegistration* registration = find_registration(name);
  if (registration == nullptr) return nullptr;
  return std::unique_ptr<NativePlugin>(new NativePlugin(host, *registration));
}

NativePlugin::NativePlugin(Host& host, const PluginRegistration& registration)
    : host_(host), dispatcher_(std::make_unique<Dispatcher>(registration)) {}

// Contexts' destructors may call the host: tear down with this instance active.
NativePlugin::~NativePlugin() {
  enter([&] {
    dispatcher_.reset();
    return 0;
  });
}

Host& NativePlugin::active_host() { return *active_host_ptr; }

// Each export runs with this instance active; void exports return a dummy 0.
#define COPROXY_NATIVE_CALL(expr) enter([&] { return (expr); })
#define COPROXY_NATIVE_VOID_CALL(expr) \
  enter([&] {                          \
    (expr);                            \
    return 0;                          \
  })

void NativePlugin::on_context_create(uint32_t id, uint32_t parent) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_context_create(id, parent));
}
uint32_t NativePlugin::on_vm_start(uint32_t root, uint32_t size) {
  return COPROXY_NATIVE_CALL(proxy_on_vm_start(root, size));
}
uint32_t NativePlugin::on_configure(uint32_t root, uint32_t size) {
  return COPROXY_NATIVE_CALL(proxy_on_configure(root, size));
}
void NativePlugin::on_tick(uint32_t root) { COPROXY_NATIVE_VOID_CALL(proxy_on_tick(root)); }
void NativePlugin::on_queue_ready(uint32_t root, uint32_t queue_id) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_queue_ready(root, queue_id));
}
void NativePlugin::on_foreign_function(uint32_t root, uint32_t function_id, uint32_t size) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_foreign_function(root, function_id, size));
}
uint32_t NativePlugin::on_new_connection(uint32_t id) {
  return COPROXY_NATIVE_CALL(proxy_on_new_connection(id));
}
uint32_t NativePlugin::on_downstream_data(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_NATIVE_CALL(proxy_on_downstream_data(id, size, end));
}
uint32_t NativePlugin::on_upstream_data(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_NATIVE_CALL(proxy_on_upstream_data(id, size, end));
}
void NativePlugin::on_downstream_connection_close(uint32_t id, uint32_t peer) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_downstream_connection_close(id, peer));
}
void NativePlugin::on_upstream_connection_close(uint32_t id, uint32_t peer) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_upstream_connection_close(id, peer));
}
uint32_t NativePlugin::on_request_headers(uint32_t id, uint32_t count, uint32_t end) {
  return COPROXY_NATIVE_CALL(proxy_on_request_headers(id, count, end));
}
uint32_t NativePlugin::on_request_body(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_NATIVE_CALL(proxy_on_request_body(id, size, end));
}
uint32_t NativePlugin::on_request_trailers(uint32_t id, uint32_t count) {
  return COPROXY_NATIVE_CALL(proxy_on_request_trailers(id, count));
}
uint32_t NativePlugin::on_response_headers(uint32_t id, uint32_t count, uint32_t end) {
  return COPROXY_NATIVE_CALL(proxy_on_response_headers(id, count, end));
}
uint32_t NativePlugin::on_response_body(uint32_t id, uint32_t size, uint32_t end) {
  return COPROXY_NATIVE_CALL(proxy_on_response_body(id, size, end));
}
uint32_t NativePlugin::on_response_trailers(uint32_t id, uint32_t count) {
  return COPROXY_NATIVE_CALL(proxy_on_response_trailers(id, count));
}
void NativePlugin::on_http_call_response(uint32_t root, uint32_t token, uint32_t headers,
                                         uint32_t body, uint32_t trailers) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_http_call_response(root, token, headers, body, trailers));
}
void NativePlugin::on_grpc_receive_initial_metadata(uint32_t root, uint32_t token, uint32_t count) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_grpc_receive_initial_metadata(root, token, count));
}
void NativePlugin::on_grpc_receive(uint32_t root, uint32_t token, uint32_t size) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_grpc_receive(root, token, size));
}
void NativePlugin::on_grpc_receive_trailing_metadata(uint32_t root, uint32_t token,
                                                     uint32_t count) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_grpc_receive_trailing_metadata(root, token, count));
}
void NativePlugin::on_grpc_close(uint32_t root, uint32_t token, uint32_t status) {
  COPROXY_NATIVE_VOID_CALL(proxy_on_grpc_close(root, token, status));
}
uint32_t NativePlugin::on_done(uint32_t id) { return COPROXY_NATIVE_CALL(proxy_on_done(id)); }
void NativePlugin::on_log(uint32_t id) { COPROXY_NATIVE_VOID_CALL(proxy_on_log(id)); }
void NativePlugin::on_delete(uint32_t id) { COPROXY_NATIVE_VOID_CALL(proxy_on_delete(id)); }

}  // namespace coproxy::testing
