// http_jwt_auth: a bearer JWT's payload must carry the configured claim, else a 401.
// Configuration: "claim" (it must be present) or "claim=value" (it must be that string). The
// token's middle part is base64url-decoded and its JSON object read by the small parser below;
// an "exp" in the past (host clock) is refused too. The claim goes on as x-jwt-<claim>. The
// signature is NOT verified here: pair this with Envoy's jwt_authn, or a callout, to trust it.
// Style: callbacks
#include <charconv>
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

// A minimal reader of one JSON object: the value of a top-level member. Strings come back
// unescaped (\uXXXX is refused: claims here are ASCII); numbers, true, false and null as
// their text; objects and arrays are skipped over. nullopt: absent, or not valid JSON.
class JsonObject {
 public:
  explicit JsonObject(std::string_view text) : text_(text) {}

  // The whole object is read, so a payload cut short or with trailing bytes finds nothing.
  std::optional<std::string> member(std::string_view wanted) {
    at_ = 0;
    std::optional<std::string> found;
    if (!eat('{')) return std::nullopt;
    if (!eat('}')) {
      do {
        std::optional<std::string> key = string();
        if (!key || !eat(':')) return std::nullopt;
        std::optional<std::string> value = this->value();
        if (!value) return std::nullopt;
        if (*key == wanted && !found) found = std::move(value);
      } while (eat(','));
      if (!eat('}')) return std::nullopt;
    }
    space();
    return at_ == text_.size() ? found : std::nullopt;
  }

 private:
  void space() {
    while (at_ < text_.size() && std::string_view(" \t\r\n").find(text_[at_]) != npos) ++at_;
  }
  bool eat(char c) {
    space();
    if (at_ < text_.size() && text_[at_] == c) return ++at_, true;
    return false;
  }
  std::optional<std::string> string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (at_ == text_.size()) return std::nullopt;
      const char escaped = text_[at_++];
      const size_t known = std::string_view("\"\\/bfnrt").find(escaped);
      if (known == std::string_view::npos) return std::nullopt;
      out.push_back("\"\\/\b\f\n\r\t"[known]);
    }
    return std::nullopt;
  }
  std::optional<std::string> value() {
    space();
    if (at_ < text_.size() && text_[at_] == '"') return string();
    const size_t start = at_;
    int depth = 0;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '"') {
        if (!string()) return std::nullopt;
        continue;
      }
      if (depth == 0 && (c == ',' || c == '}')) break;
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      if (depth < 0) return std::nullopt;
      ++at_;
    }
    if (depth != 0 || at_ == start) return std::nullopt;
    std::string_view raw = text_.substr(start, at_ - start);
    while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
    return std::string(raw);
  }

  static constexpr size_t npos = std::string_view::npos;
  std::string_view text_;
  size_t at_ = 0;
};

class JwtAuth;

class Stream : public coproxy::StreamOf<JwtAuth> {
  Action on_request_headers(size_t, bool) override;
  Action deny(std::string_view why);
};

class JwtAuth : public coproxy::PluginContext {
 public:
  std::string claim;
  std::optional<std::string> required;  // the value the claim must have, if any
  coproxy::Counter denied{"http_jwt_auth_denied_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    const std::string_view text = config.ok() ? config->view() : std::string_view();
    const size_t equals = text.find('=');
    claim = text.substr(0, equals);
    if (equals != std::string_view::npos) required = std::string(text.substr(equals + 1));
    if (claim.empty()) {
      coproxy::log_error("http_jwt_auth: the configuration must name a claim (claim[=value])");
      return false;
    }
    return true;
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
  JsonObject claims(*payload);
  if (std::optional<std::string> exp = claims.member("exp")) {
    int64_t expires = 0;
    const auto [end, error] = std::from_chars(exp->data(), exp->data() + exp->size(), expires);
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            coproxy::HostClock::now().time_since_epoch())
                            .count();
    if (error != std::errc() || end != exp->data() + exp->size() || expires <= now) {
      return deny("token expired");
    }
  }
  const std::optional<std::string> value = claims.member(auth.claim);
  if (!value || (auth.required && *value != *auth.required)) {
    return deny("claim missing or not allowed");
  }
  request_headers().replace("x-jwt-" + auth.claim, *value);
  return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_jwt_auth, JwtAuth);
