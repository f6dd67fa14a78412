// PluginContext: one plugin configuration (a filter on a listener). Makes the HTTP or TCP
// context of each stream, receives ticks, queue signals and foreign-function calls, and owns
// the token table through which callout events reach the context that made the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/context.h"
#include "coproxy/detail/id_map.h"
#include "coproxy/detail/plugin_waits.h"
#include "coproxy/queue_waiter.h"
#include "coproxy/timer.h"

namespace coproxy {

class HttpContextBase;
class TcpContextBase;

class PluginContext : public Context {
 public:
  PluginContext();
  ~PluginContext() override;

  // The plugin's configuration arrived (read it with plugin_configuration()). False rejects
  // the configuration.
  virtual bool on_plugin_start(size_t plugin_configuration_size);
  // The host wants to delete the plugin. Return false to finish work first, then call done().
  virtual bool on_plugin_done();
  // A message may be waiting in queue `queue_id` (registered by this plugin context).
  virtual void on_queue_ready(uint32_t queue_id);
  // The plugin's periodic tick (PluginContext::set_tick_period).
  virtual void on_tick();
  // The host called foreign function `function_id`; arguments are in Buffer(CallData).
  virtual void on_foreign_function(uint32_t function_id, size_t arguments_size);

  // The context of a new HTTP stream, or nullptr when this plugin is not an HTTP filter.
  virtual std::unique_ptr<HttpContextBase> new_http_context();
  // The context of a new TCP connection, or nullptr when this plugin is not a network filter.
  virtual std::unique_ptr<TcpContextBase> new_tcp_context();

  // The root id this plugin was configured with (empty when the host gave none).
  std::string_view root_id() const { return root_id_; }
  // Tells the host that work deferred by on_plugin_done() returning false has finished.
  Status done();

  // Calls waiting for the host across this plugin and all its streams.
  size_t pending_call_count() const { return calls_by_token_.size(); }
  // Timers and queue waiters `context_id` (this plugin context or a stream) owns. A linear
  // scan, for tests and leak checks: a stream that ended owns none.
  size_t waiters_of(uint32_t context_id) const {
    return waits_ ? waits_->waiters_of(context_id) : 0;
  }

  // ---- time ----
  // The plugin's own on_tick every `period` (0: off). It shares the host's one tick per
  // plugin context with the timers; prefer it to the raw coproxy::set_tick_period, which
  // bypasses the sharing (a plugin that never starts a timer may use either).
  Status set_tick_period(std::chrono::milliseconds period);
  // Starts `timer` to fire after `delay` with `owner` (this plugin context or one of its
  // streams) effective. A pending timer is restarted. Errors: the host's clock or tick.
  Status start_timer(Timer& timer, const Context& owner, std::chrono::milliseconds delay);
  void cancel_timer(Timer& timer);

  // ---- shared queues ----
  // `waiter` waits for the next ready signal of `queue_id` (registered by this plugin
  // context), with `owner` effective when it comes.
  void wait_for_queue(QueueWaiter& waiter, const Context& owner, uint32_t queue_id);
  void stop_waiting(QueueWaiter& waiter);

  // The dispatcher's entry points for proxy_on_tick and proxy_on_queue_ready: the plugin's
  // own callback, then the timers or waiters that are due.
  void handle_tick();
  void handle_queue_ready(uint32_t queue_id);
  // proxy_on_done: on_plugin_done(), and whatever a flavour of plugin context must finish.
  virtual bool handle_plugin_done() { return on_plugin_done(); }

 private:
  friend class Context;
  friend class PendingCall;
  friend class Dispatcher;
  template <class Plugin>
  friend class SinglePluginVm;

  // Finds the call waiting for `token`, or nullptr (finished, cancelled, or never made).
  PendingCall* find_call(uint32_t token);
  // The call waiting for `token`, taken out of the token table and its owner's list in one
  // lookup (its event finishes it), or nullptr. Its owner_ stays set for the delivery.
  PendingCall* take_call(uint32_t token);
  // Takes the call out of the token table and its owner's list (or out of the lost list).
  void forget_call(PendingCall& call);
  // `call` lost its token to a newer call: it waits in lost_calls_ for the dispatcher to
  // deliver on_lost after the current event.
  void mark_lost(PendingCall& call);
  // Drops the lost calls `owner` made (it is going away).
  void abandon_lost_calls_of(const Context& owner);

  // Timers and queue waiters, made on first use (see detail/plugin_waits.h).
  detail::PluginWaits& waits();

  std::string root_id_;
  // False when the plugin's class keeps new_tcp_context's default, which makes no context:
  // the dispatcher then asks for an HTTP context straight away, one virtual call less per
  // stream. Only SinglePluginVm, which knows the class, sets it.
  bool makes_tcp_streams_ = true;
  detail::IdMap<PendingCall*> calls_by_token_;
  PendingCallList lost_calls_;  // see mark_lost

  std::unique_ptr<detail::PluginWaits> waits_;
};

}  // namespace coproxy
