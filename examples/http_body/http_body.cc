// http_body: reads the whole request body and rewrites it as configured (replace/prepend/append).
// The configuration is JSON: {"mode": "prepend", "text": "hello "}; mode (required) is replace,
// prepend or append; text defaults to "". A body past 1 KiB gets a 413; a request without a
// body flows untouched.
// Style: stream coroutine
#include <memory>
#include <string>

#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::StreamType;

enum class Mode : uint8_t { Replace, Prepend, Append };
constexpr size_t kLimit = 1024;

class Rewriter;

class Stream : public coproxy::StreamOf<Rewriter, coproxy::HttpStreamContext> {
  coproxy::Task<void> run() override;
};

// {"mode": "prepend", "text": "hello "}
struct Config {
  Mode mode = Mode::Replace;
  std::string text;
  void json_fields(coproxy::JsonFields& f) {
    f.required("mode", mode,
               {{"replace", Mode::Replace}, {"prepend", Mode::Prepend}, {"append", Mode::Append}});
    f.optional("text", text);
  }
};

class Rewriter : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter rewritten{"http_body_rewritten_total"};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<void> Stream::run() {
  co_await phase(HttpPhase::RequestHeaders);
  // The body's length changes: the headers go on before the body comes, so drop it now.
  request_headers().remove("content-length");
  coproxy::Result<coproxy::HostBytes> body = co_await whole_body(StreamType::HttpRequest, kLimit);
  if (body.status() == coproxy::StatusCode::TooLarge) {
    send_local_response(413, "request body too large");
    co_return;
  }
  if (!body.ok()) co_return;  // no body: nothing to rewrite
  const Config& config = plugin().config;
  switch (config.mode) {
    case Mode::Replace: request_body().replace(config.text); break;
    case Mode::Prepend: request_body().prepend(config.text); break;
    case Mode::Append: request_body().append(config.text); break;
  }
  plugin().rewritten.increment();
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_body, Rewriter);
