// multiple_dispatches: each response waits for three callouts made at once, then goes on.
// when_all runs GET /one, /two and /three on the web_service cluster together and gives every
// result; each is logged and the response is stamped x-dispatches: "200 503 failed" (a failed
// or timed-out call is "failed"; it loses none of the other answers).
// Style: tasks
#include <chrono>
#include <memory>
#include <string>

#include "coro/coro.h"

namespace {

using coproxy::HttpReply;
using coproxy::Result;

std::string outcome(const Result<HttpReply>& reply) {
  return reply.ok() ? std::to_string(reply->status()) : "failed";
}

class Stream : public coproxy::AsyncHttpContext {
  coproxy::Task<coproxy::Action> on_response_headers(size_t, bool) override {
    constexpr std::chrono::milliseconds kTimeout(1000);
    auto [one, two, three] = co_await coproxy::when_all(
        http_call("web_service", {{":method", "GET"}, {":path", "/one"}, {":authority", "web"}}, {},
                  {}, kTimeout),
        http_call("web_service", {{":method", "GET"}, {":path", "/two"}, {":authority", "web"}}, {},
                  {}, kTimeout),
        http_call("web_service", {{":method", "GET"}, {":path", "/three"}, {":authority", "web"}},
                  {}, {}, kTimeout));
    const std::string answers = outcome(one) + " " + outcome(two) + " " + outcome(three);
    coproxy::log_info("multiple_dispatches: ", answers);
    response_headers().add("x-dispatches", answers);
    co_return coproxy::Action::Continue;
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(multiple_dispatches, Plugin);
