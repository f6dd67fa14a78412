// json_validation: awaits the whole JSON request body and checks it has the configured keys.
// The configuration is the top-level keys a body must have, separated by spaces ("id name").
// A request that is not application/json is a 415, a body past 4 KiB a 413, a body that is
// not a JSON object or lacks a key a 400. The small validator below is the whole of JSON
// (RFC 8259) minus escapes' meaning: enough to check, not to decode.
// Style: stream coroutine
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::StreamType;

// A minimal JSON validator that collects the top-level object's keys.
class Json {
 public:
  explicit Json(std::string_view text) : text_(text) {}
  // True when the text is one JSON object; `keys` gets its top-level keys (raw).
  bool object(std::vector<std::string_view>& keys) {
    keys_ = &keys;
    space();
    if (!peek('{') || !value(0)) return false;
    space();
    return at_ == text_.size();
  }

 private:
  static constexpr size_t npos = std::string_view::npos;

  bool peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
  bool eat(char c) { return peek(c) ? (++at_, true) : false; }
  void space() {
    while (at_ < text_.size() && std::string_view(" \t\r\n").find(text_[at_]) != npos) ++at_;
  }
  bool word(std::string_view w) {
    if (text_.substr(at_, w.size()) != w) return false;
    at_ += w.size();
    return true;
  }
  bool digits() {
    const size_t from = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    return at_ > from;
  }
  bool number() {
    eat('-');
    if (!eat('0') && !digits()) return false;
    if (eat('.') && !digits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }
  bool string(std::string_view* out) {
    if (!eat('"')) return false;
    const size_t from = at_;
    while (at_ < text_.size() && text_[at_] != '"') {
      if (static_cast<unsigned char>(text_[at_]) < 0x20) return false;
      if (text_[at_] == '\\') ++at_;  // the escaped character, whatever it is
      ++at_;
    }
    if (at_ >= text_.size()) return false;
    if (out) *out = text_.substr(from, at_ - from);
    return eat('"');
  }
  bool value(int depth) {
    if (depth > 32) return false;
    space();
    if (peek('"')) return string(nullptr);
    if (eat('{')) {
      space();
      if (eat('}')) return true;
      do {
        space();
        std::string_view key;
        if (!string(&key)) return false;
        if (depth == 0) keys_->push_back(key);
        space();
        if (!eat(':') || !value(depth + 1)) return false;
        space();
      } while (eat(','));
      return eat('}');
    }
    if (eat('[')) {
      space();
      if (eat(']')) return true;
      do {
        if (!value(depth + 1)) return false;
        space();
      } while (eat(','));
      return eat(']');
    }
    return word("true") || word("false") || word("null") || number();
  }

  std::string_view text_;
  size_t at_ = 0;
  std::vector<std::string_view>* keys_ = nullptr;
};

class Validator;

class Stream : public coproxy::StreamOf<Validator, coproxy::HttpStreamContext> {
  coproxy::Task<void> run() override;
};

class Validator : public coproxy::PluginContext {
 public:
  std::vector<std::string> required;
  coproxy::Counter rejected{"json_validation_rejected_total"};

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    std::string_view text = config.ok() ? config->view() : std::string_view();
    while (!text.empty()) {
      const size_t space = text.find(' ');
      const std::string_view key = text.substr(0, space);
      if (key.find_first_of("\"\\") != std::string_view::npos) {
        coproxy::log_error("json_validation: a key may not hold '\"' or '\\': ", key);
        return false;
      }
      if (!key.empty()) required.emplace_back(key);
      text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    }
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<void> Stream::run() {
  co_await phase(HttpPhase::RequestHeaders);
  coproxy::Result<coproxy::HostBytes> type = request_headers().get("content-type");
  if (!type.ok() || type->view().substr(0, 16) != "application/json") {
    plugin().rejected.increment();
    send_local_response(415, "content-type must be application/json");
    co_return;
  }
  coproxy::Result<coproxy::HostBytes> body = co_await whole_body(StreamType::HttpRequest, 4096);
  if (body.status() == coproxy::StatusCode::TooLarge) {
    plugin().rejected.increment();
    send_local_response(413, "body too large");
    co_return;
  }
  std::vector<std::string_view> keys;
  if (!body.ok() || !Json(body->view()).object(keys)) {
    plugin().rejected.increment();
    send_local_response(400, "invalid JSON object");
    co_return;
  }
  for (const std::string& key : plugin().required) {
    bool found = false;
    for (std::string_view seen : keys) found = found || seen == key;
    if (!found) {
      plugin().rejected.increment();
      send_local_response(400, "missing key: " + key);
      co_return;
    }
  }
}  // valid: the body goes on

}  // namespace

COPROXY_REGISTER_PLUGIN(json_validation, Validator);
