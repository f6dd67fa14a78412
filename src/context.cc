#include "coproxy/context.h"

#include "coproxy/plugin_context.h"

namespace coproxy {

namespace detail {

WakeScope::WakeScope(Context& context) : context_(context) { ++context_.wakeups_; }
WakeScope::~WakeScope() { --context_.wakeups_; }

}  // namespace detail

Context::~Context() {
  // Most contexts end with nothing pending: no call for them.
  if (!calls_.empty() || (plugin_ != this && !plugin_->lost_calls_.empty())) abandon_calls();
}

void Context::abandon_calls() {
  while (PendingCall* call = calls_.front()) {
    plugin_->forget_call(*call);
    call->on_abandoned();
  }
  // A plugin context drops its own lost calls itself (by the time ~Context runs for it, its
  // PluginContext part, which holds the list, is gone).
  if (plugin_ != this && !plugin_->lost_calls_.empty()) plugin_->abandon_lost_calls_of(*this);
}

void Context::track(PendingCall& call, uint32_t token) {
  PluginContext& plugin = *plugin_;
  call.plugin_ = &plugin;
  call.owner_ = this;
  call.token_ = token;
  call.grpc_closed_locally_ = false;
  if (!plugin.calls_by_token_.insert(token, &call)) {
    // A host that reuses a live token: the older call can never be answered now. It learns
    // so after this event (on_lost), not from inside whatever is registering the new call.
    plugin.mark_lost(*plugin.find_call(token));
    plugin.calls_by_token_.insert(token, &call);
  }
  calls_.push(&call);
}

Result<uint32_t> Context::grpc_stream(const GrpcMethod& target, HeaderSpan initial_metadata,
                                      GrpcStreamHandler& handler) {
  Result<uint32_t> token = open_grpc_stream(target, initial_metadata);
  if (!token.ok()) return token;
  track(handler, *token);
  return token;
}

Status Context::grpc_cancel(uint32_t token) {
  PendingCall* call = plugin_->find_call(token);
  if (call == nullptr || call->owner_ != this) return StatusCode::NotFound;
  Status status = coproxy::grpc_cancel(token);
  plugin_->forget_call(*call);
  call->on_abandoned();
  return status;
}

size_t Context::pending_calls() const {
  size_t count = 0;
  for (PendingCall* call = calls_.front(); call != nullptr; call = call->next_) ++count;
  return count;
}

}  // namespace coproxy
