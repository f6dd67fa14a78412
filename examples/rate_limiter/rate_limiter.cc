// rate_limiter: a token bucket in shared data, refilled by a background task; 429 when empty.
// The configuration is JSON, {"capacity": 5, "refill": 5, "interval": "1s"}: the bucket's
// size, the tokens added each interval, and the interval (milliseconds or a duration); the
// defaults are 10, 10 and 1 s, and any may be left out. Every request takes a token; a request
// that finds none is answered 429. The bucket is shared by every worker's VM: it keeps "tokens
// interval" where interval counts time on the host clock, so however many workers' tasks wake
// up, each interval is refilled once.
// Style: callbacks + background task
#include <algorithm>
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
using coproxy::Task;

constexpr std::string_view kBucket = "rate_limiter_bucket";

// A number in the shared value.
bool parse_number(std::string_view text, int64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// The shared value "tokens interval".
struct Bucket {
  int64_t tokens = 0;
  int64_t interval = 0;

  static std::optional<Bucket> parse(std::string_view text) {
    Bucket bucket;
    const size_t space = text.find(' ');
    if (space == std::string_view::npos || !parse_number(text.substr(0, space), bucket.tokens) ||
        !parse_number(text.substr(space + 1), bucket.interval)) {
      return std::nullopt;
    }
    return bucket;
  }
  std::string str() const { return std::to_string(tokens) + " " + std::to_string(interval); }
};

// {"capacity": 5, "refill": 5, "interval": "1s"}
struct Config {
  int64_t capacity = 10;                     // tokens the bucket holds
  int64_t refill = 10;                       // tokens added each interval
  std::chrono::milliseconds interval{1000};  // 1000, or "1s"
  void json_fields(coproxy::JsonFields& f) {
    f.optional("capacity", capacity);
    if (capacity < 1) f.invalid("capacity", "must be at least 1");
    f.optional("refill", refill);
    if (refill < 1) f.invalid("refill", "must be at least 1");
    f.optional("interval", interval);
    if (interval.count() < 1) f.invalid("interval", "must be at least 1ms");
  }
};

class Limiter;

class Stream : public coproxy::StreamOf<Limiter> {
  Action on_request_headers(size_t, bool) override;
};

class Limiter : public coproxy::AsyncPluginContext {
 public:
  Config config;
  coproxy::Counter limited{"rate_limiter_limited_total"};

  bool on_plugin_start(size_t) override {
    if (!coproxy::read_plugin_configuration(config)) return false;
    spawn(refill_forever());
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

  // The interval the host clock is in now.
  int64_t now_interval() const {
    const auto since_epoch = coproxy::HostClock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() /
           config.interval.count();
  }

  // Takes a token; false when the bucket is empty. A bucket never set up starts full.
  bool take() {
    bool taken = false;
    const coproxy::Status status = coproxy::update_shared_data(
        kBucket, [&](std::optional<std::string_view> now) -> std::optional<std::string> {
          std::optional<Bucket> bucket =
              now ? Bucket::parse(*now) : Bucket{config.capacity, now_interval()};
          taken = bucket && bucket->tokens > 0;
          if (!taken) return std::nullopt;
          --bucket->tokens;
          return bucket->str();
        });
    return status.ok() && taken;
  }

 private:
  Task<void> refill_forever() {
    for (;;) {
      const int64_t current = now_interval();
      coproxy::update_shared_data(
          kBucket, [&](std::optional<std::string_view> now) -> std::optional<std::string> {
            std::optional<Bucket> bucket = now ? Bucket::parse(*now) : std::nullopt;
            if (!bucket) return Bucket{config.capacity, current}.str();  // first, or unreadable
            if (bucket->interval >= current) return std::nullopt;        // another worker did it
            const int64_t added = config.refill * (current - bucket->interval);
            return Bucket{std::min(config.capacity, bucket->tokens + added), current}.str();
          });
      if (!(co_await coproxy::sleep(config.interval)).ok()) co_return;
    }
  }
};

Action Stream::on_request_headers(size_t, bool) {
  if (plugin().take()) return Action::Continue;
  plugin().limited.increment();
  const std::string retry_after = std::to_string((plugin().config.interval.count() + 999) / 1000);
  return send_local_response(429, "too many requests", {{"retry-after", retry_after}});
}

}  // namespace

COPROXY_REGISTER_PLUGIN(rate_limiter, Limiter);
