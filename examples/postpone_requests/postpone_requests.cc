// postpone_requests: every request waits for the configured delay before it goes on.
// The configuration is the delay in milliseconds (default 1000; 0: not delayed). Each stream
// sleeps on its own timer while the host holds the request; a client that goes cancels it.
// Style: tasks
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>

#include "coro/coro.h"

namespace {

class Postpone;

class Stream : public coproxy::StreamOf<Postpone, coproxy::AsyncHttpContext> {
  coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override;
};

class Postpone : public coproxy::PluginContext {
 public:
  std::chrono::milliseconds delay{1000};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (!config.ok() || config->empty()) return true;  // the default delay
    const std::string_view text = config->view();
    uint32_t ms = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (error != std::errc() || end != text.data() + text.size()) {
      coproxy::log_error("postpone_requests: the delay must be milliseconds, not '", text, "'");
      return false;
    }
    delay = std::chrono::milliseconds(ms);
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<coproxy::Action> Stream::on_request_headers(size_t, bool) {
  if (plugin().delay.count() == 0) co_return coproxy::Action::Continue;  // no wait at all
  const coproxy::Status slept = co_await coproxy::sleep(plugin().delay);
  if (!slept.ok())
    coproxy::log_warn("postpone_requests: no timer (", slept.name(), "), not delayed");
  co_return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(postpone_requests, Postpone);
