// Dispatcher: the state of one plugin instance (its VmContext and every context by id) and
// the logic behind the proxy_on_* exports. In a .wasm there is one, made on first use from the
// module's registration. A native host makes one per plugin instance and makes it active
// around each call into the plugin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "coproxy/abi/types.h"
#include "coproxy/detail/id_map.h"
#include "coproxy/registration.h"

namespace coproxy {

class Context;
class PendingCall;
class PluginContext;
class HttpContextBase;
class TcpContextBase;

class Dispatcher {
 public:
  explicit Dispatcher(const PluginRegistration& registration);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // The instance the exports drive. In a .wasm, the module's one instance, a constant
  // (module_instance_): no pointer to load and test on every export. Natively, the one a
  // host made active (set_active), or nullptr.
  [[gnu::always_inline]] static Dispatcher* active() {
#if defined(__wasm__)
    return &module_instance_;
#else
    return active_;
#endif
  }
  static void set_active(Dispatcher* dispatcher) { active_ = dispatcher; }

  void on_context_create(uint32_t context_id, uint32_t parent_context_id);
  bool on_vm_start(uint32_t root_context_id, size_t vm_configuration_size);
  bool on_configure(uint32_t root_context_id, size_t plugin_configuration_size);
  void on_tick(uint32_t root_context_id);
  void on_queue_ready(uint32_t root_context_id, uint32_t queue_id);
  void on_foreign_function(uint32_t root_context_id, uint32_t function_id, size_t arguments_size);

  Action on_new_connection(uint32_t context_id);
  Action on_downstream_data(uint32_t context_id, size_t data_size, bool end_of_stream);
  Action on_upstream_data(uint32_t context_id, size_t data_size, bool end_of_stream);
  void on_downstream_connection_close(uint32_t context_id, PeerType peer);
  void on_upstream_connection_close(uint32_t context_id, PeerType peer);

  Action on_request_headers(uint32_t context_id, size_t header_count, bool end_of_stream);
  Action on_request_body(uint32_t context_id, size_t body_size, bool end_of_stream);
  Action on_request_trailers(uint32_t context_id, size_t trailer_count);
  Action on_response_headers(uint32_t context_id, size_t header_count, bool end_of_stream);
  Action on_response_body(uint32_t context_id, size_t body_size, bool end_of_stream);
  Action on_response_trailers(uint32_t context_id, size_t trailer_count);

  void on_http_call_response(uint32_t root_context_id, uint32_t token, size_t header_count,
                             size_t body_size, size_t trailer_count);
  void on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token,
                                        size_t header_count);
  void on_grpc_receive(uint32_t root_context_id, uint32_t token, size_t message_size);
  void on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token,
                                         size_t trailer_count);
  void on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status_code);

  bool on_done(uint32_t context_id);
  void on_log(uint32_t context_id);
  void on_delete(uint32_t context_id);

  // Live contexts of every kind (tests; leak checks).
  size_t context_count() const { return contexts_.size(); }
  Context* find_context(uint32_t context_id) {
    Entry* entry = contexts_.find(context_id);
    return entry ? entry->context : nullptr;
  }

  // A plugin context holds calls whose token went to a newer call (PluginContext::mark_lost):
  // they learn so when the outermost event returns.
  void defer_lost_calls() { deferred_work_ = true; }

 private:
  // Every proxy_on_* runs as one Event: its context is current, and what must not happen
  // while plugin code runs below (destroying a context, failing a lost call) waits until the
  // outermost event returns, as Envoy defers a stream's reset and local reply until after the
  // VM call (proxy-wasm-cpp-host DeferAfterCallActions).
  class Event;
  // At the end of the outermost event (plugin code of an outer one would still be running).
  void run_deferred_work();
  // Delivers on_lost to a call that lost its token, as its owner's event.
  void fail_lost_call(PendingCall& call);

  // HttpCallbacks: an HttpContext, whose on_* callbacks the dispatcher calls straight (one
  // indirect call per event, not two). TCP streams go through handle_* (doing the same for
  // TcpContext cost every module 140 B; no TCP workload is measured yet).
  enum class Kind : uint8_t { Plugin, Http, HttpCallbacks, Tcp };
  struct Entry {
    Context* context = nullptr;
    Kind kind = Kind::Plugin;
    bool delete_deferred = false;  // proxy_on_delete came during an event (run_deferred_work)
  };

  static inline constinit Dispatcher* active_ = nullptr;
#if defined(__wasm__)
  // The module's one dispatcher (dispatcher.cc): constant-initialized, so that the exports
  // reach it at a fixed address; its VmContext is made from first_registration() when first
  // needed (vm()).
  constexpr Dispatcher() = default;
  static Dispatcher module_instance_;
#endif
  // The VmContext, or nullptr when the module registered none.
  VmContext* vm();

  // The context of this id and kind, or nullptr (inline in dispatcher.cc: one lookup per
  // event).
  template <class T, Kind kKind>
  T* find_as(uint32_t context_id);
  PluginContext* find_plugin(uint32_t context_id);
  TcpContextBase* find_tcp(uint32_t context_id);
  // An HTTP event: `callbacks` for an HttpContext, `flavoured` (through handle_*) for the
  // other flavours, Continue for no HTTP context.
  template <class Callbacks, class Flavoured>
  Action http_event(uint32_t context_id, Callbacks&& callbacks, Flavoured&& flavoured);
  // Delivers an event to the call waiting for `token`, as its owner, then lets the owner
  // settle (Context::after_event).
  // `finishes`: the event is the call's last (an HTTP answer, a gRPC close); the call is
  // forgotten (out of the token table and its owner's list) before `deliver` runs.
  template <class Deliver>
  void deliver_to_call(uint32_t root_context_id, uint32_t token, bool finishes,
                       Deliver&& deliver);
  // The call waiting for `token`, its owner made effective (and the call forgotten when
  // `finishes`); nullptr when the event is for nothing alive (dropped), or when the host
  // refuses to make the owner effective (the call is then lost: PendingCall::on_lost).
  PendingCall* resume_call(PluginContext* plugin, uint32_t token, bool finishes);
  void create_plugin(uint32_t context_id);
  static void log_created_twice(uint32_t context_id);
  // Destroys a context now (a plugin context with its streams first); nothing if unknown.
  void destroy(uint32_t context_id);
  void destroy(Entry* found);

  std::unique_ptr<VmContext> vm_;
#if defined(__wasm__)
  bool vm_made_ = false;  // vm(): first_registration() was asked
#endif
  enum class VmStart : uint8_t { NotYet, Started, Failed };
  VmStart vm_start_ = VmStart::NotYet;  // VmContext::on_vm_start runs once per VM
  detail::IdMap<Entry> contexts_;
  bool deferred_work_ = false;  // deferred deletes or lost calls wait (run_deferred_work)
};

}  // namespace coproxy
