// The configuration read by nlohmann-json (JSON_NOEXCEPTION: a throw becomes an abort, so every
// type is checked before it is read), by hand.
#define JSON_NOEXCEPTION 1

#include "bench/plugins/config_workload.h"
#include "coproxy/coproxy.h"
#include "nlohmann/json.hpp"

#ifdef COPROXY_WASM
// nlohmann-json's exception classes bring libc++abi's type-info code, whose abort_message
// writes to stderr: WASI imports (fd_write, fd_seek, fd_close) that a Proxy-Wasm host need not
// give. Trapping instead keeps this module's imports to env, like the others'; a plugin on
// nlohmann-json needs the same.
extern "C" [[noreturn]] void abort_message(const char*, ...) { __builtin_trap(); }
#endif

namespace {

using nlohmann::json;

bool read_string(const json& object, const char* key, std::string& out) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_string()) return false;
  out = it->get_ref<const std::string&>();
  return true;
}

bool read_integer(const json& object, const char* key, int64_t& out) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_number_integer()) return false;
  out = it->get<int64_t>();
  return true;
}

bool read(const json& d, bench::BenchConfig& c) {
  if (!d.is_object() || !read_string(d, "cluster", c.cluster) ||
      !read_integer(d, "timeout_ms", c.timeout_ms) || !read_string(d, "deny_message", c.deny_message)) {
    return false;
  }
  if (auto it = d.find("fail_open"); it != d.end()) {
    if (!it->is_boolean()) return false;
    c.fail_open = it->get<bool>();
  }
  if (auto it = d.find("ratio"); it != d.end()) {
    if (!it->is_number()) return false;
    c.ratio = it->get<double>();
  }
  if (auto it = d.find("allow"); it != d.end()) {
    if (!it->is_array()) return false;
    for (const json& v : *it) {
      if (!v.is_string()) return false;
      c.allow.push_back(v.get_ref<const std::string&>());
    }
  }
  if (auto it = d.find("headers"); it != d.end()) {
    if (!it->is_object()) return false;
    for (auto m = it->begin(); m != it->end(); ++m) {
      if (!m.value().is_string()) return false;
      c.headers.emplace_back(m.key(), m.value().get_ref<const std::string&>());
    }
  }
  if (auto it = d.find("rate"); it != d.end()) {
    if (!it->is_object() || !read_integer(*it, "requests", c.rate.requests) ||
        !read_integer(*it, "window_ms", c.rate.window_ms) ||
        !read_integer(*it, "burst", c.rate.burst)) {
      return false;
    }
  }
  return true;
}

class Nlohmann : public coproxy::PluginContext {
  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> text = coproxy::plugin_configuration().get();
    if (!text.ok()) return false;
    const json d = json::parse(text->view(), nullptr, /*allow_exceptions=*/false);
    bench::BenchConfig c;
    if (d.is_discarded() || !read(d, c)) return false;
    coproxy::log_info(bench::summary(c));
    return true;
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(config_nlohmann, Nlohmann);
