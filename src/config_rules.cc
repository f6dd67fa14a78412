// Matching a stream against a configuration's rules (docs/design-notes.md, "Rules per route and
// host": the Higress shape, and where coproxy differs).
#include "coproxy/config_rules.h"

#include <cctype>

#include "coproxy/header_map.h"
#include "coproxy/stream_attributes.h"

namespace coproxy::detail {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The host of an :authority, lower case, without its port ("[::1]:80" -> "[::1]").
std::string host_of(std::string_view authority) {
  if (starts_with(authority, "[")) {
    const size_t close = authority.find(']');
    if (close != std::string_view::npos) authority = authority.substr(0, close + 1);
  } else if (const size_t colon = authority.find(':');
             colon != std::string_view::npos && authority.find(':', colon + 1) == std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  return lower(authority);
}

// "*" matches every host, "*.example.com" (or "*example.com") a suffix, "api.*" a prefix;
// anything else the host exactly. Patterns are lower case already.
bool domain_matches(std::string_view pattern, std::string_view host) {
  if (pattern == "*") return true;
  if (starts_with(pattern, "*")) return ends_with(host, pattern.substr(1));
  if (ends_with(pattern, "*")) return starts_with(host, pattern.substr(0, pattern.size() - 1));
  return host == pattern;
}

// The stream's attributes, each read from the host when a rule first asks for it.
class StreamAttributes {
 public:
  std::string_view route() { return load(route_, [] { return route_name(); }); }
  std::string_view cluster() { return load(cluster_, [] { return cluster_name(); }); }
  const std::string& host() {
    if (!host_) {
      Result<HostBytes> authority = request_headers().get(":authority");
      host_ = authority.ok() ? host_of(authority->view()) : std::string();
    }
    return *host_;
  }
  std::string_view path() {
    std::string_view path = load(path_, [] { return request_headers().get(":path"); });
    return path.substr(0, path.find('?'));
  }

 private:
  template <class Read>
  static std::string_view load(std::optional<HostBytes>& slot, Read read) {
    if (!slot) {
      Result<HostBytes> bytes = read();
      slot.emplace(bytes.ok() ? std::move(*bytes) : HostBytes());
    }
    return slot->view();
  }
  std::optional<HostBytes> route_;
  std::optional<HostBytes> cluster_;
  std::optional<HostBytes> path_;
  std::optional<std::string> host_;
};

// An Istio cluster name "outbound|80||foo.default.svc.cluster.local" is the service
// foo.default.svc.cluster.local on port 80; any other cluster name is a service by itself.
bool service_matches(std::string_view name, std::optional<uint32_t> port, std::string_view cluster) {
  std::string_view parts[4];
  size_t count = 0;
  std::string_view rest = cluster;
  while (count < 4) {
    const size_t bar = rest.find('|');
    parts[count++] = rest.substr(0, bar);
    if (bar == std::string_view::npos) break;
    rest = rest.substr(bar + 1);
  }
  const bool istio = count == 4 && rest.find('|') == std::string_view::npos &&
                     cluster.find('|') != std::string_view::npos;
  if (!istio) return !port && cluster == name;
  if (parts[3] != name) return false;
  return !port || parts[1] == std::to_string(*port);
}

template <class Item>
bool any_of(const std::vector<Item>& items, auto matches) {
  for (const Item& item : items) {
    if (matches(item)) return true;
  }
  return false;
}

// A list of strings under `key` that must name at least one.
void read_list(JsonReader& reader, JsonFields& fields, std::string_view key,
               std::vector<std::string>& out) {
  fields.optional(key, out);
  if (fields.has(key) && reader.ok() && out.empty()) fields.invalid(key, "must name at least one");
}

struct MatchKeys {
  JsonReader* reader;
  std::vector<std::string> routes, route_prefixes, domains, path_prefixes, services;
  void json_fields(JsonFields& f) {
    read_list(*reader, f, "_match_route_", routes);
    read_list(*reader, f, "_match_route_prefix_", route_prefixes);
    read_list(*reader, f, "_match_domain_", domains);
    for (const std::string& domain : domains) {
      const size_t star = domain.find('*', 1);
      if (star != std::string::npos && star + 1 != domain.size()) {
        f.invalid("_match_domain_", "'" + domain + "': '*' only at the start or the end");
      }
    }
    read_list(*reader, f, "_match_path_prefix_", path_prefixes);
    read_list(*reader, f, "_match_service_", services);
  }
};

}  // namespace

void RuleMatchers::read(JsonReader& reader, JsonValue rule) {
  if (!reader.expect(rule, JsonType::Object, "an object (a rule)")) return;
  MatchKeys keys{&reader, {}, {}, {}, {}, {}};
  // Only the match keys here: the rule's configuration is read after, by its own type, which
  // takes the match keys as known.
  const UnknownFields unknown = reader.unknown_fields();
  reader.set_unknown_fields(UnknownFields::Ignore);
  read_value(reader, rule, keys);
  reader.set_unknown_fields(unknown);
  if (!reader.ok()) return;
  if (keys.routes.empty() && keys.route_prefixes.empty() && keys.domains.empty() &&
      keys.path_prefixes.empty() && keys.services.empty()) {
    reader.fail(
        "a rule needs one of _match_route_, _match_route_prefix_, _match_domain_, "
        "_match_path_prefix_, _match_service_");
    return;
  }
  Rule out;
  out.routes = std::move(keys.routes);
  out.route_prefixes = std::move(keys.route_prefixes);
  for (const std::string& domain : keys.domains) out.domains.push_back(lower(domain));
  out.path_prefixes = std::move(keys.path_prefixes);
  for (const std::string& service : keys.services) {
    Service s;
    const size_t colon = service.rfind(':');
    uint32_t port = 0;
    bool numeric = colon != std::string::npos && colon + 1 < service.size();
    for (size_t i = colon + 1; numeric && i < service.size(); ++i) {
      numeric = service[i] >= '0' && service[i] <= '9' && port < 100000;
      port = port * 10 + static_cast<uint32_t>(service[i] - '0');
    }
    if (numeric) {
      s.name = service.substr(0, colon);
      s.port = port;
    } else {
      s.name = service;
    }
    out.services.push_back(std::move(s));
  }
  rules_.push_back(std::move(out));
}

int RuleMatchers::first_match() const {
  StreamAttributes stream;
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    // Every kind of key the rule names must match (any one of its entries).
    if (!rule.routes.empty() &&
        !any_of(rule.routes, [&](const std::string& r) { return r == stream.route(); })) {
      continue;
    }
    if (!rule.route_prefixes.empty() &&
        !any_of(rule.route_prefixes,
                [&](const std::string& p) { return starts_with(stream.route(), p); })) {
      continue;
    }
    if (!rule.domains.empty() &&
        !any_of(rule.domains,
                [&](const std::string& d) { return domain_matches(d, stream.host()); })) {
      continue;
    }
    if (!rule.path_prefixes.empty() &&
        !any_of(rule.path_prefixes,
                [&](const std::string& p) { return starts_with(stream.path(), p); })) {
      continue;
    }
    if (!rule.services.empty() && !any_of(rule.services, [&](const Service& s) {
          return service_matches(s.name, s.port, stream.cluster());
        })) {
      continue;
    }
    return static_cast<int>(i);
  }
  return -1;
}

}  // namespace coproxy::detail
