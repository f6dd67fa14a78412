// http_auth_random: asks httpbin for a uuid before each request; an even last digit lets it in.
// A stand-in for a real decision service: the request waits (paused) for the answer. The
// uuid's last hex digit decides: even lets the request through with x-auth-uuid, odd (or no
// uuid) is a 403; no answer within a second (or a failed call, a non-200) is a 503.
// Style: tasks
#include <chrono>
#include <memory>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;
using namespace std::chrono_literals;

// The uuid in httpbin's answer {"uuid": "..."}: the last quoted string; empty if none.
std::string_view uuid_of(std::string_view body) {
  const size_t close = body.rfind('"');
  if (close == std::string_view::npos || close == 0) return {};
  const size_t open = body.rfind('"', close - 1);
  if (open == std::string_view::npos) return {};
  return body.substr(open + 1, close - open - 1);
}

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
  const std::string_view uuid = uuid_of(reply->body());
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
