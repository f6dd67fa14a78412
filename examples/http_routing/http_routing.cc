// http_routing: sends a fixed share of users to the canary, by a hash of a request header.
// Configuration: "canary=<percent> [header=<name>]" (the header defaults to x-user-id). The
// plugin sets x-route-to: canary or primary, which Envoy's routes match on (a header the
// plugin changes clears Envoy's route cache). One user always lands on the same side: the
// FNV-1a hash of the header's value, mod 100, below the percentage is the canary; a request
// without the header goes to primary. A client's own x-route-to is overwritten.
// Style: callbacks
#include <charconv>
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

class Router : public coproxy::PluginContext {
 public:
  uint32_t percent = 0;
  std::string header = "x-user-id";
  coproxy::Counter to_canary{coproxy::tagged_metric_name("http_routing", {{"route", "canary"}})};
  coproxy::Counter to_primary{coproxy::tagged_metric_name("http_routing", {{"route", "primary"}})};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    std::string_view text = config.ok() ? config->view() : std::string_view();
    bool has_percent = false;
    while (!text.empty()) {
      const size_t space = text.find(' ');
      const std::string_view word = text.substr(0, space);
      text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
      if (word.starts_with("canary=")) {
        const std::string_view value = word.substr(7);
        const char* last = value.data() + value.size();
        const auto [end, error] = std::from_chars(value.data(), last, percent);
        has_percent = error == std::errc() && end == last && percent <= 100;
        if (!has_percent) return refuse(word);
      } else if (word.starts_with("header=") && word.size() > 7) {
        header = word.substr(7);
      } else if (!word.empty()) {
        return refuse(word);
      }
    }
    return has_percent || refuse("(no canary=<percent>)");
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

 private:
  static bool refuse(std::string_view word) {
    coproxy::log_error("http_routing: expected 'canary=<0-100> [header=<name>]', not ", word);
    return false;
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  Router& router = plugin();
  coproxy::Result<coproxy::HostBytes> key = request_headers().get(router.header);
  const bool canary = key.ok() && fnv1a(key->view()) % 100 < router.percent;
  request_headers().replace("x-route-to", canary ? "canary" : "primary");
  (canary ? router.to_canary : router.to_primary).increment();
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_routing, Router);
