// access_logger: logs one line per request when its stream is done: method, path, status, time.
// The time runs from the request headers to the end of the stream, on the host clock
// (Stopwatch); it also goes to a histogram. Configuration: optional "slow_ms=<n>": requests
// taking n ms or more are logged as warnings. A stream with no response logs status "-".
// Style: callbacks
#include <charconv>
#include <memory>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

constexpr coproxy::StatusCode kNone = coproxy::StatusCode::NotFound;

class AccessLogger;

class Stream : public coproxy::StreamOf<AccessLogger> {
  coproxy::Action on_request_headers(size_t, bool) override {
    watch_.restart();
    seen_request_ = true;
    return coproxy::Action::Continue;
  }
  coproxy::Action on_response_headers(size_t, bool) override {  // a local reply's too
    seen_response_ = true;
    return coproxy::Action::Continue;
  }
  void on_stream_done() override;

  coproxy::Stopwatch watch_;
  // A map is readable once the host delivered it (it stays so, here too); not before.
  bool seen_request_ = false;
  bool seen_response_ = false;
};

class AccessLogger : public coproxy::PluginContext {
 public:
  uint64_t slow_ms = 0;  // 0: none is slow
  coproxy::Histogram duration_ms{"access_logger_duration_ms"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    const std::string_view text = config.ok() ? config->view() : std::string_view();
    if (text.empty()) return true;
    const std::string_view value = text.substr(text.find('=') + 1);
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), slow_ms);
    if (!text.starts_with("slow_ms=") || error != std::errc() ||
        end != value.data() + value.size()) {
      coproxy::log_error("access_logger: the configuration must be slow_ms=<n>, not '", text, "'");
      return false;
    }
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

void Stream::on_stream_done() {
  const uint64_t ms = watch_.elapsed_ms();
  plugin().duration_ms.record(ms);
  // The headers that never came read as "-".
  using Value = coproxy::Result<coproxy::HostBytes>;
  const Value method = seen_request_ ? request_headers().get(":method") : Value(kNone);
  const Value path = seen_request_ ? request_headers().get(":path") : Value(kNone);
  const Value status = seen_response_ ? response_headers().get(":status") : Value(kNone);
  const auto or_dash = [](const Value& value) {
    return value.ok() ? value->view() : std::string_view("-");
  };
  if (plugin().slow_ms != 0 && ms >= plugin().slow_ms) {
    coproxy::log_warn(or_dash(method), " ", or_dash(path), " ", or_dash(status), " ", ms,
                      "ms (slow)");
  } else {
    coproxy::log_info(or_dash(method), " ", or_dash(path), " ", or_dash(status), " ", ms, "ms");
  }
}

}  // namespace

COPROXY_REGISTER_PLUGIN(access_logger, AccessLogger);
