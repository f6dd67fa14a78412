// hedged_call: asks the primary first and, if it has not answered well within hedge_after,
// the backup too; the first success lets the request in (x-served-by names who), all under
// one deadline. A primary that fails early does not end the race: the backup is still asked.
// Every branch failing is a 503; the deadline passing first is a 504.
//   {"primary": "primary", "backup": "backup", "path": "/check",
//    "hedge_after": "50ms", "deadline": "300ms"}
// Style: tasks
#include <chrono>
#include <memory>
#include <string>

#include "coro/coro.h"

namespace {

using coproxy::HttpReply;
using coproxy::Result;
using std::chrono::milliseconds;

struct Config {
  std::string primary = "primary";
  std::string backup = "backup";
  std::string path = "/check";
  milliseconds hedge_after{50};
  milliseconds deadline{300};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("primary", primary);
    f.optional("backup", backup);
    f.optional("path", path);
    f.optional("hedge_after", hedge_after);
    f.optional("deadline", deadline);
    if (hedge_after >= deadline) f.invalid("hedge_after", "must be shorter than the deadline");
  }
};

class Hedged;

class Stream : public coproxy::StreamOf<Hedged, coproxy::AsyncHttpContext> {
  coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override;
};

class Hedged : public coproxy::PluginContext {
 public:
  Config config;
  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<coproxy::Action> Stream::on_request_headers(size_t, bool) {
  const Config& c = plugin().config;
  const coproxy::Header check[] = {{":method", "GET"}, {":path", c.path}, {":authority", "auth"}};
  // Each call's own timeout is past the deadline, so that the deadline decides (a 504): a
  // callout timing out at the deadline's very instant could come first in Envoy (a 503).
  const milliseconds call_timeout = c.deadline + milliseconds(1000);
  auto raced = co_await coproxy::with_timeout(
      coproxy::when_any_ok(
          http_call(c.primary, check, {}, {}, call_timeout),
          coproxy::delayed(c.hedge_after,
                           [&] { return http_call(c.backup, check, {}, {}, call_timeout); })),
      c.deadline);
  if (!raced.ok()) co_return send_local_response(504, "no answer in time");
  if (!coproxy::succeeded(raced->value)) co_return send_local_response(503, "no upstream answered");
  request_headers().replace("x-served-by", raced->index == 0 ? c.primary : c.backup);
  co_return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(hedged_call, Hedged);
