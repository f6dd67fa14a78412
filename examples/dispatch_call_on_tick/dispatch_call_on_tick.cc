// dispatch_call_on_tick: a background loop calls web_service every period, logs and keeps it.
// The configuration is the period in milliseconds (default 1000). Each round sleeps, calls
// GET /tick on the web_service cluster, logs the answer and keeps its body in shared data
// ("dispatch_call_on_tick_last"); a failed call is logged and counted, and the loop goes on.
// Style: background task
#include <charconv>
#include <chrono>
#include <cstdint>

#include "coro/coro.h"

namespace {

using std::chrono::milliseconds;

// The same request on every tick: encoded once, when the plugin is compiled.
constexpr coproxy::Header kTick[] = {
    {":method", "GET"}, {":path", "/tick"}, {":authority", "web_service"}};

class Poller : public coproxy::AsyncPluginContext {
 public:
  coproxy::Counter failures{"dispatch_call_on_tick_failures_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    uint32_t period = 1000;
    if (config.ok() && !config->empty()) {
      const std::string_view text = config->view();
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), period);
      if (error != std::errc() || end != text.data() + text.size() || period == 0) {
        coproxy::log_error("dispatch_call_on_tick: the period must be milliseconds > 0, not '",
                           text, "'");
        return false;
      }
    }
    spawn(poll(milliseconds(period)));
    return true;
  }

 private:
  coproxy::Task<void> poll(milliseconds period) {
    for (;;) {
      if (!(co_await coproxy::sleep(period)).ok()) co_return;  // the host has no tick for us
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
