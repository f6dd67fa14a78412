// VmContext: the whole wasm VM, one per module instance. Makes a PluginContext for each
// plugin configuration the host creates (several may share one VM, told apart by root id).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <type_traits>

#include "coproxy/plugin_context.h"

namespace coproxy {

class VmContext {
 public:
  virtual ~VmContext() = default;

  // The VM started; its configuration is in vm_configuration(). False fails the VM. Runs
  // once per VM, though the host sends proxy_on_vm_start before each plugin's start (every
  // plugin then gets this answer). Envoy first starts the plugin in a canary VM it throws
  // away, so this runs in that VM too (docs/coroutines.md, "What to start where").
  virtual bool on_vm_start(size_t vm_configuration_size);
  // The plugin context for a new plugin configuration with this root id; nullptr refuses it
  // (its callbacks are then ignored).
  virtual std::unique_ptr<PluginContext> new_plugin_context(std::string_view root_id);
};

namespace detail {

// Whether Plugin's new_tcp_context may make a context: false only when the class keeps
// PluginContext's, which makes none. &Plugin::new_tcp_context has the type of a member of
// the class that declares it. One that cannot be named here was declared again, privately:
// it may make one.
template <class Plugin>
constexpr bool may_make_tcp_streams() {
  if constexpr (requires { &Plugin::new_tcp_context; }) {
    return !std::is_same_v<decltype(&Plugin::new_tcp_context),
                           std::unique_ptr<TcpContextBase> (PluginContext::*)()>;
  } else {
    return true;
  }
}

}  // namespace detail

// A VM with one kind of plugin context, whatever the root id.
template <class Plugin>
class SinglePluginVm : public VmContext {
 public:
  std::unique_ptr<PluginContext> new_plugin_context(std::string_view) override {
    std::unique_ptr<PluginContext> plugin = std::make_unique<Plugin>();
    if constexpr (!detail::may_make_tcp_streams<Plugin>()) plugin->makes_tcp_streams_ = false;
    return plugin;
  }
};

}  // namespace coproxy
