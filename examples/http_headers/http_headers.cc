// http_headers: logs every request header, and stamps every response with a configured one.
// The configuration is "name=value"; without one the header is x-coproxy: http_headers.
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class Headers;

class Stream : public coproxy::StreamOf<Headers> {
  coproxy::Action on_request_headers(size_t, bool) override {
    coproxy::Result<coproxy::HeaderPairs> headers = request_headers().pairs();
    if (!headers.ok()) return coproxy::Action::Continue;  // a malformed map: nothing to log
    for (const coproxy::Header& header : *headers) {
      coproxy::log_info("request header ", header.name, ": ", header.value);
    }
    return coproxy::Action::Continue;
  }
  coproxy::Action on_response_headers(size_t, bool) override;
};

class Headers : public coproxy::PluginContext {
 public:
  std::string name = "x-coproxy";
  std::string value = "http_headers";

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (!config.ok() || config->empty()) return true;  // the default header
    const std::string_view text = config->view();
    const size_t equals = text.find('=');
    if (equals == 0 || equals == std::string_view::npos) {
      coproxy::log_error("http_headers: the configuration must be name=value, not '", text, "'");
      return false;
    }
    name = text.substr(0, equals);
    value = text.substr(equals + 1);
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_response_headers(size_t, bool) {
  response_headers().add(plugin().name, plugin().value);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_headers, Headers);
