// foreign_call_on_tick: on every tick, calls a host foreign function and logs its answer.
// The configuration is "<function> [<period ms>]" (default: "compress 1000"; Envoy's compress
// zlib-compresses its argument). Tick n passes "tick n" and logs the answer in hex; a function
// the host does not have, or one that fails, is logged as an error.
// Style: callbacks
#include <charconv>
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

class ForeignCall : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    const std::string_view text = config.ok() && !config->empty() ? config->view() : "compress";
    const size_t space = text.find(' ');
    function_ = text.substr(0, space);
    uint32_t period = 1000;
    if (space != std::string_view::npos) {
      const std::string_view ms = text.substr(space + 1);
      const auto [end, error] = std::from_chars(ms.data(), ms.data() + ms.size(), period);
      if (error != std::errc() || end != ms.data() + ms.size() || period == 0) {
        coproxy::log_error("foreign_call_on_tick: the period must be milliseconds > 0, not '", ms,
                           "'");
        return false;
      }
    }
    return set_tick_period(std::chrono::milliseconds(period)).ok();
  }

  void on_tick() override {
    ++ticks_;
    const std::string argument = "tick " + std::to_string(ticks_);
    coproxy::Result<coproxy::HostBytes> answer =
        coproxy::call_foreign_function(function_, argument);
    if (!answer.ok()) {
      coproxy::log_error("foreign_call_on_tick: ", function_, "(\"", argument,
                         "\") failed: ", answer.status().name());
      return;
    }
    coproxy::log_info("foreign_call_on_tick: ", function_, "(\"", argument,
                      "\") = ", hex(answer->view()));
  }

 private:
  std::string function_;
  uint64_t ticks_ = 0;
};

}  // namespace

COPROXY_REGISTER_PLUGIN(foreign_call_on_tick, ForeignCall);
