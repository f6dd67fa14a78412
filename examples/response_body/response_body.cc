// response_body: rewrites every response body, replacing each "from" with "to".
// The configuration is JSON, {"from": "body", "to": "text"} (both required; "to" may be empty:
// each "from" is deleted). The body's length changes, so content-length goes in the response
// headers phase (Envoy sends the headers on before the body comes). A body past 64 KiB goes on
// untouched: it is too late for a local reply once the response headers went out.
// Style: stream coroutine
#include <memory>
#include <string>

#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::StreamType;

class Rewriter;

class Stream : public coproxy::StreamOf<Rewriter, coproxy::HttpStreamContext> {
  coproxy::Task<void> run() override;
};

// {"from": "body", "to": "text"}
struct Config {
  std::string from, to;
  void json_fields(coproxy::JsonFields& f) {
    f.required("from", from);
    if (from.empty()) f.invalid("from", "must not be empty");
    f.required("to", to);
  }
};

class Rewriter : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter replaced{"response_body_replacements_total"};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<void> Stream::run() {
  if (!(co_await phase(HttpPhase::ResponseHeaders)).ok()) co_return;
  response_headers().remove("content-length");
  coproxy::Result<coproxy::HostBytes> body = co_await whole_body(StreamType::HttpResponse, 65536);
  if (!body.ok()) {
    if (body.status() == coproxy::StatusCode::TooLarge) {
      coproxy::log_warn("response_body: a body past 64 KiB goes on untouched");
    }
    co_return;  // no body, or too large: it flows as it is
  }
  const Config& config = plugin().config;
  std::string text = body->str();
  uint64_t count = 0;
  for (size_t at = text.find(config.from); at != std::string::npos;
       at = text.find(config.from, at + config.to.size())) {
    text.replace(at, config.from.size(), config.to);
    ++count;
  }
  if (count == 0) co_return;
  response_body().replace(text);
  plugin().replaced.increment(count);
}

}  // namespace

COPROXY_REGISTER_PLUGIN(response_body, Rewriter);
