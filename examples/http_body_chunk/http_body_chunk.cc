// http_body_chunk: passes the request body on chunk by chunk; a 403 once a forbidden word shows.
// The configuration is JSON, {"word": "secret"} (the default is "forbidden"). The chunks
// before it have gone on already; a word split across two chunks is found too (the tail of the chunk before is
// kept).
// Style: stream coroutine
#include <memory>
#include <string>

#include "coro/coro.h"

namespace {

using coproxy::StreamType;

class Guard;

class Stream : public coproxy::StreamOf<Guard, coproxy::HttpStreamContext> {
  coproxy::Task<void> run() override;
};

struct Config {
  std::string word = "forbidden";
  void json_fields(coproxy::JsonFields& f) {
    f.optional("word", word);
    if (word.empty()) f.invalid("word", "must not be empty");  // every body would hold it
  }
};

class Guard : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter chunks{"http_body_chunk_chunks_total"};
  coproxy::Counter blocked{"http_body_chunk_blocked_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Task<void> Stream::run() {
  Guard& guard = plugin();
  const std::string& word = guard.config.word;
  std::string seen;  // the end of the chunk before (up to the word's length - 1), then this one
  for (;;) {
    coproxy::Result<coproxy::BodyChunk> chunk = co_await next_chunk(StreamType::HttpRequest);
    if (!chunk.ok()) co_return;  // the body is over (or there was none)
    guard.chunks.increment();
    coproxy::Result<coproxy::HostBytes> bytes = request_body().get(chunk->offset, chunk->size);
    if (!bytes.ok()) co_return;
    seen += bytes->view();
    if (seen.find(word) != std::string::npos) {
      guard.blocked.increment();
      coproxy::log_info("http_body_chunk: '", word, "' in the body");
      send_local_response(403, "forbidden word in the body");
      co_return;
    }
    const size_t keep = word.size() - 1;
    if (seen.size() > keep) seen.erase(0, seen.size() - keep);
  }
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_body_chunk, Guard);
