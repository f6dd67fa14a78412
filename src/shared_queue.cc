#include "coproxy/shared_queue.h"

#include "host_call.h"

namespace coproxy {

using internal::to_status;

Result<uint32_t> register_shared_queue(std::string_view name) {
  uint32_t id = 0;
  Status status = to_status(proxy_register_shared_queue(name.data(), name.size(), &id));
  if (!status.ok()) return status;
  return id;
}

Result<uint32_t> resolve_shared_queue(std::string_view vm_id, std::string_view name) {
  uint32_t id = 0;
  Status status = to_status(
      proxy_resolve_shared_queue(vm_id.data(), vm_id.size(), name.data(), name.size(), &id));
  if (!status.ok()) return status;
  return id;
}

Status enqueue_shared_queue(uint32_t queue_id, std::string_view message) {
  return to_status(proxy_enqueue_shared_queue(queue_id, message.data(), message.size()));
}

Result<HostBytes> dequeue_shared_queue(uint32_t queue_id) {
  return internal::read_host_bytes([&](const char** data, size_t* size) {
    return proxy_dequeue_shared_queue(queue_id, data, size);
  });
}

}  // namespace coproxy
