// linear_add_header: the header-adding filter as one stream coroutine, for the allocation test.
#include "coro/coro.h"

namespace {

class AddHeaders : public coproxy::HttpStreamContext {
 public:
  coproxy::Task<void> run() override {
    co_await phase(coproxy::HttpPhase::RequestHeaders);
    request_headers().add("x-request-seen", "1");
    co_await phase(coproxy::HttpPhase::ResponseHeaders);
    response_headers().add("x-hello", "coproxy");
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<AddHeaders>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(linear_add_header, Plugin);
