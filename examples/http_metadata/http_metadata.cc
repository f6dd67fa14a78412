// http_metadata: reads the host's stream properties and sets one that later phases read back.
// Request: the client's address (property source.address) goes up as x-client-address, and
// the request's tier ("premium" with an x-api-key header, else "free") is set as the
// property coproxy_tier (Envoy keeps it as the filter state wasm.coproxy_tier, which access
// logs and other filters can read). Response: the tier is read back into x-tier. At the end,
// a log line with the path, the response code (an integer property: 8 bytes little-endian)
// and the tier.
// Style: callbacks
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

using coproxy::Action;

// An integer property as the host encodes it: 8 bytes, little-endian.
std::optional<int64_t> integer_property(coproxy::PropertyPath path) {
  coproxy::Result<coproxy::HostBytes> bytes = coproxy::get_property(path);
  if (!bytes.ok() || bytes->size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) value |= uint64_t{static_cast<uint8_t>(bytes->data()[i])} << 8 * i;
  return static_cast<int64_t>(value);
}

class Stream : public coproxy::HttpContext {
  Action on_request_headers(size_t, bool) override {
    coproxy::Result<coproxy::HostBytes> address = coproxy::get_property({"source", "address"});
    if (address.ok()) request_headers().replace("x-client-address", address->view());
    const bool premium = request_headers().get("x-api-key").ok();
    if (!coproxy::set_property({"coproxy_tier"}, premium ? "premium" : "free").ok()) {
      coproxy::log_warn("http_metadata: the host refused to keep the tier");
    }
    return Action::Continue;
  }
  Action on_response_headers(size_t, bool) override {
    coproxy::Result<coproxy::HostBytes> tier = coproxy::get_property({"coproxy_tier"});
    if (tier.ok()) response_headers().replace("x-tier", tier->view());
    return Action::Continue;
  }
  void on_stream_done() override {
    const coproxy::HostBytes path =
        coproxy::get_property({"request", "path"}).value_or(coproxy::HostBytes());
    const coproxy::HostBytes tier =
        coproxy::get_property({"coproxy_tier"}).value_or(coproxy::HostBytes());
    const std::optional<int64_t> code = integer_property({"response", "code"});
    if (code) {
      coproxy::log_info(path.view(), " answered ", *code, " for tier ", tier.view());
    } else {
      coproxy::log_info(path.view(), " answered ? for tier ", tier.view());
    }
  }
};

class Metadata : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(http_metadata, Metadata);
