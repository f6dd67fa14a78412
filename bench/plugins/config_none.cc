// The comparison's baseline: everything the others do (start, read the configuration's bytes,
// fill the struct, log its summary) but parse: the struct is filled with the values.
#include "bench/plugins/config_workload.h"
#include "coproxy/coproxy.h"

namespace {

class NoParse : public coproxy::PluginContext {
  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> text = coproxy::plugin_configuration().get();
    if (!text.ok()) return false;
    bench::BenchConfig c;
    c.cluster = "auth";
    c.timeout_ms = 250;
    c.fail_open = false;
    c.allow = {"/health", "/metrics", "/public/", "/static/"};
    c.headers = {{"x-env", "prod"}, {"x-team", "core"}, {"x-region", "eu-west-1"}};
    c.rate = {100, 1000, 20};
    c.deny_message = "access denied by the auth filter; ask #platform for help";
    c.ratio = 0.25;
    coproxy::log_info(bench::summary(c));
    return true;
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(config_none, NoParse);
