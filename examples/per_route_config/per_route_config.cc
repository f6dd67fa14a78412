// per_route_config: one configuration, a policy per route and per host (coproxy::RuledConfiguration).
// The global part is the policy of every stream; each rule under "_rules_" names the routes or
// hosts it is for and only what differs. A stream finds its policy once, at its request
// headers: the methods it allows (405 otherwise) and the tier stamped on its response.
//   {"tier": "standard",
//    "_rules_": [{"_match_route_": ["admin"], "tier": "admin", "methods": ["GET"]},
//                {"_match_domain_": ["*.internal.example.com"], "tier": "internal"}]}
// Style: callbacks
#include <memory>
#include <string>
#include <vector>

#include "coproxy/config_rules.h"
#include "coproxy/coproxy.h"

namespace {

struct Policy {
  std::string tier = "standard";     // x-tier on the response
  std::vector<std::string> methods;  // the methods allowed; empty: every method
  void json_fields(coproxy::JsonFields& f) {
    f.optional("tier", tier);
    if (tier.empty()) f.invalid("tier", "must not be empty");
    f.optional("methods", methods);
  }
};

class PerRoute;

class Stream : public coproxy::StreamOf<PerRoute> {
  coproxy::Action on_request_headers(size_t, bool) override;
  coproxy::Action on_response_headers(size_t, bool) override;
  const Policy* policy_ = nullptr;  // this stream's, found at its request headers
};

class PerRoute : public coproxy::PluginContext {
 public:
  coproxy::RuledConfiguration<Policy> policies;

  bool on_plugin_start(size_t) override {
    if (!policies.read()) return false;
    coproxy::log_info("per_route_config: ", policies.rule_count(), " rules");
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  policy_ = plugin().policies.for_stream();
  if (!policy_ || policy_->methods.empty()) return coproxy::Action::Continue;
  coproxy::Result<coproxy::HostBytes> method = request_headers().get(":method");
  for (const std::string& allowed : policy_->methods) {
    if (method.ok() && method->view() == allowed) return coproxy::Action::Continue;
  }
  return send_local_response(405, "method not allowed on this route");
}

coproxy::Action Stream::on_response_headers(size_t, bool) {
  if (policy_) response_headers().replace("x-tier", policy_->tier);
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(per_route_config, PerRoute);
