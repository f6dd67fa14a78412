#include "coro/sleep.h"

#include "coproxy/plugin_context.h"

namespace coproxy {

bool SleepAwaiter::await_suspend(std::coroutine_handle<> awaiter) {
  Context* owner = Context::current();
  if (owner == nullptr) {
    status_ = StatusCode::InternalFailure;
    return false;
  }
  awaiter_ = awaiter;
  status_ = owner->plugin().start_timer(*this, *owner, delay_);
  return status_.ok();
}

}  // namespace coproxy
