// linear_probe: one coroutine per HTTP stream (HttpStreamContext), for tests/linear_test.cc on
// both backends. The request header x-flow picks what run() does after the request headers
// (the frame's witness logs "destroyed run" when it dies):
//   phases      every headers/trailers phase in order, each changed in its own phase
//   skip        request headers, then response headers; everything else flows
//   whole       the whole request body (limit x-limit), upper-cased; 413 past the limit
//   chunks      the request body chunk by chunk, upper-cased; x-sleep ms of work per chunk
//   local       a 403 from the phase named by x-at (request-body, response-headers, ...)
//   callout     an auth callout with a timeout of x-ms (with_timeout), then on
//   sleep       x-ms of delay, then on
//   close       x-ms of delay, then close the stream
//   patient     the first request body chunk with a timeout of x-ms, then response headers
//   both        when_all of two callouts, then when_any of two, then on
//   reply-while-waiting  when_all(the whole request body, a 403 after x-ms)
#include <cctype>
#include <chrono>
#include <string>
#include <string_view>

#include "coro/coro.h"
#include "tests/support/probe_support.h"

namespace {

using namespace coproxy::probe;
using coproxy::Action;
using coproxy::HttpPhase;
using coproxy::Result;
using coproxy::StreamType;
using coproxy::Task;

void log_phase(std::string_view name, const Result<coproxy::PhaseEvent>& event) {
  if (!event.ok()) {
    coproxy::log_info(name, " error ", code(event.status()));
  } else {
    coproxy::log_info(name, " ", number(event->count), event->end_of_stream ? " end" : "");
  }
}

Task<Result<coproxy::HttpReply>> call(std::string upstream) {
  co_return co_await coproxy::http_call(
      upstream, {{":method", "GET"}, {":path", "/"}, {":authority", upstream}});
}

class Linear : public coproxy::HttpStreamContext {
 public:
  Task<void> run() override {
    Witness witness("run");
    log_phase("request headers", co_await phase(HttpPhase::RequestHeaders));
    const std::string flow = header_or("x-flow", "phases");
    const uint64_t ms = parse_number(header_or("x-ms", "100"));
    if (flow == "phases") {
      request_headers().add("x-phase", "request");
      Result<coproxy::PhaseEvent> trailers = co_await phase(HttpPhase::RequestTrailers);
      log_phase("request trailers", trailers);
      if (trailers.ok()) request_trailers().add("x-trailer", "request");
      log_phase("response headers", co_await phase(HttpPhase::ResponseHeaders));
      response_headers().add("x-phase", "response");
      trailers = co_await phase(HttpPhase::ResponseTrailers);
      log_phase("response trailers", trailers);
      if (trailers.ok()) response_trailers().add("x-trailer", "response");
    } else if (flow == "skip") {
      log_phase("response headers", co_await phase(HttpPhase::ResponseHeaders));
    } else if (flow == "whole") {
      Result<coproxy::HostBytes> body =
          co_await whole_body(StreamType::HttpRequest, parse_number(header_or("x-limit", "100")));
      if (!body.ok()) {
        coproxy::log_info("whole error ", code(body.status()));
        send_local_response(413, "too large");
        co_return;
      }
      coproxy::log_info("whole ", body->view());
      request_body().replace(upper(body->view()));
    } else if (flow == "chunks") {
      for (;;) {
        Result<coproxy::BodyChunk> chunk = co_await next_chunk(StreamType::HttpRequest);
        if (!chunk.ok()) {
          coproxy::log_info("chunks over ", code(chunk.status()));
          break;
        }
        Result<coproxy::HostBytes> bytes = request_body().get(chunk->offset, chunk->size);
        const std::string text(bytes.ok() ? bytes->view() : "");
        coproxy::log_info("chunk ", number(chunk->offset), " ", text,
                          chunk->end_of_stream ? " end" : "");
        if (ms != 0 && header_or("x-sleep", "") == "yes") {
          co_await coproxy::sleep(std::chrono::milliseconds(ms));
        }
        request_body().set(chunk->offset, chunk->size, upper(text));
        if (chunk->end_of_stream) break;
      }
    } else if (flow == "local") {
      const std::string at = header_or("x-at", "request-headers");
      // Only to be at that phase: the reply goes out from there whatever the body is.
      if (at == "request-body") (void)co_await whole_body(StreamType::HttpRequest, 1 << 20);
      if (at == "response-headers") co_await phase(HttpPhase::ResponseHeaders);
      if (at == "response-body") (void)co_await whole_body(StreamType::HttpResponse, 1 << 20);
      coproxy::log_info("local reply at ", at);
      send_local_response(403, "denied at " + at);
      co_return;
    } else if (flow == "callout") {
      Result<coproxy::HttpReply> reply =
          co_await coproxy::with_timeout(call("auth"), std::chrono::milliseconds(ms));
      coproxy::log_info("callout ", reply.ok() ? number(reply->status()) : code(reply.status()));
      if (!reply.ok()) {
        send_local_response(504, "auth timed out");
        co_return;
      }
      request_headers().add("x-auth", number(reply->status()));
    } else if (flow == "patient") {
      // A body that does not come in time is given up on; the coroutine moves on.
      Result<coproxy::BodyChunk> chunk = co_await coproxy::with_timeout(
          next_chunk(StreamType::HttpRequest), std::chrono::milliseconds(ms));
      coproxy::log_info("body ", chunk.ok() ? number(chunk->size) : code(chunk.status()));
      log_phase("response headers", co_await phase(HttpPhase::ResponseHeaders));
    } else if (flow == "close") {
      co_await coproxy::sleep(std::chrono::milliseconds(ms));
      coproxy::log_info("closing");
      close();  // from any point: nothing of the stream goes on
      co_return;
    } else if (flow == "sleep") {
      co_await coproxy::sleep(std::chrono::milliseconds(ms));
      coproxy::log_info("slept");
    } else if (flow == "both") {
      auto [a, b] = co_await coproxy::when_all(call("a"), call("b"));
      auto first = co_await coproxy::when_any(call("c"), call("d"));
      coproxy::log_info("both ", a.ok() ? "ok" : "error", " ", b.ok() ? "ok" : "error", " any ",
                        number(first.index()));
    } else if (flow == "reply-while-waiting") {
      // One branch waits for the request body; the other answers locally after x-ms first.
      auto [body, denied] = co_await coproxy::when_all(
          whole_body(StreamType::HttpRequest, 1 << 20), deny_after(std::chrono::milliseconds(ms)));
      coproxy::log_info("body after the reply: error ", code(body.status()));
      co_return;
    }
    coproxy::log_info("run done");
  }

 private:
  Task<void> deny_after(std::chrono::milliseconds delay) {
    co_await coproxy::sleep(delay);
    send_local_response(403, "denied while waiting");
  }
};

// Under root id "tcp": a connection whose first client line is held (worked on for 50 ms
// when it starts with "slow"), upper-cased and let go; the server's first answer is then
// prefixed with "> ".
class LineConnection : public coproxy::TcpStreamContext {
 public:
  Task<void> run() override {
    Witness witness("connection");
    std::string line;
    Result<coproxy::BodyChunk> chunk = co_await next_data(StreamType::Downstream);
    while (chunk.ok()) {
      Result<coproxy::HostBytes> bytes = downstream_data().get(chunk->offset, chunk->size);
      const std::string text(bytes.ok() ? bytes->view() : "");
      coproxy::log_info("down ", number(chunk->offset), " ", text,
                        chunk->end_of_stream ? " end" : "");
      line += text;
      if (line.find('\n') != std::string::npos || chunk->end_of_stream) break;
      chunk = co_await more_data(StreamType::Downstream);  // hold the start of the line
    }
    if (!chunk.ok()) {
      coproxy::log_info("down over ", code(chunk.status()));
      co_return;
    }
    if (line.starts_with("QUIT")) {
      close();
      co_return;
    }
    if (line.starts_with("slow")) co_await coproxy::sleep(std::chrono::milliseconds(50));
    downstream_data().replace(upper(line));
    let_go(StreamType::Downstream);
    Result<coproxy::BodyChunk> answer = co_await next_data(StreamType::Upstream);
    if (answer.ok()) {
      Result<coproxy::HostBytes> bytes = upstream_data().get(answer->offset, answer->size);
      coproxy::log_info("up ", bytes.ok() ? std::string(bytes->view()) : "");
      upstream_data().prepend("> ");
    }
    coproxy::log_info("connection done");
  }
};

// Under root id "lines": logs each client line ("line OFFSET+SIZE TEXT", read_line, at most
// 8 bytes) until the client's data ends or a line is "--", then each server record up to
// ";;" (read_until, at most 4 bytes), then how the reading ended; what it read stays held
// until run() returns. A client line "twice" asks for two lines at once (the second fails).
class LinesConnection : public coproxy::TcpStreamContext {
 public:
  Task<void> run() override {
    Result<DataLine> line = co_await read_line(StreamType::Downstream, 8);
    for (; line.ok() && line->text != "--"; line = co_await read_line(StreamType::Downstream, 8)) {
      log_line(*line);
      if (line->text == "twice") {
        auto [first, second] = co_await coproxy::when_all(read_line(StreamType::Downstream, 8),
                                                           read_line(StreamType::Downstream, 8));
        coproxy::log_info("twice ", first.ok() ? first->text : code(first.status()), " ",
                          code(second.status()));
      }
    }
    if (!line.ok()) coproxy::log_info("down over ", code(line.status()));
    Result<DataLine> record = co_await read_until(StreamType::Upstream, ";;", 4);
    for (; record.ok(); record = co_await read_until(StreamType::Upstream, ";;", 4)) {
      log_line(*record);
    }
    coproxy::log_info("up over ", code(record.status()));
    Result<DataLine> empty = co_await read_until(StreamType::Upstream, "", 4);
    coproxy::log_info("empty delimiter ", code(empty.status()));
  }

 private:
  static void log_line(const DataLine& line) {
    coproxy::log_info("line ", number(line.offset), "+", number(line.size), " ", line.text);
  }
};

class Plugin : public coproxy::PluginContext {
 public:
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Linear>();
  }
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override {
    if (root_id() == "lines") return std::make_unique<LinesConnection>();
    if (root_id() != "tcp") return nullptr;
    return std::make_unique<LineConnection>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(linear_probe, Plugin);
