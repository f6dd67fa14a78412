#include "coproxy/shared_data.h"

#include "host_call.h"

namespace coproxy {

Result<SharedValue> get_shared_data(std::string_view key) {
  internal::HostOut out;
  uint32_t cas = 0;
  Status status = internal::to_status(
      proxy_get_shared_data(key.data(), key.size(), out.out_data(), out.out_size(), &cas));
  if (!status.ok()) return status;
  return SharedValue{out.take(), cas};
}

Status set_shared_data(std::string_view key, std::string_view value, uint32_t cas) {
  return internal::to_status(
      proxy_set_shared_data(key.data(), key.size(), value.data(), value.size(), cas));
}

}  // namespace coproxy
