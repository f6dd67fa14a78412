// response_cache: GETs answered from a shared-data cache; a miss fetches from the origin.
// A GET's response comes from a callout to the origin and is cached in shared data (every
// worker's VM sees it) for a TTL on the host clock: the configuration, JSON, {"ttl": "10s"}
// (milliseconds or a duration; default 10 s). Until then the same path is answered locally
// from the cache (x-cache: hit); an expired entry is fetched again. Only 200s are cached;
// other answers pass as they are; an origin that does not answer is a 502. Other methods go on
// untouched.
// Style: tasks
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::HostClock;
using coproxy::Task;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(HostClock::now().time_since_epoch())
      .count();
}

// A cached response in shared data: "<expires at, ms since the epoch>\n<body>".
struct Entry {
  int64_t expires_ms = 0;
  std::string_view body;

  static std::optional<Entry> parse(std::string_view text) {
    Entry entry;
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + newline, entry.expires_ms);
    if (error != std::errc() || end != text.data() + newline) return std::nullopt;
    entry.body = text.substr(newline + 1);
    return entry;
  }
};

class Cache;

class Stream : public coproxy::StreamOf<Cache, coproxy::AsyncHttpContext> {
  Task<Action> on_request_headers(size_t, bool) override;
};

// {"ttl": "10s"}
struct Config {
  std::chrono::milliseconds ttl{10000};  // 10000, or "10s"
  void json_fields(coproxy::JsonFields& f) {
    f.optional("ttl", ttl);
    if (ttl.count() < 1) f.invalid("ttl", "must be at least 1ms");
  }
};

class Cache : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter hits{"response_cache_hits_total"};
  coproxy::Counter misses{"response_cache_misses_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

Task<Action> Stream::on_request_headers(size_t, bool) {
  coproxy::Result<coproxy::HostBytes> method = request_headers().get(":method");
  if (!method.ok() || method->view() != "GET") co_return Action::Continue;
  const std::string path = request_headers().get(":path").value_or(coproxy::HostBytes()).str();
  const std::string key = "response_cache:" + path;

  coproxy::Result<coproxy::SharedValue> cached = coproxy::get_shared_data(key);
  if (cached.ok()) {
    const std::optional<Entry> entry = Entry::parse(cached->value.view());
    if (entry && now_ms() < entry->expires_ms) {
      plugin().hits.increment();
      co_return send_local_response(200, entry->body, {{"x-cache", "hit"}});
    }
  }
  plugin().misses.increment();
  auto reply =
      co_await http_call("origin", {{":method", "GET"}, {":path", path}, {":authority", "origin"}});
  if (!reply.ok()) co_return send_local_response(502, "origin unavailable");
  if (reply->status() == 200) {
    const int64_t expires = now_ms() + plugin().config.ttl.count();
    coproxy::set_shared_data(key, std::to_string(expires) + "\n" + std::string(reply->body()));
  }
  co_return send_local_response(reply->status(), reply->body(), {{"x-cache", "miss"}});
}

}  // namespace

COPROXY_REGISTER_PLUGIN(response_cache, Cache);
