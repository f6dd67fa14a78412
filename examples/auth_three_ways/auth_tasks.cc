// The auth check with callbacks as tasks: the headers callback is a coroutine.
#include <span>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class Auth : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    coproxy::HostBytes credentials =
        request_headers().get("authorization").value_or(coproxy::HostBytes());
    const coproxy::Header check[] = {{":method", "GET"},
                                     {":path", "/check"},
                                     {":authority", "auth"},
                                     {"authorization", credentials.view()}};
    auto reply = co_await http_call("auth", std::span(check, credentials.empty() ? 3 : 4));
    if (!reply.ok() || reply->status() != 200) co_return send_local_response(403, "denied");
    request_headers().add("x-user", reply->header("x-user"));
    co_return Action::Continue;  // the request goes on
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Auth>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(auth_tasks, Plugin);
