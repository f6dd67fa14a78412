// configuration_from_root: the plugin parses its configuration once; every stream reads it.
// The configuration is JSON ({"headers": {"x-env": "prod", "x-team": "core"}}), read in
// on_plugin_start into the plugin context; each stream (StreamOf) adds those headers to its
// request. Two plugin contexts in one VM keep their own configurations.
// Style: callbacks
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coproxy/coproxy.h"

namespace {

class Configured;

class Stream : public coproxy::StreamOf<Configured> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

// {"headers": {"x-env": "prod", "x-team": "core"}}: the headers, in their order.
struct Config {
  std::vector<std::pair<std::string, std::string>> headers;
  void json_fields(coproxy::JsonFields& f) {
    f.required("headers", headers);
    if (headers.empty()) f.invalid("headers", "must name at least one header");
  }
};

class Configured : public coproxy::PluginContext {
 public:
  Config config;  // parsed once, read by streams

  bool on_plugin_start(size_t) override {
    if (!coproxy::read_plugin_configuration(config, {.required = true})) return false;
    coproxy::log_info("configuration_from_root: ", config.headers.size(), " headers for plugin '",
                      root_id(), "'");
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  for (const auto& [name, value] : plugin().config.headers) request_headers().replace(name, value);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(configuration_from_root, Configured);
