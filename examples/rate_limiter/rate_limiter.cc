// rate_limiter: a token bucket in shared data, refilled by a background task; 429 when empty.
// Configuration: "capacity=N refill=N interval_ms=N" (defaults 10, 10, 1000; any may be left
// out). Every request takes a token; a request that finds none is answered 429. The bucket is
// shared by every worker's VM: it keeps "tokens interval" where interval counts time on the
// host clock, so however many workers' tasks wake up, each interval is refilled once.
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

class Limiter;

class Stream : public coproxy::StreamOf<Limiter> {
  Action on_request_headers(size_t, bool) override;
};

class Limiter : public coproxy::AsyncPluginContext {
 public:
  int64_t capacity = 10, refill = 10, interval_ms = 1000;
  coproxy::Counter limited{"rate_limiter_limited_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    std::string_view words = config.ok() ? config->view() : std::string_view();
    while (!words.empty()) {
      const std::string_view word = words.substr(0, words.find(' '));
      words.remove_prefix(std::min(words.size(), word.size() + 1));
      if (word.empty()) continue;
      const size_t equals = word.find('=');
      const std::string_view key = word.substr(0, equals);
      int64_t* field = key == "capacity"      ? &capacity
                       : key == "refill"      ? &refill
                       : key == "interval_ms" ? &interval_ms
                                              : nullptr;
      if (equals == std::string_view::npos || field == nullptr ||
          !parse_number(word.substr(equals + 1), *field) || *field <= 0) {
        coproxy::log_error("rate_limiter: bad configuration word '", word, "'");
        return false;
      }
    }
    spawn(refill_forever());
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

  // The interval the host clock is in now.
  int64_t now_interval() const {
    const auto since_epoch = coproxy::HostClock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() / interval_ms;
  }

  // Takes a token; false when the bucket is empty. A bucket never set up starts full.
  bool take() {
    bool taken = false;
    const coproxy::Status status = coproxy::update_shared_data(
        kBucket, [&](std::optional<std::string_view> now) -> std::optional<std::string> {
          std::optional<Bucket> bucket =
              now ? Bucket::parse(*now) : Bucket{capacity, now_interval()};
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
            if (!bucket) return Bucket{capacity, current}.str();   // first, or unreadable
            if (bucket->interval >= current) return std::nullopt;  // another worker did it
            const int64_t added = refill * (current - bucket->interval);
            return Bucket{std::min(capacity, bucket->tokens + added), current}.str();
          });
      if (!(co_await coproxy::sleep(std::chrono::milliseconds(interval_ms))).ok()) co_return;
    }
  }
};

Action Stream::on_request_headers(size_t, bool) {
  if (plugin().take()) return Action::Continue;
  plugin().limited.increment();
  const std::string retry_after = std::to_string((plugin().interval_ms + 999) / 1000);
  return send_local_response(429, "too many requests", {{"retry-after", retry_after}});
}

}  // namespace

COPROXY_REGISTER_PLUGIN(rate_limiter, Limiter);
