// http_auth in callback style: pause, call out, and continue from the answer's callback.
#include <span>

#include "coproxy/coproxy.h"

namespace {

using coproxy::Action;

class Auth : public coproxy::HttpContext {
 public:
  Action on_request_headers(size_t, bool) override {
    coproxy::HostBytes credentials =
        request_headers().get("authorization").value_or(coproxy::HostBytes());
    const coproxy::Header check[] = {{":method", "GET"},
                                     {":path", "/check"},
                                     {":authority", "auth"},
                                     {"authorization", credentials.view()}};
    coproxy::Result<uint32_t> token = http_call(
        "auth", std::span(check, credentials.empty() ? 3 : 4), {}, {},
        std::chrono::milliseconds(5000), [this](const coproxy::HttpCallResponse& response) {
          // Runs later, on this stream (made effective for us), if the stream still exists.
          if (response.failed() || response.status() != 200) {
            send_local_response(403, "denied");
            return;
          }
          coproxy::HostBytes user = response.header("x-user").value_or(coproxy::HostBytes());
          request_headers().add("x-user", user.view());
          coproxy::continue_stream(coproxy::StreamType::HttpRequest);
        });
    if (!token.ok()) return send_local_response(403, "denied");
    return Action::Pause;  // until the answer's callback continues the request
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Auth>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(http_auth_callbacks, Plugin);
