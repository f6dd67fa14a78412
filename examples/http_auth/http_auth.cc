// http_auth: an auth service checks every request first; 403 unless it answers 200.
// Written top to bottom as a coroutine. The request waits (paused) while the service answers;
// a 200 lets it through with the user the service named; anything else, including no answer,
// is a 403. The same filter as callbacks and as a stream coroutine: docs/three-ways.md.
// Style: tasks (also callbacks, stream coroutine)
#include <span>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class Auth : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    // The client's credentials, if any, go to the auth service as they are.
    coproxy::HostBytes credentials =
        request_headers().get("authorization").value_or(coproxy::HostBytes());
    const coproxy::Header check[] = {{":method", "GET"},
                                     {":path", "/check"},
                                     {":authority", "auth"},
                                     {"authorization", credentials.view()}};
    const size_t sent = credentials.empty() ? 3 : 4;
    auto reply = co_await http_call("auth", std::span(check, sent));
    if (!reply.ok() || reply->status() != 200) co_return send_local_response(403, "denied");
    request_headers().add("x-user", reply->header("x-user"));
    co_return Action::Continue;
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Auth>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(http_auth, Plugin);
