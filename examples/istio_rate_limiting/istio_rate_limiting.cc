// istio_rate_limiting: a fixed-window limit per client, shared by every VM; 429 past it.
// The configuration is JSON, {"requests": 3, "window": "10s", "header": "x-client-id"}:
// requests (default 10) per window (milliseconds or "10s"; default 1 s) for each value of the
// header (default x-client-id; a request without it: client "unknown").
// Each client's window and count live in shared data ("rate:<client>" = "<window> <count>"),
// updated with compare-and-swap; windows follow the host clock. A failing update lets through.
// Style: callbacks
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class RateLimit;

std::optional<uint64_t> parse(std::string_view text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

class Stream : public coproxy::StreamOf<RateLimit> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

// {"requests": 3, "window": "10s", "header": "x-client-id"}
struct Config {
  int64_t requests = 10;                   // per client, per window
  std::chrono::milliseconds window{1000};  // 1000, or "1s"
  std::string header = "x-client-id";
  void json_fields(coproxy::JsonFields& f) {
    f.optional("requests", requests);
    if (requests < 1) f.invalid("requests", "must be at least 1");
    f.optional("window", window);
    if (window.count() < 1) f.invalid("window", "must be at least 1ms");
    f.optional("header", header);
    if (header.empty()) f.invalid("header", "must name a header");
  }
};

class RateLimit : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter limited{"istio_rate_limiting_limited_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  RateLimit& limit = plugin();
  coproxy::Result<coproxy::HostBytes> client = request_headers().get(limit.config.header);
  const std::string key = "rate:" + (client.ok() && !client->empty() ? client->str() : "unknown");
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      coproxy::HostClock::now().time_since_epoch());
  const uint64_t window_ms = static_cast<uint64_t>(limit.config.window.count());
  const uint64_t window = static_cast<uint64_t>(now.count()) / window_ms;
  bool over = false;
  const coproxy::Status counted = coproxy::update_shared_data(
      key, [&](std::optional<std::string_view> kept) -> std::optional<std::string> {
        const size_t space = kept ? kept->find(' ') : std::string_view::npos;
        const std::optional<uint64_t> kept_window =
            space != std::string_view::npos ? parse(kept->substr(0, space)) : std::nullopt;
        uint64_t count = 0;
        if (kept_window == window) count = parse(kept->substr(space + 1)).value_or(0);
        over = count >= static_cast<uint64_t>(limit.config.requests);
        if (over) return std::nullopt;  // full: nothing to write
        return std::to_string(window) + " " + std::to_string(count + 1);
      });
  if (!counted.ok()) {
    coproxy::log_warn("istio_rate_limiting: ", key, " not counted (", counted.name(), ")");
    return coproxy::Action::Continue;
  }
  if (!over) return coproxy::Action::Continue;
  limit.limited.increment();
  const uint64_t window_end_ms = (window + 1) * window_ms;
  const uint64_t retry_s = (window_end_ms - static_cast<uint64_t>(now.count()) + 999) / 1000;
  const std::string retry = std::to_string(retry_s);
  return send_local_response(429, "rate limited\n", {{"retry-after", retry}});
}

}  // namespace

COPROXY_REGISTER_PLUGIN(istio_rate_limiting, RateLimit);
