// http_jwt_auth: a bearer JWT's payload must carry the configured claim, else a 401.
// The configuration is JSON: {"claim": "role"} (it must be present) or {"claim": "role",
// "value": "admin"} (it must be that). The token's middle part is base64url-decoded and read
// as JSON (coproxy::Json); an "exp" in the past (host clock) is refused too. The claim, a
// string or a whole number, goes on as x-jwt-<claim>. The signature is NOT verified here: pair
// this with Envoy's jwt_authn, or a callout, to trust it.
// Style: callbacks
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

using coproxy::Action;

// base64url without padding (RFC 7515); nullopt on a character outside the alphabet.
std::optional<std::string> base64url_decode(std::string_view text) {
  while (text.ends_with('=')) text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    int value = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '-'             ? 62
                : c == '_'             ? 63
                                       : -1;
    if (value < 0) return std::nullopt;
    bits = bits << 6 | static_cast<uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(bits >> count & 0xff));
    }
  }
  return out;
}

class JwtAuth;

class Stream : public coproxy::StreamOf<JwtAuth> {
  Action on_request_headers(size_t, bool) override;
  Action deny(std::string_view why);
};

// {"claim": "role", "value": "admin"}
struct Config {
  std::string claim;
  std::optional<std::string> value;  // the value the claim must have, if any
  void json_fields(coproxy::JsonFields& f) {
    f.required("claim", claim);
    if (claim.empty()) f.invalid("claim", "must name a claim");
    f.optional("value", value);
  }
};

// A claim as the header carries it: a string, or a whole number in decimal.
std::optional<std::string> claim_text(coproxy::JsonValue claim) {
  if (std::optional<std::string_view> text = claim.string()) return std::string(*text);
  if (std::optional<int64_t> number = claim.integer()) return std::to_string(*number);
  return std::nullopt;
}

class JwtAuth : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter denied{"http_jwt_auth_denied_total"};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

Action Stream::deny(std::string_view why) {
  plugin().denied.increment();
  return send_local_response(401, why, {{"www-authenticate", "Bearer error=\"invalid_token\""}});
}

Action Stream::on_request_headers(size_t, bool) {
  JwtAuth& auth = plugin();
  const coproxy::HostBytes header =
      request_headers().get("authorization").value_or(coproxy::HostBytes());
  if (!header.view().starts_with("Bearer ")) return deny("missing bearer token");
  const std::string_view token = header.view().substr(7);
  const size_t first = token.find('.'), last = token.rfind('.');
  if (first == std::string_view::npos || first == last) return deny("malformed token");
  const std::optional<std::string> payload =
      base64url_decode(token.substr(first + 1, last - first - 1));
  if (!payload) return deny("malformed token");
  const coproxy::JsonResult<coproxy::Json> claims = coproxy::Json::parse(*payload);
  if (!claims.ok()) return deny("malformed token");
  if (coproxy::JsonValue exp = (*claims)["exp"]) {
    // NumericDate: seconds since the epoch, a fraction allowed (RFC 7519, section 2).
    const std::optional<double> expires = exp.number();
    const double now = std::chrono::duration<double>(
                           coproxy::HostClock::now().time_since_epoch())
                           .count();
    if (!expires || *expires <= now) return deny("token expired");
  }
  const Config& config = auth.config;
  const std::optional<std::string> value = claim_text((*claims)[config.claim]);
  if (!value || (config.value && *value != *config.value)) {
    return deny("claim missing or not allowed");
  }
  request_headers().replace("x-jwt-" + config.claim, *value);
  return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_jwt_auth, JwtAuth);
