// What one combinator adds to a module: the same filter built once per combinator (COMBINATOR,
// set by bench/plugins/BUILD.bazel), and once without any ("none"). Each awaits two callouts
// and reads both statuses; only how it awaits them differs. bench/report.py reports each
// module's size less the size of "none". "sleep" adds a sleep instead: the timers that
// with_timeout needs too, so that with_timeout's own code is with_timeout less sleep.
#include "coro/coro.h"

#define COMBINATOR_NONE 0
#define COMBINATOR_WITH_TIMEOUT 1
#define COMBINATOR_WHEN_ALL 2
#define COMBINATOR_WHEN_ALL_OK 3
#define COMBINATOR_WHEN_ANY 4
#define COMBINATOR_SLEEP 5  // not a combinator: the timers with_timeout builds on

namespace {

using coproxy::Action;
using coproxy::HttpReply;
using coproxy::Result;
using coproxy::Task;

constexpr coproxy::Header kA[] = {{":method", "GET"}, {":path", "/"}, {":authority", "a"}};
constexpr coproxy::Header kB[] = {{":method", "GET"}, {":path", "/"}, {":authority", "b"}};

uint32_t status_of(const Result<HttpReply>& reply) { return reply.ok() ? reply->status() : 0; }

class Stream : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    uint32_t a = 0, b = 0;
#if COMBINATOR == COMBINATOR_NONE
    a = status_of(co_await http_call("a", kA));
    b = status_of(co_await http_call("b", kB));
#elif COMBINATOR == COMBINATOR_WITH_TIMEOUT
    a = status_of(co_await coproxy::with_timeout(http_call("a", kA), std::chrono::seconds(1)));
    b = status_of(co_await http_call("b", kB));
#elif COMBINATOR == COMBINATOR_WHEN_ALL
    auto [first, second] = co_await coproxy::when_all(http_call("a", kA), http_call("b", kB));
    a = status_of(first);
    b = status_of(second);
#elif COMBINATOR == COMBINATOR_WHEN_ALL_OK
    auto [first, second] = co_await coproxy::when_all_ok(http_call("a", kA), http_call("b", kB));
    a = status_of(first);
    b = status_of(second);
#elif COMBINATOR == COMBINATOR_WHEN_ANY
    auto first = co_await coproxy::when_any(http_call("a", kA), http_call("b", kB));
    a = status_of(first.index() == 0 ? std::get<0>(first) : std::get<1>(first));
#elif COMBINATOR == COMBINATOR_SLEEP
    a = status_of(co_await http_call("a", kA));
    (void)co_await coproxy::sleep(std::chrono::seconds(1));
    b = status_of(co_await http_call("b", kB));
#endif
    if (a != 200 || b > 299) co_return send_local_response(403, "denied");
    co_return Action::Continue;
  }
};

class Plugin : public coproxy::AsyncPluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(combinator, Plugin);
