// AsyncPluginContext: a plugin context that runs background tasks, e.g. a refresh loop:
//
//   bool on_plugin_start(size_t) override {
//     spawn(refresh_forever());             // sleep -> callout -> update shared data
//     return true;
//   }
//
// A background task belongs to the plugin context: its waits are the plugin's, and it lives
// until it finishes or the plugin goes. WhenDone::Cancel (default): when the host deletes the
// plugin, the task is destroyed (destructors run, waits end, gRPC calls are cancelled).
// WhenDone::Finish: the plugin waits for it: proxy_on_done answers false and, when the last
// such task has finished, proxy_done tells the host. (A plugin whose on_plugin_done returns
// false calls done() itself, when its own work and these tasks are over.)
#pragma once

#include <cstddef>
#include <vector>

#include "coproxy/plugin_context.h"
#include "coro/task.h"

namespace coproxy {

class AsyncPluginContext : public PluginContext {
 public:
  enum class WhenDone : uint8_t { Cancel, Finish };

  AsyncPluginContext() = default;
  // Background tasks go first, while the plugin context is whole.
  ~AsyncPluginContext() override;

  // Starts `task` now, in this plugin context, and keeps it until it finishes.
  void spawn(Task<void> task, WhenDone when_done = WhenDone::Cancel);

  bool handle_plugin_done() override;
  void after_event() override;

 private:
  struct Background {
    Task<void> task;
    WhenDone when_done;
  };
  // Drops the tasks that have finished; tells the host once a pending done can complete.
  void reap();

  std::vector<Background> background_;
  bool done_pending_ = false;
};

}  // namespace coproxy
