// VmContext: the whole wasm VM, one per module instance. Makes a PluginContext for each
// plugin configuration the host creates (several may share one VM, told apart by root id).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

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

// A VM with one kind of plugin context, whatever the root id.
template <class Plugin>
class SinglePluginVm : public VmContext {
 public:
  std::unique_ptr<PluginContext> new_plugin_context(std::string_view) override {
    return std::make_unique<Plugin>();
  }
};

}  // namespace coproxy
