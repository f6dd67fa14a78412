// vm_plugin_configuration: reads the VM's configuration and the plugin's at start, uses both.
// Both are JSON. The VM configuration names the deployment, {"deployment": "eu-west-1"}, read
// once in on_vm_start; each plugin configuration names a response header, {"header":
// "x-deployment"} (the default), read in on_plugin_start, and may name the deployment itself
// (Istio's WasmPlugin gives no VM configuration: there it is the plugin's). Both are logged,
// and every response gets "<header>: <deployment>".
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

// The VM's: {"deployment": "eu-west-1"}; none at all is allowed (Istio gives none), an
// incomplete one is not.
struct VmConfig {
  std::string deployment;
  void json_fields(coproxy::JsonFields& f) {
    f.required("deployment", deployment);
    if (deployment.empty()) f.invalid("deployment", "must name the deployment");
  }
};

// The plugin's: {"header": "x-deployment"}, and {"deployment": ...} where the VM gives none.
struct PluginConfig {
  std::string header = "x-deployment";
  std::string deployment;
  void json_fields(coproxy::JsonFields& f) {
    f.optional("header", header);
    f.optional("deployment", deployment);
    if (header.empty()) f.invalid("header", "must name a header");
  }
};

class Vm : public coproxy::VmContext {
 public:
  VmConfig config;  // every plugin context of the VM shares it

  bool on_vm_start(size_t) override {
    if (!coproxy::read_vm_configuration(config)) return false;
    if (!config.deployment.empty())
      coproxy::log_info("vm_plugin_configuration: VM for deployment ", config.deployment);
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
  PluginConfig config;
  std::string deployment;

  bool on_plugin_start(size_t) override {
    if (!coproxy::read_plugin_configuration(config)) return false;
    deployment = config.deployment.empty() ? vm_.config.deployment : config.deployment;
    if (deployment.empty()) {
      coproxy::log_error(
          "invalid plugin configuration: $.deployment: required, the VM configuration names no "
          "deployment");
      return false;
    }
    coproxy::log_info("vm_plugin_configuration: plugin '", root_id(), "' stamps ", config.header,
                      ": ", deployment);
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
  response_headers().replace(plugin().config.header, plugin().deployment);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_VM(vm_plugin_configuration, Vm);
