// stream_rewrite: one stream coroutine sends the request body out, then writes the answer.
// The whole request body goes to the rewriter service; the upstream's response body is then
// replaced by the rewriter's answer. A rewriter that fails is a 502; a request body past the
// limit is a 413; a response body past it flows untouched. The configuration is JSON, the limit
// in bytes: {"max_body_bytes": 65536} (the default).
// Style: stream coroutine
#include <memory>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::StatusCode;
using coproxy::StreamType;
using coproxy::Task;

class Rewrite;

class Stream : public coproxy::StreamOf<Rewrite, coproxy::HttpStreamContext> {
  Task<void> run() override;
};

// {"max_body_bytes": 65536}
struct Config {
  uint32_t max_body_bytes = 65536;
  void json_fields(coproxy::JsonFields& f) { f.optional("max_body_bytes", max_body_bytes); }
};

class Rewrite : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter rewritten{"stream_rewrite_rewritten_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

Task<void> Stream::run() {
  co_await phase(HttpPhase::RequestHeaders);
  auto body = co_await whole_body(StreamType::HttpRequest, plugin().config.max_body_bytes);
  if (!body.ok() && body.status().code() == StatusCode::TooLarge) {
    send_local_response(413, "request body too large");
    co_return;
  }
  // NotFound: a request without a body; the rewriter gets an empty one.
  const std::string_view sent = body.ok() ? body->view() : std::string_view();
  auto answer = co_await http_call(
      "rewriter", {{":method", "POST"}, {":path", "/rewrite"}, {":authority", "rewriter"}}, sent);
  if (!answer.ok() || answer->status() != 200) {
    send_local_response(502, "rewriter unavailable");
    co_return;
  }
  co_await phase(HttpPhase::ResponseHeaders);   // the request body goes on here
  response_headers().remove("content-length");  // the new body has its own length
  auto original = co_await whole_body(StreamType::HttpResponse, plugin().config.max_body_bytes);
  if (!original.ok()) {
    if (original.status().code() == StatusCode::TooLarge) {
      coproxy::log_warn("stream_rewrite: response body over the limit, left as it is");
    }
    co_return;  // too large, or no body: it flows untouched
  }
  response_body().replace(answer->body());
  plugin().rewritten.increment();
}

}  // namespace

COPROXY_REGISTER_PLUGIN(stream_rewrite, Rewrite);
