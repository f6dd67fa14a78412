// edge_probe: the scheduler's edges (tests/scheduler_edges_test.cc) on both backends: waits
// the host loses track of, a delete from inside a stream's own event, awaiting a callback that
// is not overridden, and a stream task reading a gRPC stream its plugin context owns.
//
// Request header x-mode picks what on_request_headers does:
//   base          co_await the base class's on_request_headers (not overridden: Continue)
//   callout       an HTTP callout to "auth"        grpc      a unary gRPC call
//   sleep         sleep x-ms milliseconds          dequeue   the next message of queue "jobs"
//   feed          the next event of the plugin context's gRPC stream "feed"
//   close         sleep x-ms, then close the stream and log after it
//   race          when_any(when_all(sleep 10 ms, sleep 20 ms), sleep 30 ms)
// Each logs its outcome ("<mode> <result>") and continues. Every waiting frame holds a Witness.
#include <string>

#include "coro/coro.h"
#include "tests/support/probe_support.h"

namespace {

using namespace coproxy::probe;
using coproxy::Action;
using coproxy::Result;
using coproxy::Task;

std::string outcome(const coproxy::Status& status) { return status.ok() ? "ok" : code(status); }

class Plugin;

class Stream : public coproxy::StreamOf<Plugin, coproxy::AsyncHttpContext> {
 public:
  Task<Action> on_request_headers(size_t header_count, bool end_of_stream) override;
};

class Plugin : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    coproxy::log_info("feed open ", outcome(feed.open({"feed", "pkg.Feed", "Watch"}, {})));
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

  coproxy::GrpcStream feed;  // owned by the plugin context, read by streams' tasks
};

Task<Action> Stream::on_request_headers(size_t header_count, bool end_of_stream) {
  const std::string mode = header_or("x-mode", "base");
  const auto ms = std::chrono::milliseconds(parse_number(header_or("x-ms", "100")));
  Witness witness("headers");
  if (mode == "base") {
    const Action action =
        co_await AsyncHttpContext::on_request_headers(header_count, end_of_stream);
    coproxy::log_info("base ", number(static_cast<uint32_t>(action)));
  } else if (mode == "callout") {
    Result<coproxy::HttpReply> reply = co_await http_call(
        "auth", {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}});
    coproxy::log_info("callout ", reply.ok() ? number(reply->status()) : code(reply.status()));
  } else if (mode == "grpc") {
    Result<coproxy::GrpcReply> reply = co_await grpc_call({"grpc", "pkg.Auth", "Check"}, {}, "x");
    coproxy::log_info("grpc ", reply.ok() ? number(static_cast<uint32_t>(reply->grpc_status()))
                                          : code(reply.status()));
  } else if (mode == "sleep") {
    coproxy::log_info("sleep ", outcome(co_await coproxy::sleep(ms)));
  } else if (mode == "dequeue") {
    Result<coproxy::HostBytes> message = co_await coproxy::dequeue("jobs");
    coproxy::log_info("dequeue ", message.ok() ? std::string(message->view())
                                               : code(message.status()));
  } else if (mode == "feed") {
    Result<coproxy::GrpcStreamEvent> event = co_await plugin().feed.next();
    coproxy::log_info("feed ", event.ok() ? number(static_cast<uint32_t>(event->kind))
                                          : code(event.status()));
    if (event.ok()) request_headers().add("x-feed", "1");
  } else if (mode == "race") {
    auto first = co_await coproxy::when_any(
        coproxy::when_all(coproxy::sleep(std::chrono::milliseconds(10)),
                          coproxy::sleep(std::chrono::milliseconds(20))),
        coproxy::sleep(std::chrono::milliseconds(30)));
    coproxy::log_info("race ", number(first.index()));
  } else if (mode == "close") {
    co_await coproxy::sleep(ms);
    coproxy::log_info("closing");
    coproxy::Status closed = close();
    coproxy::log_info("after close ", outcome(closed));  // still running: not destroyed yet
    co_return Action::Pause;
  }
  co_return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(edge_probe, Plugin);
