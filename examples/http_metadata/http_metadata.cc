// http_metadata: reads the host's stream properties and sets one that later phases read back.
// Request: the client's address (property source.address) goes up as x-client-address, and
// the request's tier ("premium" with an x-api-key header, else "free") is set as the
// property coproxy_tier (Envoy keeps it as the filter state wasm.coproxy_tier, which access
// logs and other filters can read). Response: the tier is read back into x-tier. At the end,
// a log line with the path, the response code (an integer property, which
// coproxy/stream_attributes.h decodes) and the tier.
// Style: callbacks
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

using coproxy::Action;

class Stream : public coproxy::HttpContext {
  Action on_request_headers(size_t, bool) override {
    coproxy::Result<coproxy::PeerAddress> client = coproxy::source_address();
    if (client.ok()) request_headers().replace("x-client-address", client->text());
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
    const coproxy::HostBytes path = coproxy::request_path().value_or(coproxy::HostBytes());
    const coproxy::HostBytes tier =
        coproxy::get_property({"coproxy_tier"}).value_or(coproxy::HostBytes());
    const coproxy::Result<int64_t> code = coproxy::response_code();
    if (code.ok()) {
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
