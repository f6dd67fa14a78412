#include "coproxy/plugin_context.h"

#include "coproxy/effective_context.h"
#include "coproxy/http_context.h"
#include "coproxy/tcp_context.h"

namespace coproxy {

PluginContext::PluginContext() { plugin_ = this; }

// The token table is a member of this class: drop this context's own calls while it exists.
PluginContext::~PluginContext() { abandon_calls(); }

bool PluginContext::on_plugin_start(size_t) { return true; }
bool PluginContext::on_plugin_done() { return true; }
void PluginContext::on_queue_ready(uint32_t) {}
void PluginContext::on_tick() {}
void PluginContext::on_foreign_function(uint32_t, size_t) {}
std::unique_ptr<HttpContextBase> PluginContext::new_http_context() { return nullptr; }
std::unique_ptr<TcpContextBase> PluginContext::new_tcp_context() { return nullptr; }

Status PluginContext::done() {
  // proxy_done acts on the effective context, which may be a stream right now.
  Status status = set_effective_context(id());
  if (!status.ok()) return status;
  return signal_done();
}

PendingCall* PluginContext::find_call(uint32_t token) {
  PendingCall** call = calls_by_token_.find(token);
  return call ? *call : nullptr;
}

void PluginContext::forget_call(PendingCall& call) {
  calls_by_token_.erase(call.token_);
  call.owner_->calls_.remove(&call);
  call.plugin_ = nullptr;
  call.owner_ = nullptr;
}

}  // namespace coproxy
