// coro_add_header: the header-adding filter in coroutine style; a request that never suspends.
// With x-callout in the request it first awaits a callout (the suspending case).
#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class AddHeader : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    if (request_headers().get("x-callout").ok()) {
      auto reply =
          co_await http_call("auth", {{":method", "GET"}, {":path", "/"}, {":authority", "auth"}});
      if (!reply.ok()) co_return send_local_response(503, "auth unavailable");
    }
    request_headers().add("x-request-seen", "1");
    co_return Action::Continue;
  }
  Task<Action> on_response_headers(size_t, bool) override {
    response_headers().add("x-hello", "coproxy");
    co_return Action::Continue;
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<AddHeader>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(coro_add_header, Plugin);
