// The JSON library comparison (BENCHMARKS.md, "JSON configuration"): one configuration, read
// into one struct by each library, in plugins that differ only in how they read it. Each logs
// the struct's summary, which bench/config_cost.cc checks: a module that stops reading fails.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bench {

// A configuration of the size and shape plugins take: strings, numbers, a list, an object of
// headers and a nested object (357 bytes).
inline constexpr const char kConfigText[] = R"({
  "cluster": "auth",
  "timeout_ms": 250,
  "fail_open": false,
  "allow": ["/health", "/metrics", "/public/", "/static/"],
  "headers": {"x-env": "prod", "x-team": "core", "x-region": "eu-west-1"},
  "rate": {"requests": 100, "window_ms": 1000, "burst": 20},
  "deny_message": "access denied by the auth filter; ask #platform for help",
  "ratio": 0.25
})";

struct RateConfig {
  int64_t requests = 0;
  int64_t window_ms = 0;
  int64_t burst = 0;
};

struct BenchConfig {
  std::string cluster;
  int64_t timeout_ms = 0;
  bool fail_open = true;
  std::vector<std::string> allow;
  std::vector<std::pair<std::string, std::string>> headers;
  RateConfig rate;
  std::string deny_message;
  double ratio = 0;
};

// What the driver expects in the log: the configuration above, read.
inline constexpr const char kConfigSummary[] = "auth 250 0 4 3 100 1000 20 56 25";

inline std::string summary(const BenchConfig& c) {
  return c.cluster + " " + std::to_string(c.timeout_ms) + " " + (c.fail_open ? "1" : "0") + " " +
         std::to_string(c.allow.size()) + " " + std::to_string(c.headers.size()) + " " +
         std::to_string(c.rate.requests) + " " + std::to_string(c.rate.window_ms) + " " +
         std::to_string(c.rate.burst) + " " + std::to_string(c.deny_message.size()) + " " +
         std::to_string(static_cast<int>(c.ratio * 100));
}

}  // namespace bench
