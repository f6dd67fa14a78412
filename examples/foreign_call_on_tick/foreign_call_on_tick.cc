// foreign_call_on_tick: on every tick, calls a host foreign function and logs its answer.
// The configuration is JSON, optional: {"function": "compress", "period": "1s"} (the defaults;
// the period may be a number of ms; Envoy's compress zlib-compresses its argument). Tick n
// passes "tick n" and logs the answer in hex; a function the host does not have, or one that
// fails, is logged as an error.
// Style: callbacks
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    text += kDigits[byte >> 4];
    text += kDigits[byte & 15];
  }
  return text;
}

// {"function": "compress", "period": "1s"}
struct Config {
  std::string function = "compress";
  std::chrono::milliseconds period{1000};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("function", function);
    if (function.empty()) f.invalid("function", "must name a function");
    f.optional("period", period);
    if (period.count() == 0) f.invalid("period", "must be at least 1ms");
  }
};

class ForeignCall : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config_) && set_tick_period(config_.period).ok();
  }

  void on_tick() override {
    ++ticks_;
    const std::string argument = "tick " + std::to_string(ticks_);
    coproxy::Result<coproxy::HostBytes> answer =
        coproxy::call_foreign_function(config_.function, argument);
    if (!answer.ok()) {
      coproxy::log_error("foreign_call_on_tick: ", config_.function, "(\"", argument,
                         "\") failed: ", answer.status().name());
      return;
    }
    coproxy::log_info("foreign_call_on_tick: ", config_.function, "(\"", argument,
                      "\") = ", hex(answer->view()));
  }

 private:
  Config config_;
  uint64_t ticks_ = 0;
};

}  // namespace

COPROXY_REGISTER_PLUGIN(foreign_call_on_tick, ForeignCall);
