// multiple_dispatches: each response waits for the configured callouts, made at once, then
// goes on. when_all over the list runs a GET of every configured path on the cluster together
// and gives every result; each is logged and the response is stamped x-dispatches:
// "200 503 failed" (a failed or timed-out call is "failed"; it loses none of the other answers).
//   {"cluster": "web_service", "paths": ["/one", "/two", "/three"], "timeout": "1s"}
// Style: tasks
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "coro/coro.h"

namespace {

using coproxy::HttpReply;
using coproxy::Result;

struct Config {
  std::string cluster = "web_service";
  std::vector<std::string> paths = {"/one", "/two", "/three"};
  std::chrono::milliseconds timeout{1000};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("cluster", cluster);
    f.optional("paths", paths);
    if (paths.empty() || paths.size() > 16) f.invalid("paths", "must name 1 to 16 paths");
    f.optional("timeout", timeout);
  }
};

std::string outcome(const Result<HttpReply>& reply) {
  return reply.ok() ? std::to_string(reply->status()) : "failed";
}

class Plugin;

class Stream : public coproxy::StreamOf<Plugin, coproxy::AsyncHttpContext> {
  coproxy::Task<coproxy::Action> on_response_headers(size_t, bool) override;
};

class Plugin : public coproxy::PluginContext {
 public:
  Config config;
  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<coproxy::Action> Stream::on_response_headers(size_t, bool) {
  const Config& config = plugin().config;
  // Each call is sent as it is made: all of them before the first answer.
  std::vector<coproxy::HttpCallAwaiter> calls;
  calls.reserve(config.paths.size());
  for (const std::string& path : config.paths) {
    calls.push_back(http_call(config.cluster,
                              {{":method", "GET"}, {":path", path}, {":authority", "web"}}, {}, {},
                              config.timeout));
  }
  std::string answers;
  for (const Result<HttpReply>& reply : co_await coproxy::when_all(std::move(calls))) {
    answers += (answers.empty() ? "" : " ") + outcome(reply);
  }
  coproxy::log_info("multiple_dispatches: ", answers);
  response_headers().add("x-dispatches", answers);
  co_return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(multiple_dispatches, Plugin);
