// my_filter: tags every request with the header its configuration names, after asking the
// "auth" cluster whether the request may go on (a 403 when it may not), and counts both.
// Start your own plugin from here (docs/new-plugin.md).
#include <memory>
#include <string>

#include "coro/coro.h"

class MyFilter;

class MyStream : public coproxy::StreamOf<MyFilter, coproxy::AsyncHttpContext> {
  coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override;
};

class MyFilter : public coproxy::PluginContext {
 public:
  std::string header;  // the configuration: the name of the header to add
  coproxy::Counter allowed{"my_filter_allowed_total"};
  coproxy::Counter denied{"my_filter_denied_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (!config.ok() || config->empty()) {
      coproxy::log_error("my_filter: the configuration must name a header");
      return false;
    }
    header = config->str();
    return true;
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
  request_headers().add(plugin().header, "1");
  co_return coproxy::Action::Continue;
}

COPROXY_REGISTER_PLUGIN(my_filter, MyFilter);
