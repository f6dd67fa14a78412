// Metrics: counters, gauges and histograms the host exports (Envoy: its stats, scraped from
// the admin endpoint).
//
// Counter, Gauge and Histogram are plain members, named when constructed. Those of a plugin
// context are defined with the host as the plugin is made, before it starts, so each is in the
// host's stats (at 0) from the start, not only from its first use; any other (a metric made
// later, with a name known only then) is defined on first use. Keep them in the plugin context
// (a stream reaches them through its plugin), so each is defined once per plugin:
//
//   class Plugin : public coproxy::PluginContext {
//    public:
//     coproxy::Counter requests{"myfilter_requests_total"};
//     coproxy::Histogram auth_ms{"myfilter_auth_ms"};
//   };
//   plugin().requests.increment();
//
// Tags go in the name, as Envoy's stats_tags extract them (tagged_metric_name).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/status.h"

namespace coproxy {

// A metric defined with the host: its id. Define once and keep the handle (or use Counter,
// Gauge, Histogram below, which do it for you).
class Metric {
 public:
  static Result<Metric> define(MetricType type, std::string_view name);
  // The metric the host gave `id` (ids may be 0: Envoy's first counter is).
  explicit Metric(uint32_t id) : id_(id) {}

  uint32_t id() const { return id_; }
  // Adds `delta` (counters and gauges).
  Status increment(int64_t delta = 1) const;
  // Sets a gauge or records a histogram sample.
  Status record(uint64_t value) const;
  Result<uint64_t> get() const;

 private:
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

// One tag of a metric name: tagged_metric_name("requests", {{"method", "GET"}}).
struct MetricTag {
  std::string_view name;
  std::string_view value;
};

// "requests_method=GET_code=200": the base name, then "_name=value" per tag. Envoy turns each
// into a tag with a stats_tags entry whose regex is the tag's part of the name, e.g.
//   stats_config: {stats_tags: [{tag_name: method, regex: "(_method=([^_.]+))"}]}
// (Envoy adds the "wasmcustom." prefix itself). Keep '_' and '.' out of tag values.
std::string tagged_metric_name(std::string_view base, std::initializer_list<MetricTag> tags);

namespace detail {

// A metric by name, defined with the host the first time it is used. A definition the host
// refuses is tried again on the next use (each use returns the host's error meanwhile).
class LazyMetric {
 public:
  LazyMetric(MetricType type, std::string name);
  LazyMetric(const LazyMetric& other);
  LazyMetric& operator=(const LazyMetric& other) = default;
  ~LazyMetric();

  const std::string& name() const { return name_; }
  // Metric's operations, on the metric defined first if needed.
  Status increment(int64_t delta);
  Status record(uint64_t value);
  Result<uint64_t> get();

 private:
  // The host's id for it, defining it first if needed.
  Result<Metric> metric();

  friend class PluginMetrics;
  // PluginMetrics::define_all reaches metric() through this, so that a module without metrics
  // links no definition code (and imports no proxy_define_metric).
  static void define_now(LazyMetric* metric);

  std::string name_;
  MetricType type_;
  uint32_t id_ = 0;
  bool defined_ = false;
};

// While a plugin context is made (Dispatcher::create_plugin): collects the metrics its members
// construct, and defines them before the plugin starts. One at a time, on the stack, with room
// for kCapacity metrics (no heap, no container code in a module that has none); a plugin with
// more has the rest defined on first use.
class PluginMetrics {
 public:
  static constexpr size_t kCapacity = 64;

  PluginMetrics();
  ~PluginMetrics();
  PluginMetrics(const PluginMetrics&) = delete;
  PluginMetrics& operator=(const PluginMetrics&) = delete;

  // Defines every metric collected; one the host refuses is tried again on its first use.
  void define_all();

 private:
  friend class LazyMetric;
  static void constructed(LazyMetric* metric, void (*define)(LazyMetric*));
  static void destroyed(LazyMetric* metric);

  LazyMetric* metrics_[kCapacity];
  size_t count_ = 0;
  void (*define_)(LazyMetric*) = nullptr;  // LazyMetric::define_now, once one was made
  PluginMetrics* outer_;
};

}  // namespace detail

// A counter: only goes up.
class Counter {
 public:
  explicit Counter(std::string name) : metric_(MetricType::Counter, std::move(name)) {}
  const std::string& name() const { return metric_.name(); }
  Status increment(int64_t delta = 1) { return metric_.increment(delta); }
  Result<uint64_t> get() { return metric_.get(); }

 private:
  detail::LazyMetric metric_;
};

// A gauge: a value that is set, or moved up and down.
class Gauge {
 public:
  explicit Gauge(std::string name) : metric_(MetricType::Gauge, std::move(name)) {}
  const std::string& name() const { return metric_.name(); }
  Status set(uint64_t value) { return metric_.record(value); }
  Status add(int64_t delta) { return metric_.increment(delta); }
  Result<uint64_t> get() { return metric_.get(); }

 private:
  detail::LazyMetric metric_;
};

// A histogram: each sample is recorded (the host computes the quantiles).
class Histogram {
 public:
  explicit Histogram(std::string name) : metric_(MetricType::Histogram, std::move(name)) {}
  const std::string& name() const { return metric_.name(); }
  Status record(uint64_t value) { return metric_.record(value); }

 private:
  detail::LazyMetric metric_;
};

}  // namespace coproxy
