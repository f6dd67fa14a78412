#include "coproxy/plugin_context.h"

#include "coproxy/dispatcher.h"
#include "coproxy/effective_context.h"
#include "coproxy/http_context.h"
#include "coproxy/tcp_context.h"

namespace coproxy {

PluginContext::PluginContext() { plugin_ = this; }

// The token table is a member of this class: drop this context's own calls while it exists.
// (The dispatcher deleted the streams first, and with them their waiters.)
PluginContext::~PluginContext() {
  abandon_calls();
  abandon_lost_calls_of(*this);
  waits_.reset();
}

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

// ---- waiting: made on first use ----

detail::PluginWaits& PluginContext::waits() {
  if (!waits_) waits_ = std::make_unique<detail::PluginWaits>(*this);
  return *waits_;
}

Status PluginContext::set_tick_period(std::chrono::milliseconds period) {
  return waits().set_tick_period(period);
}
Status PluginContext::start_timer(Timer& timer, const Context& owner,
                                  std::chrono::milliseconds delay) {
  return waits().start_timer(timer, owner, delay);
}
void PluginContext::cancel_timer(Timer& timer) {
  if (waits_) waits_->cancel_timer(timer);
}
void PluginContext::wait_for_queue(QueueWaiter& waiter, const Context& owner, uint32_t queue_id) {
  waits().wait_for_queue(waiter, owner, queue_id);
}
void PluginContext::stop_waiting(QueueWaiter& waiter) {
  if (waits_) waits_->stop_waiting(waiter);
}

void PluginContext::handle_tick() {
  if (waits_) {
    waits_->on_tick();
  } else {
    on_tick();  // the plugin drives the tick itself (raw coproxy::set_tick_period)
  }
}

void PluginContext::handle_queue_ready(uint32_t queue_id) {
  on_queue_ready(queue_id);
  if (waits_) waits_->on_queue_ready(queue_id);
}

PendingCall* PluginContext::find_call(uint32_t token) {
  PendingCall** call = calls_by_token_.find(token);
  return call ? *call : nullptr;
}

PendingCall* PluginContext::take_call(uint32_t token) {
  PendingCall** found = calls_by_token_.find(token);
  if (found == nullptr) return nullptr;
  PendingCall* call = *found;
  calls_by_token_.erase(found);
  call->owner_->calls_.remove(call);
  call->plugin_ = nullptr;
  return call;
}

// The live branch repeats take_call's unlinking on purpose: calling take_call here costs it
// its inlining into every callout answer (45 instructions and a wasm call more per callout),
// and forcing it inline makes modules up to 100 B larger (measured at stop 22).
void PluginContext::forget_call(PendingCall& call) {
  if (call.lost_) {
    lost_calls_.remove(&call);
    call.lost_ = false;
  } else {
    calls_by_token_.erase(call.token_);
    call.owner_->calls_.remove(&call);
  }
  call.plugin_ = nullptr;
  call.owner_ = nullptr;
}

void PluginContext::mark_lost(PendingCall& call) {
  calls_by_token_.erase(call.token_);
  call.owner_->calls_.remove(&call);
  call.lost_ = true;
  lost_calls_.push(&call);
  if (Dispatcher* dispatcher = Dispatcher::active()) dispatcher->defer_lost_calls();
}

void PluginContext::abandon_lost_calls_of(const Context& owner) {
  PendingCall* call = lost_calls_.front();
  while (call != nullptr) {
    PendingCall* next = call->next_;
    if (call->owner_ == &owner) {
      forget_call(*call);
      call->on_abandoned();
    }
    call = next;
  }
}

}  // namespace coproxy
