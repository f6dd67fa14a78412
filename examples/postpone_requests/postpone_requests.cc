// postpone_requests: every request waits for the configured delay before it goes on.
// The configuration is JSON, {"delay": "2s"}: the delay, in milliseconds or a duration such as
// "250ms" (default 1 s; 0: not delayed). Each stream sleeps on its own timer while the host
// holds the request; a client that goes cancels it.
// Style: tasks
#include <chrono>
#include <memory>

#include "coro/coro.h"

namespace {

class Postpone;

class Stream : public coproxy::StreamOf<Postpone, coproxy::AsyncHttpContext> {
  coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override;
};

// {"delay": "2s"}
struct Config {
  std::chrono::milliseconds delay{1000};  // 1000, or "1s"; 0: not delayed
  void json_fields(coproxy::JsonFields& f) { f.optional("delay", delay); }
};

class Postpone : public coproxy::PluginContext {
 public:
  Config config;

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<coproxy::Action> Stream::on_request_headers(size_t, bool) {
  if (plugin().config.delay.count() == 0) co_return coproxy::Action::Continue;  // no wait at all
  const coproxy::Status slept = co_await coproxy::sleep(plugin().config.delay);
  if (!slept.ok())
    coproxy::log_warn("postpone_requests: no timer (", slept.name(), "), not delayed");
  co_return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(postpone_requests, Postpone);
