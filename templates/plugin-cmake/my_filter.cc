// my_filter: tags every request with the header its configuration names, after asking the
// "auth" cluster whether the request may go on (a 403 when it may not), and counts both.
// Its configuration is JSON, as Envoy and Istio pass it: {"header": "x-checked"}.
// Start your own plugin from here (docs/new-plugin.md).
#include <memory>
#include <string>

#include "coro/coro.h"

class MyFilter;

class MyStream : public coproxy::StreamOf<MyFilter, coproxy::AsyncHttpContext> {
  coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override;
};

struct MyConfig {
  std::string header;  // the name of the header to add to an allowed request

  void json_fields(coproxy::JsonFields& f) {
    f.required("header", header);
    if (header.empty()) f.invalid("header", "must name a header");
  }
};

class MyFilter : public coproxy::PluginContext {
 public:
  MyConfig config;
  coproxy::Counter allowed{"my_filter_allowed_total"};
  coproxy::Counter denied{"my_filter_denied_total"};

  // A configuration that does not fit refuses the start, with one log line naming the field.
  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<MyStream>();
  }
};

coproxy::Task<coproxy::Action> MyStream::on_request_headers(size_t, bool) {
  auto reply = co_await http_call("auth", {{":method", "GET"}, {":path", "/check"},
                                           {":authority", "auth"}});
  if (!reply.ok() || reply->status() != 200) {
    plugin().denied.increment();
    co_return send_local_response(403, "denied");
  }
  plugin().allowed.increment();
  request_headers().add(plugin().config.header, "1");
  co_return coproxy::Action::Continue;
}

COPROXY_REGISTER_PLUGIN(my_filter, MyFilter);
