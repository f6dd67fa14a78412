// The configuration read by RapidJSON straight, by hand, each field's type checked: what
// coproxy/json.h's typed layer costs on top of its library.
#define RAPIDJSON_ASSERT(x) (static_cast<bool>(x) ? static_cast<void>(0) : __builtin_trap())

#include "bench/plugins/config_workload.h"
#include "coproxy/coproxy.h"
#include "rapidjson/document.h"

namespace {

using rapidjson::Value;

bool read_string(const Value& object, const char* key, std::string& out) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return true;
  if (!it->value.IsString()) return false;
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool read_integer(const Value& object, const char* key, int64_t& out) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return true;
  if (!it->value.IsInt64()) return false;
  out = it->value.GetInt64();
  return true;
}

bool read(const Value& d, bench::BenchConfig& c) {
  if (!d.IsObject() || !read_string(d, "cluster", c.cluster) ||
      !read_integer(d, "timeout_ms", c.timeout_ms) || !read_string(d, "deny_message", c.deny_message)) {
    return false;
  }
  if (auto it = d.FindMember("fail_open"); it != d.MemberEnd()) {
    if (!it->value.IsBool()) return false;
    c.fail_open = it->value.GetBool();
  }
  if (auto it = d.FindMember("ratio"); it != d.MemberEnd()) {
    if (!it->value.IsNumber()) return false;
    c.ratio = it->value.GetDouble();
  }
  if (auto it = d.FindMember("allow"); it != d.MemberEnd()) {
    if (!it->value.IsArray()) return false;
    for (const Value& v : it->value.GetArray()) {
      if (!v.IsString()) return false;
      c.allow.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  if (auto it = d.FindMember("headers"); it != d.MemberEnd()) {
    if (!it->value.IsObject()) return false;
    for (const auto& m : it->value.GetObject()) {
      if (!m.value.IsString()) return false;
      c.headers.emplace_back(std::string(m.name.GetString(), m.name.GetStringLength()),
                             std::string(m.value.GetString(), m.value.GetStringLength()));
    }
  }
  if (auto it = d.FindMember("rate"); it != d.MemberEnd()) {
    if (!it->value.IsObject() || !read_integer(it->value, "requests", c.rate.requests) ||
        !read_integer(it->value, "window_ms", c.rate.window_ms) ||
        !read_integer(it->value, "burst", c.rate.burst)) {
      return false;
    }
  }
  return true;
}

class RapidJson : public coproxy::PluginContext {
  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> text = coproxy::plugin_configuration().get();
    if (!text.ok()) return false;
    rapidjson::Document d;
    d.Parse(text->data(), text->size());
    bench::BenchConfig c;
    if (d.HasParseError() || !read(d, c)) return false;
    coproxy::log_info(bench::summary(c));
    return true;
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(config_rapidjson, RapidJson);
