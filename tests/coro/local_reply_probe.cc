// local_reply_probe: one filter in the three HTTP styles, for tests/local_reply_test.cc. The
// root id picks the style: "callbacks" (HttpContext), "tasks" (AsyncHttpContext) or "stream"
// (HttpStreamContext). A request with x-deny is answered 403 from its headers; every response
// (the plugin's own reply too, which the host runs through the response callbacks) is
// stamped with x-stamp: <style> and the request's x-request-id.
#include <memory>
#include <string>

#include "coro/coro.h"
#include "tests/support/probe_support.h"

namespace {

using coproxy::Action;
using coproxy::HttpPhase;
using coproxy::Task;
using coproxy::probe::header_or;

void stamp(const char* style) {
  coproxy::response_headers().add("x-stamp", style);
  coproxy::response_headers().add("x-request-id", header_or("x-request-id", "none"));
}

bool denied() { return coproxy::request_headers().get("x-deny").ok(); }

class Callbacks : public coproxy::HttpContext {
  Action on_request_headers(size_t, bool) override {
    return denied() ? send_local_response(403, "denied") : Action::Continue;
  }
  Action on_response_headers(size_t, bool) override {
    stamp("callbacks");
    return Action::Continue;
  }
};

class Tasks : public coproxy::AsyncHttpContext {
  Task<Action> on_request_headers(size_t, bool) override {
    co_return denied() ? send_local_response(403, "denied") : Action::Continue;
  }
  Task<Action> on_response_headers(size_t, bool) override {
    stamp("tasks");
    co_return Action::Continue;
  }
};

class Stream : public coproxy::HttpStreamContext {
  Task<void> run() override {
    co_await phase(HttpPhase::RequestHeaders);
    if (denied()) send_local_response(403, "denied");
    // The upstream's response headers, or the reply's: the same code stamps both.
    if ((co_await phase(HttpPhase::ResponseHeaders)).ok()) stamp("stream");
  }
};

class Plugin : public coproxy::PluginContext {
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    if (root_id() == "tasks") return std::make_unique<Tasks>();
    if (root_id() == "stream") return std::make_unique<Stream>();
    return std::make_unique<Callbacks>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(local_reply_probe, Plugin);
