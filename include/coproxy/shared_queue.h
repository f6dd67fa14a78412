// Shared queues: messages between plugin instances. The registering plugin context is told
// by on_queue_ready when a message arrives (another VM may have taken it by then).
#pragma once

#include <cstdint>
#include <string_view>

#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

// Registers a queue owned by the calling plugin context; returns its id.
Result<uint32_t> register_shared_queue(std::string_view name);
// Finds the queue `name` registered by VM `vm_id`; NotFound when there is none.
Result<uint32_t> resolve_shared_queue(std::string_view vm_id, std::string_view name);
Status enqueue_shared_queue(uint32_t queue_id, std::string_view message);
// The oldest message; Empty when there is none, NotFound for an unknown queue.
Result<HostBytes> dequeue_shared_queue(uint32_t queue_id);

}  // namespace coproxy
