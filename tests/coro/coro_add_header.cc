// coro_add_header: the header-adding filter in coroutine style; a request that never suspends.
// With x-callout in the request it first awaits a callout (the suspending case); with
// x-nested, two callouts at once under one deadline (a nested combinator).
#include <chrono>

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
    } else if (request_headers().get("x-nested").ok()) {
      auto both = co_await coproxy::with_timeout(
          coproxy::when_all(
              http_call("a", {{":method", "GET"}, {":path", "/"}, {":authority", "a"}}),
              http_call("b", {{":method", "GET"}, {":path", "/"}, {":authority", "b"}})),
          std::chrono::milliseconds(1000));
      if (!both.ok()) co_return send_local_response(504, "too slow");
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
