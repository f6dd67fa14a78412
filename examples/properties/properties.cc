// properties: lets through only clients whose source.address is on the configured allow-list.
// The configuration is the allowed client IPs, separated by spaces ("10.0.0.1 ::1"). Each
// request's request.path and source.address ("ip:port") are read from the host's properties
// and logged; a client not on the list, or with no address, gets a 403.
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/coproxy.h"

namespace {

class AllowList;

// "10.0.0.1:5000" -> "10.0.0.1"; "[::1]:5000" -> "::1".
std::string_view ip_of(std::string_view address) {
  if (address.starts_with('[')) return address.substr(1, address.find(']') - 1);
  return address.substr(0, address.rfind(':'));
}

class Stream : public coproxy::StreamOf<AllowList> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

class AllowList : public coproxy::PluginContext {
 public:
  std::vector<std::string> allowed;

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    std::string_view text = config.ok() ? config->view() : "";
    while (!text.empty()) {
      const size_t space = text.find(' ');
      if (space != 0) allowed.emplace_back(text.substr(0, space));
      text = space == std::string_view::npos ? "" : text.substr(space + 1);
    }
    if (allowed.empty()) {
      coproxy::log_error("properties: the configuration must list the allowed client IPs");
      return false;
    }
    return true;
  }
  bool allows(std::string_view ip) const {
    for (const std::string& entry : allowed) {
      if (entry == ip) return true;
    }
    return false;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  coproxy::Result<coproxy::HostBytes> path = coproxy::get_property({"request", "path"});
  coproxy::Result<coproxy::HostBytes> source = coproxy::get_property({"source", "address"});
  if (!source.ok()) {
    coproxy::log_warn("properties: no source.address (", source.status().name(), "): denied");
    return send_local_response(403, "forbidden\n");
  }
  const std::string_view ip = ip_of(source->view());
  const bool allowed = plugin().allows(ip);
  coproxy::log_info("properties: ", path.ok() ? path->view() : "?", " from ", source->view(),
                    allowed ? " allowed" : " denied");
  if (!allowed) return send_local_response(403, "forbidden\n");
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(properties, AllowList);
