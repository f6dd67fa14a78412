#include "coproxy/dispatcher.h"

#include <vector>

#include "coproxy/effective_context.h"
#include "coproxy/http_context.h"
#include "coproxy/log.h"
#include "coproxy/metric.h"
#include "coproxy/plugin_context.h"
#include "coproxy/property.h"
#include "coproxy/tcp_context.h"

namespace coproxy {

class Dispatcher::Event {
 public:
  [[gnu::always_inline]] Event(Dispatcher& dispatcher, Context* context)
      : dispatcher_(dispatcher), current_(context) {}
  // Inline, so that an event costs a flag test and no call; the work itself is out of line.
  [[gnu::always_inline]] ~Event() {
    if (dispatcher_.deferred_work_ && current_.outermost()) dispatcher_.run_deferred_work();
  }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

 private:
  Dispatcher& dispatcher_;
  detail::CurrentContextScope current_;
};

Dispatcher::Dispatcher(const PluginRegistration& registration) : vm_(registration.make_vm()) {}

Dispatcher::~Dispatcher() {
  // Streams first: they point at their plugin contexts.
  std::vector<uint32_t> plugins;
  contexts_.for_each([&](uint32_t id, Entry& entry) {
    if (entry.kind == Kind::Plugin) plugins.push_back(id);
  });
  for (uint32_t id : plugins) destroy(id);
  if (active_ == this) active_ = nullptr;
}

#if defined(__wasm__)
// A module is one plugin instance: its dispatcher lives as long as the VM (no_destroy: no
// exit-time destructor to register). Natively a host makes and activates instances itself.
[[clang::no_destroy]] constinit Dispatcher Dispatcher::module_instance_;
#endif

VmContext* Dispatcher::vm() {
#if defined(__wasm__)
  if (!vm_made_) {
    vm_made_ = true;
    if (const PluginRegistration* registration = first_registration()) {
      vm_ = registration->make_vm();
    }
  }
#endif
  return vm_.get();
}

template <class T, Dispatcher::Kind kKind>
[[gnu::always_inline]] inline T* Dispatcher::find_as(uint32_t context_id) {
  Entry* entry = contexts_.find(context_id);
  return entry != nullptr && entry->kind == kKind ? static_cast<T*>(entry->context) : nullptr;
}

[[gnu::always_inline]] PluginContext* Dispatcher::find_plugin(uint32_t context_id) {
  return find_as<PluginContext, Kind::Plugin>(context_id);
}

[[gnu::always_inline]] TcpContextBase* Dispatcher::find_tcp(uint32_t context_id) {
  return find_as<TcpContextBase, Kind::Tcp>(context_id);
}

// ---- lifecycle ----

void Dispatcher::on_context_create(uint32_t context_id, uint32_t parent_context_id) {
  if (parent_context_id == 0) {
    if (contexts_.find(context_id) != nullptr) return log_created_twice(context_id);
    create_plugin(context_id);
    return;
  }
  PluginContext* plugin = find_plugin(parent_context_id);
  if (plugin == nullptr) {
    log_warn("coproxy: context ", context_id, " has unknown parent ", parent_context_id);
    return;
  }
  // The host does not say which kind of stream this is; like the Go SDK, ask for TCP first,
  // unless the plugin's class cannot make one (PluginContext::makes_tcp_streams_).
  Context* stream = nullptr;
  Kind kind = Kind::Tcp;
  if (std::unique_ptr<TcpContextBase> tcp =
          plugin->makes_tcp_streams_ ? plugin->new_tcp_context() : nullptr) {
    stream = tcp.release();
  } else if (std::unique_ptr<HttpContextBase> http = plugin->new_http_context()) {
    kind = http->callback_style_ ? Kind::HttpCallbacks : Kind::Http;
    stream = http.release();
  }
  if (stream == nullptr) return;
  stream->id_ = context_id;
  stream->plugin_ = plugin;
  // The insert finds an id in use (a host bug) without a lookup of its own on every stream;
  // the context just made then goes.
  if (!contexts_.insert(context_id, Entry{stream, kind})) {
    delete stream;
    log_created_twice(context_id);
  }
}

void Dispatcher::log_created_twice(uint32_t context_id) {
  log_warn("coproxy: context ", context_id, " created twice; ignored");
}

void Dispatcher::create_plugin(uint32_t context_id) {
  VmContext* vm_context = vm();
  if (vm_context == nullptr) return;
  Result<HostBytes> root_id = get_property({"plugin_root_id"});
  std::string_view root = root_id.ok() ? root_id->view() : std::string_view();
  detail::PluginMetrics metrics;  // the plugin's member metrics, defined before it starts
  std::unique_ptr<PluginContext> plugin = vm_context->new_plugin_context(root);
  if (!plugin) return;
  metrics.define_all();
  plugin->id_ = context_id;
  plugin->root_id_ = std::string(root);
  contexts_.insert(context_id, Entry{plugin.release(), Kind::Plugin});
}

bool Dispatcher::on_vm_start(uint32_t, size_t vm_configuration_size) {
  // The host starts every plugin context with proxy_on_vm_start (cpp-host's
  // ContextBase::onStart); the VM starts once, and every plugin gets its answer.
  if (vm_start_ == VmStart::NotYet) {
    VmContext* vm_context = vm();
    vm_start_ = vm_context && vm_context->on_vm_start(vm_configuration_size) ? VmStart::Started
                                                                             : VmStart::Failed;
  }
  return vm_start_ == VmStart::Started;
}

bool Dispatcher::on_configure(uint32_t root_context_id, size_t plugin_configuration_size) {
  PluginContext* plugin = find_plugin(root_context_id);
  Event event(*this, plugin);
  return plugin != nullptr && plugin->on_plugin_start(plugin_configuration_size);
}

bool Dispatcher::on_done(uint32_t context_id) {
  Entry* entry = contexts_.find(context_id);
  // An HttpContext has nothing to finish: no plugin code runs, so no event either.
  if (entry == nullptr || entry->kind == Kind::HttpCallbacks) return true;
  Event event(*this, entry->context);
  switch (entry->kind) {
    case Kind::Plugin: return static_cast<PluginContext*>(entry->context)->handle_plugin_done();
    case Kind::Http: return static_cast<HttpContextBase*>(entry->context)->handle_done();
    case Kind::HttpCallbacks: break;
    case Kind::Tcp: return static_cast<TcpContextBase*>(entry->context)->handle_done();
  }
  return true;
}

void Dispatcher::on_log(uint32_t context_id) {
  Entry* entry = contexts_.find(context_id);
  if (entry == nullptr) return;
  Event event(*this, entry->context);
  if (entry->kind == Kind::HttpCallbacks) {
    static_cast<HttpContext*>(entry->context)->on_stream_done();
  } else if (entry->kind == Kind::Http) {
    static_cast<HttpContextBase*>(entry->context)->handle_log();
  } else if (entry->kind == Kind::Tcp) {
    static_cast<TcpContextBase*>(entry->context)->handle_log();
  }
}

void Dispatcher::on_delete(uint32_t context_id) {
  Entry* entry = contexts_.find(context_id);
  if (entry == nullptr) return;
  if (Context::current() != nullptr) {
    // From inside an event (a host that deletes from inside proxy_close_stream, say): the
    // context's code may be running below. It is destroyed when the outermost event returns.
    entry->delete_deferred = true;
    deferred_work_ = true;
    return;
  }
  destroy(entry);
}

[[gnu::noinline]] void Dispatcher::run_deferred_work() {
  // Still inside the outermost event: what this work defers in turn (a delete from inside a
  // host call it makes) joins the queue. Loop until nothing is left.
  for (;;) {
    PendingCall* lost = nullptr;
    uint32_t deleted = 0;
    contexts_.for_each([&](uint32_t id, Entry& entry) {
      if (entry.delete_deferred) deleted = id;
      if (entry.kind == Kind::Plugin && lost == nullptr) {
        lost = static_cast<PluginContext*>(entry.context)->lost_calls_.front();
      }
    });
    if (lost != nullptr) {
      fail_lost_call(*lost);
    } else if (deleted != 0) {
      destroy(deleted);
    } else {
      break;
    }
  }
  deferred_work_ = false;
}

void Dispatcher::fail_lost_call(PendingCall& call) {
  Context& owner = *call.owner_;
  call.plugin_->forget_call(call);
  // Made effective as for an answer; if the host refuses, it fails with the plugin effective.
  if (&owner != call.plugin_) (void)set_effective_context(owner.id_);
  detail::wake_as(owner, [&call] { call.on_lost(); });
}

void Dispatcher::destroy(uint32_t context_id) {
  if (Entry* found = contexts_.find(context_id)) destroy(found);
}

void Dispatcher::destroy(Entry* found) {
  const Entry entry = *found;
  // Out of the table before any destructor runs: a destructor that calls into the host
  // (which may call back) finds the context already gone.
  contexts_.erase(found);
  if (entry.kind == Kind::Plugin) {
    // Its streams first. A plugin context goes once per VM: a scan of the table costs less
    // than keeping a list of streams on every stream's creation and end.
    std::vector<uint32_t> streams;
    contexts_.for_each([&](uint32_t id, Entry& stream) {
      if (stream.kind != Kind::Plugin && stream.context->plugin_ == entry.context) {
        streams.push_back(id);
      }
    });
    for (uint32_t id : streams) destroy(id);
  }
  delete entry.context;
}

// ---- plugin-level events ----

void Dispatcher::on_tick(uint32_t root_context_id) {
  PluginContext* plugin = find_plugin(root_context_id);
  Event event(*this, plugin);
  if (plugin) plugin->handle_tick();
}

void Dispatcher::on_queue_ready(uint32_t root_context_id, uint32_t queue_id) {
  PluginContext* plugin = find_plugin(root_context_id);
  Event event(*this, plugin);
  if (plugin) plugin->handle_queue_ready(queue_id);
}

void Dispatcher::on_foreign_function(uint32_t root_context_id, uint32_t function_id,
                                     size_t arguments_size) {
  PluginContext* plugin = find_plugin(root_context_id);
  Event event(*this, plugin);
  if (plugin) plugin->on_foreign_function(function_id, arguments_size);
}

// ---- TCP ----

Action Dispatcher::on_new_connection(uint32_t context_id) {
  TcpContextBase* tcp = find_tcp(context_id);
  Event event(*this, tcp);
  return tcp ? tcp->handle_new_connection() : Action::Continue;
}

Action Dispatcher::on_downstream_data(uint32_t context_id, size_t data_size, bool end_of_stream) {
  TcpContextBase* tcp = find_tcp(context_id);
  Event event(*this, tcp);
  return tcp ? tcp->handle_downstream_data(data_size, end_of_stream) : Action::Continue;
}

Action Dispatcher::on_upstream_data(uint32_t context_id, size_t data_size, bool end_of_stream) {
  TcpContextBase* tcp = find_tcp(context_id);
  Event event(*this, tcp);
  return tcp ? tcp->handle_upstream_data(data_size, end_of_stream) : Action::Continue;
}

void Dispatcher::on_downstream_connection_close(uint32_t context_id, PeerType peer) {
  TcpContextBase* tcp = find_tcp(context_id);
  Event event(*this, tcp);
  if (tcp) tcp->handle_downstream_close(peer);
}

void Dispatcher::on_upstream_connection_close(uint32_t context_id, PeerType peer) {
  TcpContextBase* tcp = find_tcp(context_id);
  Event event(*this, tcp);
  if (tcp) tcp->handle_upstream_close(peer);
}

// ---- HTTP ----

template <class Callbacks, class Flavoured>
[[gnu::always_inline]] inline Action Dispatcher::http_event(uint32_t context_id,
                                                            Callbacks&& callbacks,
                                                            Flavoured&& flavoured) {
  Entry* entry = contexts_.find(context_id);
  Context* context = entry != nullptr ? entry->context : nullptr;
  Event event(*this, context);
  if (context == nullptr) return Action::Continue;
  if (entry->kind == Kind::HttpCallbacks) return callbacks(*static_cast<HttpContext*>(context));
  if (entry->kind == Kind::Http) return flavoured(*static_cast<HttpContextBase*>(context));
  return Action::Continue;
}

Action Dispatcher::on_request_headers(uint32_t context_id, size_t header_count,
                                      bool end_of_stream) {
  return http_event(
      context_id,
      [&](HttpContext& http) { return http.on_request_headers(header_count, end_of_stream); },
      [&](HttpContextBase& http) {
        return http.handle_request_headers(header_count, end_of_stream);
      });
}

Action Dispatcher::on_request_body(uint32_t context_id, size_t body_size, bool end_of_stream) {
  return http_event(
      context_id, [&](HttpContext& http) { return http.on_request_body(body_size, end_of_stream); },
      [&](HttpContextBase& http) { return http.handle_request_body(body_size, end_of_stream); });
}

Action Dispatcher::on_request_trailers(uint32_t context_id, size_t trailer_count) {
  return http_event(
      context_id, [&](HttpContext& http) { return http.on_request_trailers(trailer_count); },
      [&](HttpContextBase& http) { return http.handle_request_trailers(trailer_count); });
}

Action Dispatcher::on_response_headers(uint32_t context_id, size_t header_count,
                                       bool end_of_stream) {
  return http_event(
      context_id,
      [&](HttpContext& http) { return http.on_response_headers(header_count, end_of_stream); },
      [&](HttpContextBase& http) {
        return http.handle_response_headers(header_count, end_of_stream);
      });
}

Action Dispatcher::on_response_body(uint32_t context_id, size_t body_size, bool end_of_stream) {
  return http_event(
      context_id,
      [&](HttpContext& http) { return http.on_response_body(body_size, end_of_stream); },
      [&](HttpContextBase& http) { return http.handle_response_body(body_size, end_of_stream); });
}

Action Dispatcher::on_response_trailers(uint32_t context_id, size_t trailer_count) {
  return http_event(
      context_id, [&](HttpContext& http) { return http.on_response_trailers(trailer_count); },
      [&](HttpContextBase& http) { return http.handle_response_trailers(trailer_count); });
}

// ---- callout events ----

PendingCall* Dispatcher::resume_call(PluginContext* plugin, uint32_t token, bool finishes) {
  if (plugin == nullptr) return nullptr;
  // A finishing event takes the call out in the lookup that finds it.
  PendingCall* call = finishes ? plugin->take_call(token) : plugin->find_call(token);
  if (call == nullptr) return nullptr;  // late (owner gone, cancelled) or never made
  Context* owner = call->owner_;
  // The host made the plugin context effective for this event; the owner may be a stream.
  if (owner != plugin && !set_effective_context(owner->id_).ok()) {
    // The host no longer knows the owner: this call can never be answered. Its waiter learns
    // so now rather than wait until the stream ends.
    if (!finishes) plugin->forget_call(*call);
    detail::wake_as(*owner, [call] { call->on_lost(); });
    return nullptr;
  }
  return call;
}

template <class Deliver>
void Dispatcher::deliver_to_call(uint32_t root_context_id, uint32_t token, bool finishes,
                                 Deliver&& deliver) {
  PluginContext* plugin = find_plugin(root_context_id);
  Event event(*this, plugin);
  if (PendingCall* call = resume_call(plugin, token, finishes)) {
    detail::wake_as(*call->owner_, [&] { deliver(*call); });  // the call may be gone after
  }
}

void Dispatcher::on_http_call_response(uint32_t root_context_id, uint32_t token,
                                       size_t header_count, size_t body_size,
                                       size_t trailer_count) {
  deliver_to_call(root_context_id, token, /*finishes=*/true, [&](PendingCall& call) {
    call.on_http_response(HttpCallResponse(token, header_count, body_size, trailer_count));
  });
}

void Dispatcher::on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token,
                                                  size_t header_count) {
  deliver_to_call(root_context_id, token, /*finishes=*/false,
                  [&](PendingCall& call) { call.on_grpc_initial_metadata(header_count); });
}

void Dispatcher::on_grpc_receive(uint32_t root_context_id, uint32_t token, size_t message_size) {
  deliver_to_call(root_context_id, token, /*finishes=*/false, [&](PendingCall& call) {
    if (call.unary_grpc()) call.plugin_->forget_call(call);
    call.on_grpc_message(message_size);
  });
}

void Dispatcher::on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token,
                                                   size_t trailer_count) {
  deliver_to_call(root_context_id, token, /*finishes=*/false,
                  [&](PendingCall& call) { call.on_grpc_trailing_metadata(trailer_count); });
}

void Dispatcher::on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status_code) {
  deliver_to_call(root_context_id, token, /*finishes=*/true, [&](PendingCall& call) {
    call.on_grpc_remote_close();  // before on_grpc_close, which may delete the call
    call.on_grpc_close(status_code);
  });
}

}  // namespace coproxy
