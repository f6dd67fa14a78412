// properties: lets through only clients whose source.address is on the configured allow-list.
// The configuration is JSON, the allowed client IPs: {"allowed": ["10.0.0.1", "::1"]}. Each
// request's request.path and source.address ("ip:port") are read from the host's properties
// and logged (coproxy/stream_attributes.h takes the address apart); a client not on the list,
// or with no address, gets a 403.
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/coproxy.h"

namespace {

class AllowList;

class Stream : public coproxy::StreamOf<AllowList> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

// {"allowed": ["10.0.0.1", "::1"]}
struct Config {
  std::vector<std::string> allowed;
  void json_fields(coproxy::JsonFields& f) {
    f.required("allowed", allowed);
    if (allowed.empty()) f.invalid("allowed", "must list at least one client IP");
  }
};

class AllowList : public coproxy::PluginContext {
 public:
  Config config;

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  bool allows(std::string_view ip) const {
    for (const std::string& entry : config.allowed) {
      if (entry == ip) return true;
    }
    return false;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  coproxy::Result<coproxy::HostBytes> path = coproxy::request_path();
  coproxy::Result<coproxy::PeerAddress> source = coproxy::source_address();
  if (!source.ok()) {
    coproxy::log_warn("properties: no source.address (", source.status().name(), "): denied");
    return send_local_response(403, "forbidden\n");
  }
  const bool allowed = plugin().allows(source->ip());
  coproxy::log_info("properties: ", path.ok() ? path->view() : "?", " from ", source->text(),
                    allowed ? " allowed" : " denied");
  if (!allowed) return send_local_response(403, "forbidden\n");
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(properties, AllowList);
