// shared_queue: a filter puts every request path on a queue that another plugin consumes.
// This is the sender; shared_queue_receiver.cc registers the queue and counts what arrives.
// The configuration is JSON, {"vm_id": "receiver", "queue": "http_paths"}: the receiver's VM id
// (required) and its queue's name (default http_paths). The queue is found the first time it
// exists (resolve_shared_queue); until then paths are not sent.
// Style: callbacks
#include <memory>
#include <string>

#include "coproxy/coproxy.h"

namespace {

class Sender;

class Stream : public coproxy::StreamOf<Sender> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

// {"vm_id": "receiver", "queue": "http_paths"}
struct Config {
  std::string vm_id;  // "" is a VM without a vm_id
  std::string queue = "http_paths";
  void json_fields(coproxy::JsonFields& f) {
    f.required("vm_id", vm_id);
    f.optional("queue", queue);
    if (queue.empty()) f.invalid("queue", "must name a queue");
  }
};

class Sender : public coproxy::PluginContext {
 public:
  coproxy::Counter sent{"shared_queue_sent_total"};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config_, {.required = true});
  }
  // The queue's id, resolved once it exists.
  coproxy::Result<uint32_t> queue() {
    if (queue_ != 0) return queue_;
    coproxy::Result<uint32_t> found = coproxy::resolve_shared_queue(config_.vm_id, config_.queue);
    if (found.ok()) queue_ = *found;
    return found;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

 private:
  Config config_;
  uint32_t queue_ = 0;
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  coproxy::Result<uint32_t> queue = plugin().queue();
  coproxy::Result<coproxy::HostBytes> path = request_headers().get(":path");
  if (!queue.ok()) {
    coproxy::log_warn("shared_queue: no queue yet (", queue.status().name(), ")");
  } else if (path.ok() && coproxy::enqueue_shared_queue(*queue, path->view()).ok()) {
    plugin().sent.increment();
  }
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(shared_queue, Sender);
