#include "coproxy/metric.h"

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

}  // namespace coproxy
