#include "coproxy/vm_context.h"

namespace coproxy {

bool VmContext::on_vm_start(size_t) { return true; }

std::unique_ptr<PluginContext> VmContext::new_plugin_context(std::string_view) {
  return std::make_unique<PluginContext>();
}

}  // namespace coproxy
