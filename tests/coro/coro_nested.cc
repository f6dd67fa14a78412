// coro_nested: two callouts at once under one deadline (with_timeout around when_all), for the
// allocation test: a nested combinator allocates nothing of its own after warm-up. A plugin of
// its own, so that the plain callout filter (coro_add_header, bench/suspended_stream_bytes)
// keeps its frame size.
#include <chrono>
#include <memory>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class BothCalls : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    auto both = co_await coproxy::with_timeout(
        when_all(http_call("a", {{":method", "GET"}, {":path", "/"}, {":authority", "a"}}),
                 http_call("b", {{":method", "GET"}, {":path", "/"}, {":authority", "b"}})),
        std::chrono::milliseconds(1000));
    if (!both.ok()) co_return send_local_response(504, "too slow");
    request_headers().add("x-request-seen", "1");
    co_return Action::Continue;
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<BothCalls>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(coro_nested, Plugin);
