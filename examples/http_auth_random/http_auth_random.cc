// http_auth_random: asks httpbin for a uuid before each request; an even last digit lets it in.
// A stand-in for a real decision service: the request waits (paused) for the answer, JSON read
// into a struct ({"uuid": "..."}; other fields ignored). The uuid's last hex digit decides: even
// lets the request through with x-auth-uuid, odd (or an answer without a uuid, or not JSON) is
// a 403; no answer within a second (or a failed call, a non-200) is a 503.
// Style: tasks
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;
using namespace std::chrono_literals;

// httpbin's answer: {"uuid": "0f3c2a6e-55b1-4c3e-9d7a-1f2e3d4c5b6a"}.
struct UuidAnswer {
  std::string uuid;
  void json_fields(coproxy::JsonFields& f) { f.required("uuid", uuid); }
};

// The value of the last hex digit of `text`, or -1 when it does not end with one.
int last_hex_digit(std::string_view text) {
  const char c = text.empty() ? '\0' : text.back();
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

class AuthRandom;

class Stream : public coproxy::StreamOf<AuthRandom, coproxy::AsyncHttpContext> {
  Task<Action> on_request_headers(size_t, bool) override;
};

class AuthRandom : public coproxy::PluginContext {
 public:
  coproxy::Counter allowed{"http_auth_random_allowed_total"};
  coproxy::Counter denied{"http_auth_random_denied_total"};
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

Task<Action> Stream::on_request_headers(size_t, bool) {
  auto reply = co_await http_call(
      "httpbin", {{":method", "GET"}, {":path", "/uuid"}, {":authority", "httpbin.org"}}, {}, {},
      1000ms);
  if (!reply.ok() || reply->status() != 200) {
    coproxy::log_warn("http_auth_random: httpbin did not answer");
    co_return send_local_response(503, "auth service unavailable");
  }
  const coproxy::JsonResult<UuidAnswer> answer =
      coproxy::json_read<UuidAnswer>(reply->body(), coproxy::UnknownFields::Ignore);
  if (!answer.ok()) {
    plugin().denied.increment();
    coproxy::log_warn("http_auth_random: denied, no uuid in httpbin's answer (",
                      answer.error().message(), ")");
    co_return send_local_response(403, "access forbidden", {{"x-auth", "denied"}});
  }
  const std::string& uuid = answer->uuid;
  const int digit = last_hex_digit(uuid);
  if (digit < 0 || digit % 2 != 0) {
    plugin().denied.increment();
    coproxy::log_info("http_auth_random: denied by uuid '", uuid, "'");
    co_return send_local_response(403, "access forbidden", {{"x-auth", "denied"}});
  }
  plugin().allowed.increment();
  request_headers().add("x-auth-uuid", uuid);
  co_return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_auth_random, AuthRandom);
