// configuration_from_root: the plugin parses its configuration once; every stream reads it.
// The configuration is "name=value" words ("x-env=prod x-team=core"), parsed in
// on_plugin_start into the plugin context; each stream (StreamOf) adds those headers to its
// request. Two plugin contexts in one VM keep their own configurations.
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coproxy/coproxy.h"

namespace {

class Configured;

class Stream : public coproxy::StreamOf<Configured> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

class Configured : public coproxy::PluginContext {
 public:
  std::vector<std::pair<std::string, std::string>> headers;  // parsed once, read by streams

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    std::string_view text = config.ok() ? config->view() : "";
    while (!text.empty()) {
      const size_t space = text.find(' ');
      const std::string_view word = text.substr(0, space);
      text = space == std::string_view::npos ? "" : text.substr(space + 1);
      if (word.empty()) continue;
      const size_t equals = word.find('=');
      if (equals == 0 || equals == std::string_view::npos) {
        coproxy::log_error("configuration_from_root: '", word, "' is not name=value");
        return false;
      }
      headers.emplace_back(word.substr(0, equals), word.substr(equals + 1));
    }
    if (headers.empty()) {
      coproxy::log_error("configuration_from_root: the configuration names no header");
      return false;
    }
    coproxy::log_info("configuration_from_root: ", headers.size(), " headers for plugin '",
                      root_id(), "'");
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  for (const auto& [name, value] : plugin().headers) request_headers().replace(name, value);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(configuration_from_root, Configured);
