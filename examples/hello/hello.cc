// hello: the smallest useful filter: logs at start, stamps every response with a header.
// Style: callbacks
#include "coproxy/coproxy.h"

namespace {

class AddHeader : public coproxy::HttpContext {
 public:
  coproxy::Action on_response_headers(size_t, bool) override {
    response_headers().add("x-hello", "coproxy");
    return coproxy::Action::Continue;
  }
};

class Hello : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    coproxy::log_info("hello: plugin started, root id '", root_id(), "'");
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<AddHeader>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(hello, Hello);
