// shared_queue: a filter puts every request path on a queue that another plugin consumes.
// This is the sender; shared_queue_receiver.cc registers the queue and counts what arrives.
// The configuration is "<vm_id> <queue>": the receiver's VM id and its queue's name. The queue
// is found the first time it exists (resolve_shared_queue); until then paths are not sent.
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class Sender;

class Stream : public coproxy::StreamOf<Sender> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

class Sender : public coproxy::PluginContext {
 public:
  coproxy::Counter sent{"shared_queue_sent_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    const std::string_view text = config.ok() ? config->view() : "";
    const size_t space = text.find(' ');
    if (space == 0 || space == std::string_view::npos || space + 1 == text.size()) {
      coproxy::log_error("shared_queue: the configuration must be '<vm_id> <queue>', not '", text,
                         "'");
      return false;
    }
    vm_id_ = text.substr(0, space);
    queue_name_ = text.substr(space + 1);
    return true;
  }
  // The queue's id, resolved once it exists.
  coproxy::Result<uint32_t> queue() {
    if (queue_ != 0) return queue_;
    coproxy::Result<uint32_t> found = coproxy::resolve_shared_queue(vm_id_, queue_name_);
    if (found.ok()) queue_ = *found;
    return found;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

 private:
  std::string vm_id_, queue_name_;
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
