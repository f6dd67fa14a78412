// http_headers: logs every request header, and stamps every response with a configured one.
// The configuration is JSON, {"name": "x-env", "value": "prod"}; without one (or without a
// field) the header is x-coproxy: http_headers.
// Style: callbacks
#include <memory>
#include <string>

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

// The response header to add.
struct Config {
  std::string name = "x-coproxy";
  std::string value = "http_headers";
  void json_fields(coproxy::JsonFields& f) {
    f.optional("name", name);
    if (name.empty()) f.invalid("name", "must name a header");
    f.optional("value", value);
  }
};

class Headers : public coproxy::PluginContext {
 public:
  Config config;

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_response_headers(size_t, bool) {
  response_headers().add(plugin().config.name, plugin().config.value);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_headers, Headers);
