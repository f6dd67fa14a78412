// oom_probe: a plugin that runs out of guest memory (tests/out_of_memory_test.cc, on its .wasm).
// With the configuration "exhaust", each stream's context, once made, takes every byte the
// module's memory can still grow to; its first callback then needs a coroutine frame.
#include <new>

#include "coro/coro.h"

namespace {

bool exhaust = false;

// Takes memory until none is left: the largest blocks first, then smaller ones for the gaps.
void exhaust_memory() {
#if defined(__wasm__)
  for (size_t size = size_t{64} << 20; size >= 16; size /= 2) {
    while (::operator new(size, std::nothrow) != nullptr) {
    }
  }
#endif
}

class Stream : public coproxy::AsyncHttpContext {
 public:
  Stream() {
    if (exhaust) exhaust_memory();
  }
  coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override {
    co_return coproxy::Action::Continue;
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t size) override {
    exhaust = size != 0;
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(oom_probe, Plugin);
