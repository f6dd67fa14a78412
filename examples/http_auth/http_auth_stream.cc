// http_auth as one stream coroutine: the whole stream, top to bottom.
#include <span>

#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::Task;

class Auth : public coproxy::HttpStreamContext {
 public:
  Task<void> run() override {
    co_await phase(HttpPhase::RequestHeaders);  // held while we check
    coproxy::HostBytes credentials =
        request_headers().get("authorization").value_or(coproxy::HostBytes());
    const coproxy::Header check[] = {{":method", "GET"},
                                     {":path", "/check"},
                                     {":authority", "auth"},
                                     {"authorization", credentials.view()}};
    auto reply = co_await http_call("auth", std::span(check, credentials.empty() ? 3 : 4));
    if (!reply.ok() || reply->status() != 200) {
      send_local_response(403, "denied");
      co_return;
    }
    request_headers().add("x-user", reply->header("x-user"));
  }  // finishing lets the request go on; the rest of the stream flows
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Auth>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(http_auth_stream, Plugin);
