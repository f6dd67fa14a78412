// coro_probe: a plugin written with coroutines, for the coroutine layer's tests on both
// backends. Every awaiting task keeps a Witness in its frame whose destructor logs
// "destroyed <name>": a test sees exactly when a frame dies.
//
// Request header x-mode picks what on_request_headers awaits:
//   none          nothing (the fast path)          callout   an HTTP callout to "auth"
//   bad-callout   a callout the host refuses       grpc      a unary gRPC call
//   grpc-stream   a gRPC stream, logging events    sleep     sleep x-ms milliseconds
//   dequeue       the next message of queue "jobs" nested    a callout inside a nested task
//   all           two callouts with when_all        any       two callouts with when_any
//   timeout       a callout with_timeout x-ms   kept      a callout's reply kept across a sleep
//   all-list      x-count callouts (svc-0, ...) with when_all over a vector
//   all-ok-list   the same with when_all_ok       any-list  the same with when_any (a Winner)
//   hedge         when_any_ok(primary, delayed(x-ms, backup)): the first success wins
//   any-winner    two callouts with when_any, read with winner()
// x-timeout sets a callout's timeout (ms); x-cluster the gRPC cluster (empty: unknown). The body
// and response callbacks log and continue; x-body-sleep makes the body callback sleep that long
// first. Plugin configuration words: "user-tick" (own on_tick every 150 ms), "refresh" (a
// background refresh loop), "finish" (a background task the plugin waits for when done).
#include <string>
#include <string_view>
#include <vector>

#include "coro/coro.h"
#include "tests/support/probe_support.h"

namespace {

using namespace coproxy::probe;
using coproxy::Action;
using coproxy::Result;
using coproxy::Task;

// A nested task: its frame sits under the stream's task.
Task<Result<std::string>> lookup_user(std::chrono::milliseconds timeout) {
  Witness witness("lookup");
  Result<coproxy::HttpReply> reply = co_await coproxy::http_call(
      "auth", {{":method", "GET"}, {":path", "/user"}, {":authority", "auth"}}, {}, {}, timeout);
  if (!reply.ok()) co_return reply.status();
  co_return std::string(reply->header("x-user"));
}

Task<int> one() { co_return 1; }

// One branch of a combinator: a callout whose frame logs when it dies.
Task<Result<coproxy::HttpReply>> witnessed_call(
    std::string name, std::string upstream,
    std::chrono::milliseconds timeout = coproxy::kDefaultCallTimeout) {
  Witness witness("branch " + name);
  co_return co_await coproxy::http_call(
      upstream, {{":method", "GET"}, {":path", "/"}, {":authority", upstream}}, {}, {}, timeout);
}

std::string outcome(const Result<coproxy::HttpReply>& reply) {
  return reply.ok() ? number(reply->status()) : "error " + code(reply.status());
}

class Stream : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    const std::string mode = header_or("x-mode", "none");
    const auto timeout = std::chrono::milliseconds(parse_number(header_or("x-timeout", "1000")));
    Witness witness("headers");
    if (mode == "callout" || mode == "bad-callout") {
      Result<coproxy::HttpReply> reply =
          mode == "callout"
              ? co_await http_call(
                    "auth", {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}}, {},
                    {}, timeout)
              : co_await http_call("auth", {{":method", "GET"}, {":path", "/check"}});
      if (!reply.ok()) {
        coproxy::log_info("callout error ", code(reply.status()));
        co_return send_local_response(403, "denied");
      }
      coproxy::log_info("callout ", number(reply->status()), " ", reply->header("x-user"), " ",
                        reply->body());
      if (reply->status() != 200) co_return send_local_response(403, "denied");
      request_headers().add("x-user", reply->header("x-user"));
    } else if (mode == "kept") {
      // A reply kept across a later co_await: what was read before stays valid, the rest was
      // read when the answer's callback returned.
      Result<coproxy::HttpReply> reply = co_await http_call(
          "auth", {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}});
      if (!reply.ok()) co_return Action::Continue;
      const std::string_view user = reply->header("x-user");
      co_await coproxy::sleep(std::chrono::milliseconds(10));
      coproxy::log_info("kept ", number(reply->status()), " ", user, " ", reply->header("x-role"),
                        " ", reply->body(), " ", number(reply->headers().size()), " ",
                        number(reply->trailers().size()));
      const coproxy::HttpReply moved = std::move(*reply);
      coproxy::log_info("moved ", moved.header("x-user"), " ", moved.header("x-role"), " ",
                        moved.trailers().find("x-t").value_or("none"), " read ",
                        code(moved.read_status()));
    } else if (mode == "many") {
      // More headers than the reply keeps one by one: the third name, and a long one, come
      // from the headers read whole, once; a reply moved keeps every view it gave.
      Result<coproxy::HttpReply> reply = co_await http_call(
          "auth", {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}});
      if (!reply.ok()) co_return Action::Continue;
      const std::string_view a = reply->header("x-a");
      const std::string_view b = reply->header("x-b");
      const std::string_view c = reply->header("x-c");
      const std::string_view again = reply->header("x-a");
      const std::string_view long_name = reply->header("x-a-name-longer-than-23-bytes");
      const coproxy::HttpReply moved = std::move(*reply);
      coproxy::log_info("many ", number(moved.status()), " ", a, " ", b, " ", c, " ", again, " ",
                        long_name, " ", moved.header("x-a"), " ", moved.header("x-b"), " ",
                        moved.header("x-d"), " ", number(moved.headers().size()));
    } else if (mode == "nested") {
      Result<std::string> user = co_await lookup_user(timeout);
      coproxy::log_info("nested ", user.ok() ? *user : "error " + code(user.status()));
      if (user.ok()) request_headers().add("x-user", *user);
    } else if (mode == "loop") {
      // Tasks that finish without suspending, many times in a row: no stack may build up.
      int total = 0;
      for (int i = 0; i < 100000; ++i) total += co_await one();
      coproxy::log_info("loop ", number(static_cast<uint64_t>(total)));
    } else if (mode == "all") {
      auto [first, second] =
          co_await coproxy::when_all(witnessed_call("a", "svc-a"), witnessed_call("b", "svc-b"));
      coproxy::log_info("all ", outcome(first), " ", outcome(second));
    } else if (mode == "any") {
      auto first = co_await coproxy::when_any(witnessed_call("primary", "primary"),
                                              witnessed_call("backup", "backup"));
      coproxy::log_info("any ", number(first.index()), " ",
                        outcome(first.index() == 0 ? std::get<0>(first) : std::get<1>(first)));
    } else if (mode == "all-list" || mode == "all-ok-list" || mode == "any-list") {
      std::vector<Task<Result<coproxy::HttpReply>>> calls;
      const uint64_t count = parse_number(header_or("x-count", "3"));
      for (uint64_t i = 0; i < count; ++i) {
        calls.push_back(witnessed_call(number(i), "svc-" + number(i)));
      }
      std::string line = mode;
      if (mode == "any-list") {
        coproxy::Winner<Result<coproxy::HttpReply>> first =
            co_await coproxy::when_any(std::move(calls));
        line += " " + number(first.index) + " " + outcome(first.value);
      } else {
        std::vector<Result<coproxy::HttpReply>> replies =
            mode == "all-list" ? co_await coproxy::when_all(std::move(calls))
                               : co_await coproxy::when_all_ok(std::move(calls));
        for (const Result<coproxy::HttpReply>& reply : replies) line += " " + outcome(reply);
      }
      coproxy::log_info(line);
    } else if (mode == "hedge") {
      const auto delay = std::chrono::milliseconds(parse_number(header_or("x-ms", "50")));
      auto first = co_await coproxy::when_any_ok(
          witnessed_call("primary", "primary"),
          coproxy::delayed(delay, [] { return witnessed_call("backup", "backup"); }));
      coproxy::log_info("hedge ", number(first.index), " ", outcome(first.value));
    } else if (mode == "any-winner") {
      auto [index, reply] = coproxy::winner(co_await coproxy::when_any(
          witnessed_call("primary", "primary"), witnessed_call("backup", "backup")));
      coproxy::log_info("any-winner ", number(index), " ", outcome(reply));
    } else if (mode == "timeout") {
      Result<coproxy::HttpReply> reply = co_await coproxy::with_timeout(
          witnessed_call("slow", "slow", timeout),
          std::chrono::milliseconds(parse_number(header_or("x-ms", "100"))));
      coproxy::log_info("timeout ", outcome(reply));
    } else if (mode == "grpc") {
      Result<coproxy::GrpcReply> reply =
          co_await grpc_call({header_or("x-cluster", "grpc-cluster"), "pkg.Auth", "Check"},
                             {{"k", "v"}}, "ping", timeout);
      if (!reply.ok()) {
        coproxy::log_info("grpc error ", code(reply.status()));
      } else {
        coproxy::log_info("grpc status ", number(static_cast<uint32_t>(reply->grpc_status())), " ", reply->message());
      }
    } else if (mode == "grpc-stream") {
      coproxy::GrpcStream stream;
      coproxy::Status opened =
          stream.open({header_or("x-cluster", "grpc-cluster"), "pkg.Feed", "Watch"}, {});
      coproxy::log_info("stream open ", code(opened));
      if (opened.ok()) {
        stream.send("first");
        for (;;) {
          Result<coproxy::GrpcStreamEvent> event = co_await stream.next();
          if (!event.ok()) break;
          using Kind = coproxy::GrpcStreamEvent::Kind;
          switch (event->kind) {
            case Kind::InitialMetadata:
              coproxy::log_info("stream metadata ", number(event->metadata.size()));
              break;
            case Kind::Message: coproxy::log_info("stream message ", event->message.view()); break;
            case Kind::TrailingMetadata:
              coproxy::log_info("stream trailers ", number(event->metadata.size()));
              break;
            case Kind::Close: coproxy::log_info("stream close ", number(static_cast<uint32_t>(event->grpc_status))); break;
          }
          if (event->kind == Kind::Close) break;
        }
      }
    } else if (mode == "sleep") {
      coproxy::Status slept = co_await coproxy::sleep(
          std::chrono::milliseconds(parse_number(header_or("x-ms", "100"))));
      coproxy::log_info("slept ", code(slept), " ", header_or("x-name", ""));
    } else if (mode == "dequeue") {
      Result<uint32_t> queue = coproxy::register_shared_queue("jobs");
      const uint32_t id = header_or("x-queue", "") == "unknown" ? 999 : queue.value_or(0);
      Result<coproxy::HostBytes> message = co_await coproxy::dequeue(id);
      coproxy::log_info(
          "dequeued ",
          message.ok() ? std::string(message->view()) : "error " + code(message.status()), " ",
          header_or("x-name", ""));
    }
    co_return Action::Continue;
  }

  Task<Action> on_request_body(size_t size, bool end_of_stream) override {
    const uint64_t delay = parse_number(header_or("x-body-sleep", "0"));
    if (delay != 0) co_await coproxy::sleep(std::chrono::milliseconds(delay));
    coproxy::log_info("request_body ", number(size), end_of_stream ? " end" : "");
    co_return Action::Continue;
  }

  Task<Action> on_response_headers(size_t, bool) override {
    response_headers().add("x-coro", "1");
    co_return Action::Continue;
  }
};

// A TCP connection whose downstream data waits x ms (the first byte of the data is a digit:
// that many times 10 ms) before going on; upstream data goes on at once.
class Connection : public coproxy::AsyncTcpContext {
 public:
  Task<Action> on_downstream_data(size_t size, bool end_of_stream) override {
    Witness witness("downstream");
    Result<coproxy::HostBytes> data = downstream_data().get(0, 1);
    const uint64_t delay = data.ok() && !data->empty() ? parse_number(data->view()) * 10 : 0;
    if (delay != 0) co_await coproxy::sleep(std::chrono::milliseconds(delay));
    coproxy::log_info("downstream ", number(size), end_of_stream ? " end" : "");
    co_return Action::Continue;
  }
  Task<Action> on_upstream_data(size_t size, bool) override {
    coproxy::log_info("upstream ", number(size));
    co_return Action::Continue;
  }
  void on_downstream_close(coproxy::PeerType) override { coproxy::log_info("downstream close"); }
};

class Plugin : public coproxy::AsyncPluginContext {
 public:
  bool on_plugin_start(size_t) override {
    Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    const std::string words = config.ok() ? std::string(config->view()) : "";
    if (words.find("user-tick") != std::string::npos) {
      set_tick_period(std::chrono::milliseconds(150));
    }
    if (words.find("raw-tick") != std::string::npos) {  // the host's tick, set directly
      coproxy::set_tick_period(std::chrono::milliseconds(100));
    }
    if (words.find("refresh") != std::string::npos) spawn(refresh());
    if (words.find("finish") != std::string::npos) spawn(finish_later(), WhenDone::Finish);
    if (words.find("race") != std::string::npos) spawn(race());
    return true;
  }

  void on_tick() override {
    coproxy::log_info("user tick ",
                      number(coproxy::current_time_nanoseconds().value_or(0) / 1000000));
  }

  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
  // Root id "tcp": a network filter.
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override {
    if (root_id() != "tcp") return nullptr;
    return std::make_unique<Connection>();
  }

 private:
  // sleep -> callout -> shared data, three times.
  Task<void> refresh() {
    Witness witness("refresh");
    for (int round = 1; round <= 3; ++round) {
      co_await coproxy::sleep(std::chrono::milliseconds(100));
      Result<coproxy::HttpReply> reply = co_await coproxy::http_call(
          "config", {{":method", "GET"}, {":path", "/config"}, {":authority", "config"}});
      if (reply.ok()) coproxy::set_shared_data("config", reply->body());
      coproxy::log_info("refresh ", number(round), " ", reply.ok() ? reply->body() : "failed");
    }
  }

  // Combinators in a background task.
  Task<void> race() {
    Witness witness("race");
    auto first = co_await coproxy::when_any(coproxy::sleep(std::chrono::milliseconds(100)),
                                            coproxy::sleep(std::chrono::milliseconds(50)));
    coproxy::log_info("race ", number(first.index()));
    Result<coproxy::HttpReply> reply = co_await coproxy::with_timeout(
        coproxy::http_call("config", {{":method", "GET"}, {":path", "/"}, {":authority", "c"}}),
        std::chrono::milliseconds(30));
    coproxy::log_info("race call ", reply.ok() ? number(reply->status()) : code(reply.status()));
  }

  Task<void> finish_later() {
    Witness witness("finish");
    co_await coproxy::sleep(std::chrono::milliseconds(500));
    coproxy::log_info("background finished");
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(coro_probe, Plugin);
