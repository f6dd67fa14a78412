// http_routing: sends a fixed share of users to the canary, by a hash of a request header.
// The configuration is JSON, {"canary": 30, "header": "x-user-id"}: the percentage of users
// for the canary (required, 0 to 100) and the header naming the user (default x-user-id). The
// plugin sets x-route-to: canary or primary, which Envoy's routes match on (a header the
// plugin changes clears Envoy's route cache). One user always lands on the same side: the
// FNV-1a hash of the header's value, mod 100, below the percentage is the canary; a request
// without the header goes to primary. A client's own x-route-to is overwritten.
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

uint32_t fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

class Router;

class Stream : public coproxy::StreamOf<Router> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

// {"canary": 30, "header": "x-user-id"}
struct Config {
  int canary = 0;  // percent
  std::string header = "x-user-id";
  void json_fields(coproxy::JsonFields& f) {
    f.required("canary", canary);
    if (canary < 0 || canary > 100) f.invalid("canary", "must be a percentage, 0 to 100");
    f.optional("header", header);
    if (header.empty()) f.invalid("header", "must name a header");
  }
};

class Router : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter to_canary{coproxy::tagged_metric_name("http_routing", {{"route", "canary"}})};
  coproxy::Counter to_primary{coproxy::tagged_metric_name("http_routing", {{"route", "primary"}})};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  Router& router = plugin();
  coproxy::Result<coproxy::HostBytes> key = request_headers().get(router.config.header);
  const bool canary =
      key.ok() && fnv1a(key->view()) % 100 < static_cast<uint32_t>(router.config.canary);
  request_headers().replace("x-route-to", canary ? "canary" : "primary");
  (canary ? router.to_canary : router.to_primary).increment();
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_routing, Router);
