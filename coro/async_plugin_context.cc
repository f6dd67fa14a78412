#include "coro/async_plugin_context.h"

#include <algorithm>

#include "coproxy/effective_context.h"

namespace coproxy {

AsyncPluginContext::~AsyncPluginContext() { background_.clear(); }

void AsyncPluginContext::spawn(Task<void> task, WhenDone when_done) {
  if (!task) return;
  // The task runs as this plugin context, also when spawned from a stream's callback.
  Context* caller = Context::current();
  const bool switch_effective = caller != nullptr && caller != this;
  if (switch_effective) set_effective_context(id());
  {
    detail::CurrentContextScope scope(this);
    task.start();
  }
  if (switch_effective) set_effective_context(caller->id());
  if (task.done()) {
    task.result();  // natively, an exception surfaces here
    return;
  }
  background_.push_back(Background{std::move(task), when_done});
}

bool AsyncPluginContext::handle_plugin_done() {
  const bool plugin_done = on_plugin_done();
  std::erase_if(background_, [](const Background& background) {
    return background.when_done == WhenDone::Cancel;
  });
  // A plugin that defers itself calls done() itself, once its own work (and these tasks) end.
  if (!plugin_done) return false;
  if (background_.empty()) return true;
  done_pending_ = true;  // proxy_done when the last one finishes (reap)
  return false;
}

void AsyncPluginContext::after_event() { reap(); }

void AsyncPluginContext::reap() {
  for (auto it = background_.begin(); it != background_.end();) {
    if (!it->task.done()) {
      ++it;
      continue;
    }
    Task<void> finished = std::move(it->task);
    it = background_.erase(it);
    finished.result();  // natively, an exception surfaces here
  }
  if (done_pending_ && background_.empty()) {
    done_pending_ = false;
    done();
  }
}

}  // namespace coproxy
