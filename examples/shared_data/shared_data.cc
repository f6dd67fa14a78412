// shared_data: a request counter and the largest request size, shared by every VM (worker).
// Each response gets x-request-number from the SharedCounter "shared_data_requests" (a
// compare-and-swap loop, retried when another VM wrote in between), and update_shared_data
// keeps "shared_data_largest" at the largest content-length seen, written only when it grows.
// Style: callbacks
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

// A decimal number, or nullopt.
std::optional<uint64_t> parse(std::string_view text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

class Stream : public coproxy::HttpContext {
  coproxy::Action on_request_headers(size_t, bool) override {
    coproxy::Result<int64_t> number = coproxy::SharedCounter("shared_data_requests").add(1);
    if (number.ok()) {
      number_ = *number;
    } else {
      coproxy::log_warn("shared_data: the counter failed: ", number.status().name());
    }
    coproxy::Result<coproxy::HostBytes> length = request_headers().get("content-length");
    const std::optional<uint64_t> size = length.ok() ? parse(length->view()) : std::nullopt;
    if (!size) return coproxy::Action::Continue;
    const coproxy::Status kept = coproxy::update_shared_data(
        "shared_data_largest",
        [&](std::optional<std::string_view> largest) -> std::optional<std::string> {
          const std::optional<uint64_t> now = largest ? parse(*largest) : std::nullopt;
          if (now && *now >= *size) return std::nullopt;  // not larger: leave it
          return std::to_string(*size);
        });
    if (!kept.ok()) coproxy::log_warn("shared_data: the largest size failed: ", kept.name());
    return coproxy::Action::Continue;
  }
  coproxy::Action on_response_headers(size_t, bool) override {
    if (number_ > 0) response_headers().replace("x-request-number", std::to_string(number_));
    return coproxy::Action::Continue;
  }

  int64_t number_ = 0;  // 0: the counter failed
};

class SharedData : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(shared_data, SharedData);
