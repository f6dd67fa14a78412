// fan_out: asks authz and users at once under one deadline; the first failure ends the wait.
// with_timeout(when_all_ok(authz, users), deadline): a non-2xx or failed authz answers 403 at
// once and the users call is cancelled (its late answer dropped); a failed users call is a
// 502; the deadline is a 504. Both 2xx: the request goes on with x-allowed from authz and
// x-user, the name in users' JSON answer ({"name": "ada", ...}); an answer that is not JSON,
// or has no name, is a 502. No authorization header: 401, and nothing is called.
// The configuration is JSON, optional: {"deadline": "300ms"} (or 300, in ms; default 500ms).
// Style: tasks
#include <chrono>
#include <memory>
#include <string>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class FanOut;

class Stream : public coproxy::StreamOf<FanOut, coproxy::AsyncHttpContext> {
  Task<Action> on_request_headers(size_t, bool) override;
};

// {"deadline": "300ms"}
struct Config {
  std::chrono::milliseconds deadline{500};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("deadline", deadline);
    if (deadline.count() == 0) f.invalid("deadline", "must be at least 1ms");
  }
};

// The users service's answer, {"name": "ada", ...}: only the name is read.
struct User {
  std::string name;
  void json_fields(coproxy::JsonFields& f) { f.required("name", name); }
};

class FanOut : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter denied{"fan_out_denied_total"};
  coproxy::Counter timed_out{"fan_out_timeouts_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
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
      plugin().config.deadline);
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
  coproxy::JsonResult<User> me =
      coproxy::json_read<User>(user->body(), coproxy::UnknownFields::Ignore);
  if (!me.ok()) {
    coproxy::log_warn("fan_out: bad users answer: ", me.error().message());
    co_return send_local_response(502, "bad users answer");
  }
  request_headers().add("x-allowed", authz->header("x-allowed"));
  request_headers().add("x-user", me->name);
  co_return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(fan_out, FanOut);
