// Metrics: counters, gauges and histograms the host exports.
#pragma once

#include <cstdint>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/status.h"

namespace coproxy {

// A metric defined with the host. Define once (e.g. in on_plugin_start) and keep the handle.
class Metric {
 public:
  static Result<Metric> define(MetricType type, std::string_view name);

  uint32_t id() const { return id_; }
  // Adds `delta` (counters and gauges).
  Status increment(int64_t delta = 1) const;
  // Sets a gauge or records a histogram sample.
  Status record(uint64_t value) const;
  Result<uint64_t> get() const;

 private:
  explicit Metric(uint32_t id) : id_(id) {}
  uint32_t id_;
};

inline Result<Metric> define_counter(std::string_view name) {
  return Metric::define(MetricType::Counter, name);
}
inline Result<Metric> define_gauge(std::string_view name) {
  return Metric::define(MetricType::Gauge, name);
}
inline Result<Metric> define_histogram(std::string_view name) {
  return Metric::define(MetricType::Histogram, name);
}

}  // namespace coproxy
