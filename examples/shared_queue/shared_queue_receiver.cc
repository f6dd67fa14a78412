// shared_queue_receiver: a background task takes every path from the queue and counts it.
// The receiver of examples/shared_queue: its configuration is JSON, {"queue": "http_paths"}, the
// queue's name (default http_paths); dequeue("name") registers the queue and waits for each
// message.
// Style: background task
#include <string>

#include "coro/coro.h"

namespace {

// {"queue": "http_paths"}
struct Config {
  std::string queue = "http_paths";
  void json_fields(coproxy::JsonFields& f) {
    f.optional("queue", queue);
    if (queue.empty()) f.invalid("queue", "must name a queue");
  }
};

class Receiver : public coproxy::AsyncPluginContext {
 public:
  coproxy::Counter received{"shared_queue_received_total"};

  bool on_plugin_start(size_t) override {
    Config config;
    if (!coproxy::read_plugin_configuration(config)) return false;
    spawn(receive(config.queue));
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
