// dispatch_call_on_tick: a background loop calls web_service every period, logs and keeps it.
// The configuration is JSON, optional: {"period": "500ms"} (or 500, in ms; default 1s). Rounds
// are at a fixed rate (coproxy::Periodic): each waits for its time, calls GET /tick on the
// web_service cluster, logs the answer and keeps its body in shared data
// ("dispatch_call_on_tick_last"); a failed call is logged and counted, and the loop goes on.
// A slow answer does not push the next rounds back; rounds a timed-out call ran past are
// skipped.
// Style: background task
#include <chrono>

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
    for (;;) {
      if (!(co_await rounds.next()).ok()) co_return;  // the host has no tick for us
      auto reply = co_await coproxy::http_call("web_service", coproxy::encoded<kTick>, {}, {},
                                               milliseconds(1000));
      if (!reply.ok()) {
        failures.increment();
        coproxy::log_error("dispatch_call_on_tick: no answer (", reply.status().name(), ")");
        continue;
      }
      coproxy::log_info("dispatch_call_on_tick: web_service answered ", reply->status(), ", ",
                        reply->body().size(), " bytes");
      coproxy::set_shared_data("dispatch_call_on_tick_last", reply->body());
    }
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(dispatch_call_on_tick, Poller);
