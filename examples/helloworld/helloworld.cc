// helloworld: logs when it starts and on every tick, and stamps each response with a header.
// The configuration is JSON, optional: {"period": "250ms"} (or 250, in ms; the default is 1s).
// Style: callbacks
#include <chrono>
#include <memory>

#include "coproxy/coproxy.h"

namespace {

class Hello : public coproxy::HttpContext {
  coproxy::Action on_response_headers(size_t, bool) override {
    response_headers().add("x-hello", "world");
    return coproxy::Action::Continue;
  }
};

// {"period": "250ms"}
struct Config {
  std::chrono::milliseconds period{1000};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("period", period);
    if (period.count() == 0) f.invalid("period", "must be at least 1ms");
  }
};

class HelloWorld : public coproxy::PluginContext {
 public:
  uint64_t ticks = 0;

  bool on_plugin_start(size_t) override {
    Config config;
    if (!coproxy::read_plugin_configuration(config)) return false;
    coproxy::log_info("helloworld: started, a tick every ", config.period.count(), " ms");
    return set_tick_period(config.period).ok();
  }
  void on_tick() override {
    const auto now = coproxy::HostClock::now().time_since_epoch();
    coproxy::log_info("helloworld: tick ", ++ticks, " at ",
                      std::chrono::duration_cast<std::chrono::milliseconds>(now).count(), " ms");
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Hello>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(helloworld, HelloWorld);
