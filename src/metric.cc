#include "coproxy/metric.h"

#include <cstddef>
#include <string>
#include <utility>

#include "host_call.h"

namespace coproxy {

using internal::to_status;

Result<Metric> Metric::define(MetricType type, std::string_view name) {
  uint32_t id = 0;
  Status status =
      to_status(proxy_define_metric(internal::wire(type), name.data(), name.size(), &id));
  if (!status.ok()) return status;
  return Metric(id);
}

Status Metric::increment(int64_t delta) const { return to_status(proxy_increment_metric(id_, delta)); }

Status Metric::record(uint64_t value) const { return to_status(proxy_record_metric(id_, value)); }

Result<uint64_t> Metric::get() const {
  uint64_t value = 0;
  Status status = to_status(proxy_get_metric(id_, &value));
  if (!status.ok()) return status;
  return value;
}

std::string tagged_metric_name(std::string_view base, std::initializer_list<MetricTag> tags) {
  std::string name(base);
  for (const MetricTag& tag : tags) {
    name += '_';
    name += tag.name;
    name += '=';
    name += tag.value;
  }
  return name;
}

namespace detail {
namespace {
PluginMetrics* collecting = nullptr;  // while a plugin context is made
}  // namespace

PluginMetrics::PluginMetrics() : outer_(collecting) { collecting = this; }
PluginMetrics::~PluginMetrics() { collecting = outer_; }

void PluginMetrics::define_all() {
  for (size_t i = 0; i < count_; ++i) define_(metrics_[i]);
  count_ = 0;
}

void PluginMetrics::constructed(LazyMetric* metric, void (*define)(LazyMetric*)) {
  if (collecting != nullptr && collecting->count_ < kCapacity) {
    collecting->metrics_[collecting->count_++] = metric;
    collecting->define_ = define;
  }
}

// A metric the plugin's constructor made and dropped again (a local, a temporary).
void PluginMetrics::destroyed(LazyMetric* metric) {
  if (collecting == nullptr) return;
  LazyMetric** metrics = collecting->metrics_;
  for (size_t i = collecting->count_; i-- > 0;) {
    if (metrics[i] == metric) {
      for (size_t j = i + 1; j < collecting->count_; ++j) metrics[j - 1] = metrics[j];
      --collecting->count_;
      return;
    }
  }
}

LazyMetric::LazyMetric(MetricType type, std::string name) : name_(std::move(name)), type_(type) {
  PluginMetrics::constructed(this, &define_now);
}

LazyMetric::LazyMetric(const LazyMetric& other)
    : name_(other.name_), type_(other.type_), id_(other.id_), defined_(other.defined_) {
  PluginMetrics::constructed(this, &define_now);
}

void LazyMetric::define_now(LazyMetric* metric) { (void)metric->metric(); }

LazyMetric::~LazyMetric() { PluginMetrics::destroyed(this); }

Result<Metric> LazyMetric::metric() {
  if (!defined_) {
    Result<Metric> defined = Metric::define(type_, name_);
    if (!defined.ok()) return defined;
    id_ = defined->id();
    defined_ = true;
  }
  return Metric(id_);
}

Status LazyMetric::increment(int64_t delta) {
  Result<Metric> defined = metric();
  return defined.ok() ? defined->increment(delta) : defined.status();
}

Status LazyMetric::record(uint64_t value) {
  Result<Metric> defined = metric();
  return defined.ok() ? defined->record(value) : defined.status();
}

Result<uint64_t> LazyMetric::get() {
  Result<Metric> defined = metric();
  return defined.ok() ? defined->get() : Result<uint64_t>(defined.status());
}

}  // namespace detail

}  // namespace coproxy
