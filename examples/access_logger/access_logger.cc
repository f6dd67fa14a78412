// access_logger: logs one line per request when its stream is done: method, path, status, time.
// Method, path and status are the stream's attributes (coproxy/stream_attributes.h), which the
// host keeps to the end: a stream with no request or no response logs "-" for what it lacks.
// The time runs from the request headers to the end of the stream, on the host clock
// (Stopwatch); it also goes to a histogram. The configuration is JSON, optional:
// {"slow": "100ms"} (or 100, in ms): requests taking that long or more are logged as warnings.
// Style: callbacks
#include <chrono>
#include <memory>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class AccessLogger;

class Stream : public coproxy::StreamOf<AccessLogger> {
  coproxy::Action on_request_headers(size_t, bool) override {
    watch_.restart();
    return coproxy::Action::Continue;
  }
  void on_stream_done() override;

  coproxy::Stopwatch watch_;
};

// {"slow": "100ms"}
struct Config {
  std::chrono::milliseconds slow{0};  // 0: none is slow
  void json_fields(coproxy::JsonFields& f) { f.optional("slow", slow); }
};

class AccessLogger : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Histogram duration_ms{"access_logger_duration_ms"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

void Stream::on_stream_done() {
  const uint64_t ms = watch_.elapsed_ms();
  plugin().duration_ms.record(ms);
  // What the stream never had (NOT_FOUND) reads as "-".
  const coproxy::Result<coproxy::HostBytes> method = coproxy::request_method();
  const coproxy::Result<coproxy::HostBytes> path = coproxy::request_path();
  const coproxy::Result<int64_t> code = coproxy::response_code();  // a local reply's too
  const auto or_dash = [](const coproxy::Result<coproxy::HostBytes>& value) {
    return value.ok() ? value->view() : std::string_view("-");
  };
  const std::chrono::milliseconds slow = plugin().config.slow;
  const bool is_slow = slow.count() != 0 && std::chrono::milliseconds(ms) >= slow;
  const auto log_with = [&](const auto& status) {
    if (is_slow) {
      coproxy::log_warn(or_dash(method), " ", or_dash(path), " ", status, " ", ms, "ms (slow)");
    } else {
      coproxy::log_info(or_dash(method), " ", or_dash(path), " ", status, " ", ms, "ms");
    }
  };
  if (code.ok()) {
    log_with(*code);
  } else {
    log_with("-");
  }
}

}  // namespace

COPROXY_REGISTER_PLUGIN(access_logger, AccessLogger);
