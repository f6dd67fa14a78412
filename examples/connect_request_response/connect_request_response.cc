// connect_request_response: a request's tag set in shared data is read back by its response.
// The Go SDK example of that name writes one shared key from every request, so concurrent
// requests overwrite each other's value. Here the request headers take a tag from a shared
// counter (unique across workers) and store it under a key of their own, the request's
// x-request-id; the response reads it back: x-request-tag on its headers, and a log line per
// body chunk with the tag, the chunk and whether it is the last. The key is emptied when the
// stream ends (the ABI cannot delete shared data).
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

using coproxy::Action;

class Correlated : public coproxy::HttpContext {
  Action on_request_headers(size_t, bool) override {
    coproxy::Result<coproxy::HostBytes> id = request_headers().get("x-request-id");
    if (!id.ok() || id->empty()) {
      coproxy::log_warn("request without x-request-id: not tagged");
      return Action::Continue;
    }
    key_ = "connect_request_response:" + id->str();
    coproxy::Result<int64_t> tag = coproxy::SharedCounter("connect_request_response_tags").add();
    if (!tag.ok() || !coproxy::set_shared_data(key_, std::to_string(*tag)).ok()) {
      coproxy::log_warn("request ", id->view(), ": shared data refused, not tagged");
      key_.clear();
      return Action::Continue;
    }
    coproxy::log_info("request ", id->view(), " tagged ", *tag);
    return Action::Continue;
  }
  Action on_response_headers(size_t, bool) override {
    const std::string tag = read_tag();
    if (!tag.empty()) response_headers().replace("x-request-tag", tag);
    return Action::Continue;
  }
  Action on_response_body(size_t size, bool end_of_stream) override {
    const std::string tag = read_tag();
    coproxy::Result<coproxy::HostBytes> body = response_body().get(0, size);
    coproxy::log_info("response for tag ", tag.empty() ? "none" : tag, ", end ", end_of_stream,
                      ": ", body.ok() ? body->view() : "(unreadable)");
    return Action::Continue;
  }
  void on_stream_done() override {
    if (!key_.empty()) coproxy::set_shared_data(key_, "");
  }

  // The tag the request stored; empty when it has none.
  std::string read_tag() const {
    if (key_.empty()) return "";
    coproxy::Result<coproxy::SharedValue> stored = coproxy::get_shared_data(key_);
    return stored.ok() ? stored->value.str() : "";
  }

  std::string key_;  // this request's key in shared data
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Correlated>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(connect_request_response, Plugin);
