// desensitize: masks the digits of sensitive values in request bodies, chunk by chunk.
// The configuration is JSON naming the sensitive keys: {"keys": ["phone", "card"]}. A value is
// what follows "key=" or "key": up to the next & , ; } or newline, in a form or JSON body;
// its digits become '*'. Each chunk goes on as soon as it is masked (the length is unchanged,
// so content-length stays right); a key or value split across chunks is followed through.
// Style: stream coroutine
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coro/coro.h"

namespace {

using coproxy::StreamType;

// Where a scan of the body is, carried from one chunk to the next.
class Masker {
 public:
  explicit Masker(const std::vector<std::string>& keys) : keys_(keys) {}
  // Masks `text` in place; returns how many digits it masked.
  uint64_t mask(std::string& text) {
    uint64_t masked = 0;
    for (char& c : text) {
      if (in_value_) {
        if (c >= '0' && c <= '9') {
          c = '*';
          ++masked;
        } else if (std::string_view("&,;}\n").find(c) != std::string_view::npos) {
          in_value_ = false;
        }
      } else if (is_word(c)) {
        if (!word_open_) word_.clear();
        word_open_ = true;
        if (word_.size() < 64) word_ += c;
      } else if (c == '"' || c == ' ' || c == '\t') {
        word_open_ = false;  // the word may still be a key: "phone" :
      } else {
        if (c == '=' || c == ':') in_value_ = is_key(word_);
        word_open_ = false;
        word_.clear();
      }
    }
    return masked;
  }

 private:
  static bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  }
  bool is_key(std::string_view word) const {
    for (const std::string& key : keys_) {
      if (word == key) return true;
    }
    return false;
  }

  const std::vector<std::string>& keys_;
  std::string word_;  // the last word outside a value (a key, maybe)
  bool word_open_ = false;
  bool in_value_ = false;
};

class Desensitize;

class Stream : public coproxy::StreamOf<Desensitize, coproxy::HttpStreamContext> {
  coproxy::Task<void> run() override;
};

// {"keys": ["phone", "card"]}
struct Config {
  std::vector<std::string> keys;
  void json_fields(coproxy::JsonFields& f) {
    f.required("keys", keys);
    if (keys.empty()) f.invalid("keys", "must name at least one key");
  }
};

class Desensitize : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter masked{"desensitize_masked_digits_total"};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<void> Stream::run() {
  Masker masker(plugin().config.keys);
  for (;;) {
    coproxy::Result<coproxy::BodyChunk> chunk = co_await next_chunk(StreamType::HttpRequest);
    if (!chunk.ok()) co_return;  // the body is over (or there was none)
    coproxy::Result<coproxy::HostBytes> bytes = request_body().get(chunk->offset, chunk->size);
    if (!bytes.ok()) co_return;
    std::string text = bytes->str();
    const uint64_t masked = masker.mask(text);
    if (masked == 0) continue;
    request_body().set(chunk->offset, chunk->size, text);
    plugin().masked.increment(masked);
  }
}

}  // namespace

COPROXY_REGISTER_PLUGIN(desensitize, Desensitize);
