// StreamOf<Plugin, Base>: a stream context that knows its plugin's type. plugin() returns
// Plugin&, so a stream reaches its plugin's state and parsed configuration with no cast:
//
//   struct Config { std::string header; };
//   class Tagger;
//   class TagStream : public coproxy::StreamOf<Tagger> {      // Base: HttpContext
//     coproxy::Action on_request_headers(size_t, bool) override;  // uses plugin().config
//   };
//   class Tagger : public coproxy::PluginContext {
//    public:
//     Config config;   // parsed in on_plugin_start (the configuration is readable only there)
//     std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
//       return std::make_unique<TagStream>();
//     }
//   };
//
// Base is any stream context: HttpContext (the default), TcpContext, AsyncHttpContext,
// AsyncTcpContext, HttpStreamContext, TcpStreamContext. Only Plugin may make the stream (a
// native debug build checks it).
#pragma once

#include <cassert>
#include <type_traits>

#include "coproxy/plugin_context.h"

namespace coproxy {

class HttpContext;

template <class Plugin, class Base = HttpContext>
class StreamOf : public Base {
 public:
  using Base::Base;

  // The plugin context that made this stream.
  Plugin& plugin() const {
    static_assert(std::is_base_of_v<PluginContext, Plugin>,
                  "StreamOf<Plugin, ...>: Plugin must derive from coproxy::PluginContext");
#if defined(__GXX_RTTI) && !defined(NDEBUG)
    assert(dynamic_cast<Plugin*>(&Base::plugin()) != nullptr && "made by another plugin");
#endif
    return static_cast<Plugin&>(Base::plugin());
  }
};

}  // namespace coproxy
