// http_body: reads the whole request body and rewrites it as configured (replace/prepend/append).
// Configuration: "<mode> <text>", e.g. "prepend hello " or "replace {}"; mode is replace,
// prepend or append. A body past 1 KiB gets a 413; a request without a body flows untouched.
// Style: stream coroutine
#include <memory>
#include <string>
#include <string_view>

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

class Rewriter : public coproxy::PluginContext {
 public:
  Mode mode = Mode::Replace;
  std::string text;
  coproxy::Counter rewritten{"http_body_rewritten_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    const std::string_view line = config.ok() ? config->view() : std::string_view();
    const size_t space = line.find(' ');
    const std::string_view word = line.substr(0, space);
    if (word == "replace") {
      mode = Mode::Replace;
    } else if (word == "prepend") {
      mode = Mode::Prepend;
    } else if (word == "append") {
      mode = Mode::Append;
    } else {
      coproxy::log_error("http_body: the configuration must be '<replace|prepend|append> <text>'");
      return false;
    }
    text = space == std::string_view::npos ? "" : line.substr(space + 1);
    return true;
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
  const Rewriter& config = plugin();
  switch (config.mode) {
    case Mode::Replace: request_body().replace(config.text); break;
    case Mode::Prepend: request_body().prepend(config.text); break;
    case Mode::Append: request_body().append(config.text); break;
  }
  plugin().rewritten.increment();
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_body, Rewriter);
