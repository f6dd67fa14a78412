// The plugin's and the VM's configuration, read as JSON into the plugin's own struct (see
// coproxy/json.h for the struct's json_fields), from on_plugin_start / on_vm_start:
//
//   bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
//
// A configuration that does not fit refuses the start with one error log line naming the field,
// "invalid plugin configuration: $.timeout: expected a number of milliseconds or ...", which
// Envoy shows the operator beside its own "Unable to configure Wasm plugin". An empty
// configuration is the struct's defaults unless the options say it is required.
#pragma once

#include <optional>

#include "coproxy/abi/types.h"
#include "coproxy/json.h"

namespace coproxy {

struct ConfigurationOptions {
  // An empty configuration refuses the start (else it is the struct's defaults).
  bool required = false;
  // A member the struct does not name: an error (the default; catches a misspelt option) or
  // skipped.
  UnknownFields unknown_fields = UnknownFields::Reject;
};

namespace detail {

// Reads `into` from the JSON root; the first error, or nullopt.
using ConfigurationReader = std::optional<JsonError> (*)(JsonValue root, void* into,
                                                          UnknownFields unknown);

template <class T>
std::optional<JsonError> read_configuration_into(JsonValue root, void* into,
                                                 UnknownFields unknown) {
  return json_read(root, *static_cast<T*>(into), unknown);
}

// The buffer's text as JSON through `reader`; logs the reason and answers false when it
// does not fit. `what` names it in the log ("plugin configuration").
bool read_configuration(BufferType buffer, const char* what, ConfigurationOptions options,
                        ConfigurationReader reader, void* into);

}  // namespace detail

// Reads the plugin's configuration (only readable in on_plugin_start) into `config`, over the
// values it holds. False, after one error log line, when it is not JSON or does not fit.
template <class T>
bool read_plugin_configuration(T& config, ConfigurationOptions options = {}) {
  return detail::read_configuration(BufferType::PluginConfiguration, "plugin configuration",
                                    options, &detail::read_configuration_into<T>, &config);
}

// The same for the VM's configuration (only readable in VmContext::on_vm_start).
template <class T>
bool read_vm_configuration(T& config, ConfigurationOptions options = {}) {
  return detail::read_configuration(BufferType::VmConfiguration, "vm configuration", options,
                                    &detail::read_configuration_into<T>, &config);
}

}  // namespace coproxy
