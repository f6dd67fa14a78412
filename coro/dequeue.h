// co_await dequeue(queue_id): the next message of a shared queue, waiting for one if needed.
//
// It tries the queue first; when it is empty, it waits for the queue's ready signal
// (proxy_on_queue_ready on the plugin context that registered the queue) and tries again. A
// signal may find the queue empty (another consumer was first): it then waits for the next.
// Errors other than an empty queue (an unknown queue: NotFound) come back at once.
#pragma once

#include <coroutine>
#include <cstdint>

#include "coproxy/host_bytes.h"
#include "coproxy/queue_waiter.h"
#include "coproxy/status.h"

namespace coproxy {

class [[nodiscard]] DequeueAwaiter final : public QueueWaiter {
 public:
  explicit DequeueAwaiter(uint32_t queue) : queue_(queue) {}

  bool await_ready();
  bool await_suspend(std::coroutine_handle<> awaiter);
  Result<HostBytes> await_resume() { return std::move(result_); }

  void on_ready() override;

 private:
  uint32_t queue_;
  Result<HostBytes> result_{StatusCode::Empty};
  std::coroutine_handle<> awaiter_;
};

inline DequeueAwaiter dequeue(uint32_t queue_id) { return DequeueAwaiter(queue_id); }

}  // namespace coproxy
