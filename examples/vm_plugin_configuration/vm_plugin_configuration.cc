// vm_plugin_configuration: reads the VM's configuration and the plugin's at start, uses both.
// The VM configuration names the deployment ("eu-west-1"; required), read once in
// on_vm_start; each plugin configuration names a response header (default x-deployment), read
// in on_plugin_start. Both are logged, and every response gets "<header>: <deployment>".
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class Vm : public coproxy::VmContext {
 public:
  std::string deployment;  // every plugin context of the VM shares it

  bool on_vm_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::vm_configuration().get();
    if (!config.ok() || config->empty()) {
      coproxy::log_error("vm_plugin_configuration: the VM configuration must name the deployment");
      return false;
    }
    deployment = config->str();
    coproxy::log_info("vm_plugin_configuration: VM for deployment ", deployment);
    return true;
  }
  std::unique_ptr<coproxy::PluginContext> new_plugin_context(std::string_view) override;
};

class Plugin;

class Stream : public coproxy::StreamOf<Plugin> {
  coproxy::Action on_response_headers(size_t, bool) override;
};

// Made before the VM starts (the host creates the plugin context first), so it keeps its VM
// and reads the deployment in on_plugin_start, which comes after on_vm_start.
class Plugin : public coproxy::PluginContext {
 public:
  explicit Plugin(const Vm& vm) : vm_(vm) {}
  std::string header = "x-deployment";
  std::string deployment;

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (config.ok() && !config->empty()) header = config->str();
    deployment = vm_.deployment;
    coproxy::log_info("vm_plugin_configuration: plugin '", root_id(), "' stamps ", header, ": ",
                      deployment);
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

 private:
  const Vm& vm_;
};

std::unique_ptr<coproxy::PluginContext> Vm::new_plugin_context(std::string_view) {
  return std::make_unique<Plugin>(*this);
}

coproxy::Action Stream::on_response_headers(size_t, bool) {
  response_headers().replace(plugin().header, plugin().deployment);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_VM(vm_plugin_configuration, Vm);
