// tcp_line_gate: a TCP connection goes through once its first line names a known token.
// The client's first line must be "AUTH <token>\r\n"; that line is taken out, so the server sees
// the client's bytes after it. A connection whose first line is missing, too long, late or
// names an unknown token is closed, and nothing of it reaches the server. The configuration
// is JSON: {"tokens": ["s3cret"], "max_line": 256, "timeout": "5s"} (tokens required).
// Style: stream coroutine
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/text.h"
#include "coro/coro.h"

namespace {

using coproxy::Result;
using DataLine = coproxy::TcpStreamContext::DataLine;
using coproxy::StatusCode;
using coproxy::StreamType;
using coproxy::Task;

struct Config {
  std::vector<std::string> tokens;         // the tokens a client may name
  int64_t max_line = 256;                  // the longest first line, in bytes
  std::chrono::milliseconds timeout{5000}; // how long the client has to send it
  void json_fields(coproxy::JsonFields& f) {
    f.required("tokens", tokens);
    if (tokens.empty()) f.invalid("tokens", "must name at least one token");
    f.optional("max_line", max_line);
    if (max_line < 1) f.invalid("max_line", "must be at least 1");
    f.optional("timeout", timeout);
    if (timeout.count() < 1) f.invalid("timeout", "must be at least 1ms");
  }
};

class Gate;

class Connection : public coproxy::StreamOf<Gate, coproxy::TcpStreamContext> {
  Task<void> run() override;
  // Closes the connection: none of what the client sent goes on.
  void refuse(std::string_view why);
};

class Gate : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter admitted{"tcp_line_gate_admitted_total"};
  coproxy::Counter refused{"tcp_line_gate_refused_total"};

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override {
    return std::make_unique<Connection>();
  }
  bool knows(std::string_view token) const {
    return std::find(config.tokens.begin(), config.tokens.end(), token) != config.tokens.end();
  }
};

// Why a first line did not come, for the log.
std::string_view no_line(StatusCode code) {
  switch (code) {
    case StatusCode::Timeout: return "no first line in time";
    case StatusCode::TooLarge: return "first line too long";
    case StatusCode::NotFound: return "closed before a first line";
    default: return "first line unreadable";
  }
}

Task<void> Connection::run() {
  const Config& config = plugin().config;
  Result<DataLine> line = co_await coproxy::with_timeout(
      read_line(StreamType::Downstream, static_cast<size_t>(config.max_line)), config.timeout);
  if (!line.ok()) co_return refuse(no_line(line.status().code()));
  const std::string_view command = coproxy::trim(line->text);  // "AUTH <token>"
  const size_t space = command.find(' ');
  if (space == std::string_view::npos || command.substr(0, space) != "AUTH" ||
      !plugin().knows(coproxy::trim(command.substr(space + 1)))) {
    co_return refuse("unknown token");
  }
  // Out with the AUTH line; the rest of the held bytes go on, and so does all that follows.
  downstream_data().set(line->offset, line->size, "");
  plugin().admitted.increment();
  let_go(StreamType::Downstream);
}

void Connection::refuse(std::string_view why) {
  plugin().refused.increment();
  coproxy::log_info("tcp_line_gate: connection " + std::to_string(id()) + " refused: " +
                    std::string(why));
  close();
}

}  // namespace

COPROXY_REGISTER_PLUGIN(tcp_line_gate, Gate);
