// shared_queue_receiver: a background task takes every path from the queue and counts it.
// The receiver of examples/shared_queue: its configuration is the queue's name (default
// http_paths); dequeue("name") registers the queue and waits for each message.
// Style: background task
#include <string>

#include "coro/coro.h"

namespace {

class Receiver : public coproxy::AsyncPluginContext {
 public:
  coproxy::Counter received{"shared_queue_received_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    spawn(receive(config.ok() && !config->empty() ? config->str() : "http_paths"));
    return true;
  }

 private:
  coproxy::Task<void> receive(std::string queue) {
    for (;;) {
      coproxy::Result<coproxy::HostBytes> path = co_await coproxy::dequeue(queue);
      if (!path.ok()) {
        coproxy::log_error("shared_queue_receiver: queue ", queue, ": ", path.status().name());
        co_return;
      }
      received.increment();
      coproxy::log_info("shared_queue_receiver: ", path->view());
    }
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(shared_queue_receiver, Receiver);
