#include "coproxy/queue_waiter.h"

#include "coproxy/plugin_context.h"

namespace coproxy {

QueueWaiter::~QueueWaiter() {
  if (plugin_ != nullptr) plugin_->stop_waiting(*this);
}

}  // namespace coproxy
