// The configuration read by coproxy/json.h (RapidJSON underneath), as plugins read theirs.
#include "bench/plugins/config_workload.h"
#include "coproxy/coproxy.h"

namespace {

struct Rate : bench::RateConfig {
  void json_fields(coproxy::JsonFields& f) {
    f.required("requests", requests);
    f.required("window_ms", window_ms);
    f.optional("burst", burst);
  }
};

struct Config : bench::BenchConfig {
  Rate rate_fields;
  void json_fields(coproxy::JsonFields& f) {
    f.required("cluster", cluster);
    f.optional("timeout_ms", timeout_ms);
    f.optional("fail_open", fail_open);
    f.optional("allow", allow);
    f.optional("headers", headers);
    f.optional("rate", rate_fields);
    f.optional("deny_message", deny_message);
    f.optional("ratio", ratio);
  }
};

class Coproxy : public coproxy::PluginContext {
  bool on_plugin_start(size_t) override {
    Config c;
    if (!coproxy::read_plugin_configuration(c)) return false;
    c.rate = c.rate_fields;
    coproxy::log_info(bench::summary(c));
    return true;
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(config_coproxy, Coproxy);
