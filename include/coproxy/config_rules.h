// Rules per route, host, path and service: one plugin configuration holding a global part and a
// list of rules, each with its own configuration for the streams it matches (the JSON shape of
// Higress's wasm-go wrapper; docs/api.md, "Rules per route and host"):
//
//   {"header": "x-default",                                       <- the global part
//    "_rules_": [
//      {"_match_route_": ["admin"], "header": "x-admin"},         <- a rule: match keys + config
//      {"_match_domain_": ["*.example.com", "api.*"], "header": "x-api"}]}
//
// A rule's configuration is read over a copy of the global part: a rule names only what differs.
// A stream gets the first rule that matches, else the global part; when the configuration has
// rules and no global field, a stream that matches no rule gets none (the plugin leaves it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/configuration.h"
#include "coproxy/json.h"

namespace coproxy {

namespace detail {

// The match keys of the rules, and matching a stream against them (src/config_rules.cc).
class RuleMatchers {
 public:
  // The keys a rule may hold besides its configuration.
  static constexpr std::initializer_list<std::string_view> kKeys = {
      "_match_route_", "_match_route_prefix_", "_match_domain_", "_match_path_prefix_",
      "_match_service_"};

  // Reads the match keys of `rule` (the reader stands at it) as the next rule.
  void read(JsonReader& reader, JsonValue rule);
  // The index of the first rule the current stream matches, or -1. Reads the stream's route
  // name, :authority, :path and cluster name from the host, each at most once and only if a
  // rule asks for it.
  int first_match() const;
  size_t size() const { return rules_.size(); }

 private:
  struct Service {
    std::string name;
    std::optional<uint32_t> port;
  };
  struct Rule {
    std::vector<std::string> routes;
    std::vector<std::string> route_prefixes;
    std::vector<std::string> domains;  // lower case
    std::vector<std::string> path_prefixes;
    std::vector<Service> services;
  };
  std::vector<Rule> rules_;
};

}  // namespace detail

template <class T>
class RuledConfiguration {
 public:
  // Reads the plugin configuration (from on_plugin_start): T's fields at the top level, rules
  // under "_rules_". False, after one error log line naming the field, when it does not fit.
  bool read(ConfigurationOptions options = {}) {
    return detail::read_configuration(BufferType::PluginConfiguration, "plugin configuration",
                                      options, &read_into, this);
  }

  // The configuration of the current stream: the first rule it matches, else the global
  // part, else nullptr (rules only, none matched: leave the stream alone). Call it once per
  // stream, from its request headers on (the host's :authority and route are known then), and
  // keep the pointer: it stays valid while the plugin lives. Without rules it is the global
  // part at no cost: no host call.
  const T* for_stream() const {
    if (rules_.empty()) return has_global_ ? &global_ : nullptr;
    const int rule = matchers_.first_match();
    if (rule >= 0) return &rules_[static_cast<size_t>(rule)];
    return has_global_ ? &global_ : nullptr;
  }

  const T& global() const { return global_; }
  // False when the configuration has rules and nothing else.
  bool has_global() const { return has_global_; }
  size_t rule_count() const { return rules_.size(); }
  // Rule `index`'s configuration (the global part with the rule's fields over it).
  const T& rule(size_t index) const { return rules_[index]; }

 private:
  static std::optional<JsonError> read_into(JsonValue root, void* into, UnknownFields unknown) {
    auto& self = *static_cast<RuledConfiguration*>(into);
    detail::JsonReader reader(unknown);
    if (!reader.expect(root, JsonType::Object, "an object")) return reader.take_error();
    const JsonValue rules = root["_rules_"];
    // The global part exists when anything but the rules is there, or there are no rules.
    self.has_global_ = !rules || root.size() > 1;
    if (self.has_global_) detail::read_object(reader, root, self.global_, {"_rules_"});
    if (rules && reader.ok()) {
      reader.enter("_rules_");
      if (reader.expect(rules, JsonType::Array, "an array of rules")) {
        size_t index = 0;
        for (JsonValue rule : rules.elements()) {
          reader.enter(index++);
          self.matchers_.read(reader, rule);
          T config = self.global_;
          reader.set_required_given(self.has_global_);
          if (reader.ok()) detail::read_object(reader, rule, config, detail::RuleMatchers::kKeys);
          reader.set_required_given(false);
          self.rules_.push_back(std::move(config));
          reader.leave();
          if (!reader.ok()) break;
        }
      }
      reader.leave();
    }
    if (reader.ok()) return std::nullopt;
    return reader.take_error();
  }

  T global_{};
  bool has_global_ = true;
  std::vector<T> rules_;
  detail::RuleMatchers matchers_;
};

}  // namespace coproxy
