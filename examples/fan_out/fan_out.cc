// fan_out: asks authz and users at once under one deadline; the first failure ends the wait.
// with_timeout(when_all_ok(authz, users), deadline): a non-2xx or failed authz answers 403 at
// once and the users call is cancelled (its late answer dropped); a failed users call is a
// 502; the deadline (the configuration, in ms; default 500) is a 504. Both 2xx: the request
// goes on with x-allowed from authz and x-user from users. No authorization header: 401, and
// nothing is called.
// Style: tasks
#include <charconv>
#include <chrono>
#include <memory>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class FanOut;

class Stream : public coproxy::StreamOf<FanOut, coproxy::AsyncHttpContext> {
  Task<Action> on_request_headers(size_t, bool) override;
};

class FanOut : public coproxy::PluginContext {
 public:
  std::chrono::milliseconds deadline{500};
  coproxy::Counter denied{"fan_out_denied_total"};
  coproxy::Counter timed_out{"fan_out_timeouts_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (!config.ok() || config->empty()) return true;  // the default deadline
    const std::string_view text = config->view();
    uint32_t ms = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (error != std::errc() || end != text.data() + text.size() || ms == 0) {
      coproxy::log_error("fan_out: the configuration must be a deadline in ms, not '", text, "'");
      return false;
    }
    deadline = std::chrono::milliseconds(ms);
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

Task<Action> Stream::on_request_headers(size_t, bool) {
  const coproxy::HostBytes credentials =
      request_headers().get("authorization").value_or(coproxy::HostBytes());
  if (credentials.empty()) co_return send_local_response(401, "credentials required");
  auto checks = co_await coproxy::with_timeout(
      coproxy::when_all_ok(http_call("authz", {{":method", "GET"},
                                               {":path", "/allow"},
                                               {":authority", "authz"},
                                               {"authorization", credentials.view()}}),
                           http_call("users", {{":method", "GET"},
                                               {":path", "/me"},
                                               {":authority", "users"},
                                               {"authorization", credentials.view()}})),
      plugin().deadline);
  if (!checks.ok()) {
    plugin().timed_out.increment();
    co_return send_local_response(504, "checks timed out");
  }
  auto& [authz, user] = *checks;
  // The branch that failed ended the wait; the other one, if still out, was Cancelled.
  const bool users_failed =
      !coproxy::succeeded(user) && user.status().code() != coproxy::StatusCode::Cancelled;
  if (users_failed) co_return send_local_response(502, "users unavailable");
  if (!coproxy::succeeded(authz)) {
    plugin().denied.increment();
    co_return send_local_response(403, "denied");
  }
  request_headers().add("x-allowed", authz->header("x-allowed"));
  request_headers().add("x-user", user->header("x-user"));
  co_return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(fan_out, FanOut);
