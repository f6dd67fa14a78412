#include "coro/dequeue.h"

#include "coproxy/plugin_context.h"
#include "coproxy/shared_queue.h"

namespace coproxy {

DequeueAwaiter::DequeueAwaiter(std::string_view name) {
  Result<uint32_t> queue = register_shared_queue(name);
  if (queue.ok()) {
    queue_ = *queue;
  } else {
    result_ = queue.status();
  }
}

bool DequeueAwaiter::await_ready() {
  if (result_.status().code() != StatusCode::Empty) return true;  // the name was refused
  result_ = dequeue_shared_queue(queue_);
  return result_.status().code() != StatusCode::Empty;
}

bool DequeueAwaiter::await_suspend(std::coroutine_handle<> awaiter) {
  Context* owner = Context::current();
  if (owner == nullptr) {
    result_ = StatusCode::InternalFailure;
    return false;
  }
  awaiter_ = awaiter;
  owner->plugin().wait_for_queue(*this, *owner, queue_);
  return true;
}

void DequeueAwaiter::on_ready() {
  result_ = dequeue_shared_queue(queue_);
  if (result_.status().code() == StatusCode::Empty) {
    // Someone else took it: wait for the next signal (the owner is current while we wake).
    Context::current()->plugin().wait_for_queue(*this, *Context::current(), queue_);
    return;
  }
  awaiter_.resume();  // this awaiter may be gone afterwards
}

}  // namespace coproxy
