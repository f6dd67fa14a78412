// dispatch_call_on_tick: a background loop calls web_service every period, logs and keeps it.
// The configuration is JSON, optional: {"period": "500ms"} (or 500, in ms; default 1s). Rounds
// are at a fixed rate (coproxy::Periodic): each waits for its time, calls GET /tick on the
// web_service cluster, logs the answer and keeps its body in shared data
// ("dispatch_call_on_tick_last") for every VM to read. Every worker's VM runs the loop, but one
// calls: the VM holding the shared lease "dispatch_call_on_tick_lease" (coproxy::SharedLease,
// renewed each round, for three periods), and another takes over once it stops. A failed call
// is counted and the loop goes on; the first failure of a run of them is logged, and the
// answer that ends it says how many rounds failed (coproxy::LogOnce). A slow answer does not
// push the next rounds back; rounds a timed-out call ran past are skipped.
// Style: background task
#include <chrono>
#include <cstdint>

#include "coro/coro.h"

namespace {

using std::chrono::milliseconds;

// The same request on every tick: encoded once, when the plugin is compiled.
constexpr coproxy::Header kTick[] = {
    {":method", "GET"}, {":path", "/tick"}, {":authority", "web_service"}};

// {"period": "500ms"}
struct Config {
  milliseconds period{1000};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("period", period);
    if (period.count() == 0) f.invalid("period", "must be at least 1ms");
  }
};

class Poller : public coproxy::AsyncPluginContext {
 public:
  coproxy::Counter failures{"dispatch_call_on_tick_failures_total"};

  bool on_plugin_start(size_t) override {
    Config config;
    if (!coproxy::read_plugin_configuration(config)) return false;
    spawn(poll(config.period));
    return true;
  }

 private:
  coproxy::Task<void> poll(milliseconds period) {
    coproxy::Periodic rounds(period);
    coproxy::SharedLease lease("dispatch_call_on_tick_lease", 3 * period);
    coproxy::LogOnce unanswered;
    for (;;) {
      if (!(co_await rounds.next()).ok()) co_return;  // the host has no tick for us
      // Another VM calls this round. A lease the host cannot keep: every VM calls for itself.
      const coproxy::Result<bool> mine = lease.hold();
      if (mine.ok() && !*mine) continue;
      auto reply = co_await coproxy::http_call("web_service", coproxy::encoded<kTick>, {}, {},
                                               milliseconds(1000));
      if (!reply.ok()) {
        failures.increment();
        unanswered.error("dispatch_call_on_tick: no answer (", reply.status().name(), ")");
        continue;
      }
      if (const uint64_t failed = unanswered.clear()) {
        coproxy::log_info("dispatch_call_on_tick: web_service answers again, after ", failed,
                          " rounds without");
      }
      coproxy::log_info("dispatch_call_on_tick: web_service answered ", reply->status(), ", ",
                        reply->body().size(), " bytes");
      coproxy::set_shared_data("dispatch_call_on_tick_last", reply->body());
    }
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(dispatch_call_on_tick, Poller);
