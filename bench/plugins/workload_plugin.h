// The plugin context of the benchmark's three coproxy styles: the plugin configuration names
// the workload (workload.h), and every stream gets that workload's context.
#pragma once

#include <memory>

#include "bench/plugins/workload.h"
#include "coproxy/coproxy.h"

namespace bench {

template <class Noop, class Headers, class Callout, class Body, class Full>
class WorkloadPlugin : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (config.ok()) workload_ = parse_workload(config->data(), config->size());
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    switch (workload_) {
      case Workload::Noop: return std::make_unique<Noop>();
      case Workload::Headers: return std::make_unique<Headers>();
      case Workload::Callout: return std::make_unique<Callout>();
      case Workload::Body: return std::make_unique<Body>();
      case Workload::Full: return std::make_unique<Full>();
    }
    return nullptr;
  }

 private:
  Workload workload_ = Workload::Noop;
};

}  // namespace bench
