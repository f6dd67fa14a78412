// helloworld: logs when it starts and on every tick, and stamps each response with a header.
// The configuration is the tick period in milliseconds (the default is 1000).
// Style: callbacks
#include <chrono>
#include <charconv>
#include <memory>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class Hello : public coproxy::HttpContext {
  coproxy::Action on_response_headers(size_t, bool) override {
    response_headers().add("x-hello", "world");
    return coproxy::Action::Continue;
  }
};

class HelloWorld : public coproxy::PluginContext {
 public:
  uint64_t ticks = 0;

  bool on_plugin_start(size_t) override {
    uint32_t period_ms = 1000;
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (config.ok() && !config->empty()) {
      const std::string_view text = config->view();
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), period_ms);
      if (error != std::errc() || end != text.data() + text.size() || period_ms == 0) {
        coproxy::log_error("helloworld: the configuration must be a tick period in ms, not '",
                           text, "'");
        return false;
      }
    }
    coproxy::log_info("helloworld: started, a tick every ", period_ms, " ms");
    return set_tick_period(std::chrono::milliseconds(period_ms)).ok();
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
