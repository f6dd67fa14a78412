#include "coproxy/timer.h"

#include "coproxy/plugin_context.h"

namespace coproxy {

Timer::~Timer() {
  if (plugin_ != nullptr) plugin_->cancel_timer(*this);
}

}  // namespace coproxy
