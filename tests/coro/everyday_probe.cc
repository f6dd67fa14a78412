// everyday_probe: the everyday API as a plugin author uses it, for tests/everyday_test.cc on
// both backends: typed plugin access (StreamOf) to a configuration parsed at start, header
// lists from arrays, nested and fail-fast combinators, shared data updates and counters,
// metrics as plain members, the host clock, and a background consumer of a queue by name.
//
// Plugin configuration: "<header-name> [consumer]" — the header every request is tagged with
// (an empty configuration is refused); "consumer" starts a background task that dequeues
// "jobs" by name, counting the messages into a counter and the shared counter "jobs-seen".
// Request header x-mode picks what on_request_headers does:
//   tag        tag the request with the configured header (value: the plugin's stream count)
//   array      a callout whose headers are a C array; logs its status
//   nested     with_timeout(when_all(two callouts), x-ms)       logs both outcomes or timeout
//   race       when_any(when_all(sleep 10, sleep 20), sleep 30)  logs the winner's index
//   fanout     when_all_ok(authz callout, users callout) under with_timeout(x-ms): 403 unless
//              both answer 2xx in time; the users service is cancelled when authz fails
//              (x-authz names the authz cluster; empty: the host refuses the callout)
//   count      shared counter "hits" += 1 and update_shared_data("seen") appends "x"
// Every request records the time its headers callback took in histogram "everyday_ms".
#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coro/coro.h"
#include "tests/support/probe_support.h"

namespace {

using namespace coproxy::probe;
using coproxy::Action;
using coproxy::Header;
using coproxy::HttpReply;
using coproxy::Result;
using coproxy::Task;
using std::chrono::milliseconds;

std::string outcome(const Result<HttpReply>& reply) {
  return reply.ok() ? number(reply->status()) : "error " + code(reply.status());
}

Task<Result<HttpReply>> witnessed_call(std::string name, std::string upstream) {
  Witness witness("branch " + name);
  co_return co_await coproxy::http_call(
      upstream, {{":method", "GET"}, {":path", "/"}, {":authority", name}});
}

class Everyday;

class Stream : public coproxy::StreamOf<Everyday, coproxy::AsyncHttpContext> {
  Task<Action> on_request_headers(size_t, bool) override;
  Task<Action> on_response_headers(size_t, bool) override {
    response_headers().add("x-everyday", "1");
    co_return Action::Continue;
  }
};

class Everyday : public coproxy::AsyncPluginContext {
 public:
  // Parsed at start: streams read it through plugin().
  struct Config {
    std::string tag_header;
  } config;
  uint64_t streams = 0;
  coproxy::Counter requests{"everyday_requests_total"};
  coproxy::Counter jobs{coproxy::tagged_metric_name("everyday_jobs", {{"queue", "jobs"}})};
  coproxy::Histogram latency{"everyday_ms"};

  bool on_plugin_start(size_t) override {
    Result<coproxy::HostBytes> bytes = coproxy::plugin_configuration().get();
    const std::string text = bytes.ok() ? bytes->str() : "";
    config.tag_header = text.substr(0, text.find(' '));
    if (config.tag_header.empty()) {
      coproxy::log_error("everyday: the configuration must name a header");
      return false;
    }
    if (text.find("consumer") != std::string::npos) spawn(consume());
    return true;
  }

  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    ++streams;
    return std::make_unique<Stream>();
  }

 private:
  Task<void> consume() {
    Witness witness("consumer");
    coproxy::SharedCounter seen("jobs-seen");
    for (;;) {
      Result<coproxy::HostBytes> job = co_await coproxy::dequeue("jobs");
      if (!job.ok()) {
        coproxy::log_info("consumer error ", code(job.status()));
        co_return;
      }
      jobs.increment();
      Result<int64_t> total = seen.add();
      coproxy::log_info("job ", job->view(), " ", total.ok() ? number(*total) : "?");
    }
  }
};

Task<Action> Stream::on_request_headers(size_t, bool) {
  coproxy::Stopwatch watch;
  Everyday& everyday = plugin();  // typed: no cast
  everyday.requests.increment();
  const std::string mode = header_or("x-mode", "tag");
  const milliseconds limit(parse_number(header_or("x-ms", "100")));
  Action action = Action::Continue;
  if (mode == "tag") {
    request_headers().add(everyday.config.tag_header, number(everyday.streams));
  } else if (mode == "array") {
    const Header check[] = {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}};
    Result<HttpReply> reply = co_await http_call("auth", check);
    coproxy::log_info("array ", outcome(reply));
  } else if (mode == "nested") {
    auto both = co_await coproxy::with_timeout(
        coproxy::when_all(witnessed_call("a", "a"), witnessed_call("b", "b")), limit);
    if (!both.ok()) {
      coproxy::log_info("nested error ", code(both.status()));
    } else {
      auto& [a, b] = *both;
      coproxy::log_info("nested ", outcome(a), " ", outcome(b));
    }
  } else if (mode == "race") {
    auto first = co_await coproxy::when_any(
        coproxy::when_all(coproxy::sleep(milliseconds(10)), coproxy::sleep(milliseconds(20))),
        coproxy::sleep(milliseconds(30)));
    coproxy::log_info("race ", number(first.index()));
  } else if (mode == "fanout") {
    auto checks = co_await coproxy::with_timeout(
        coproxy::when_all_ok(witnessed_call("authz", header_or("x-authz", "authz")),
                             witnessed_call("users", "users")), limit);
    if (!checks.ok()) {
      coproxy::log_info("fanout error ", code(checks.status()));
      action = send_local_response(504, "checks timed out");
    } else {
      auto& [authz, users] = *checks;
      coproxy::log_info("fanout ", outcome(authz), " ", outcome(users));
      if (!coproxy::succeeded(authz) || !coproxy::succeeded(users)) {
        action = send_local_response(403, "denied");
      } else {
        request_headers().add("x-user", users->header("x-user"));
      }
    }
  } else if (mode == "count") {
    Result<int64_t> hits = coproxy::SharedCounter("hits").add();
    coproxy::Status updated = coproxy::update_shared_data(
        "seen", [](std::optional<std::string_view> now) -> std::optional<std::string> {
          return std::string(now.value_or("")) + "x";
        });
    coproxy::log_info("count ", hits.ok() ? number(*hits) : "error " + code(hits.status()), " ",
                      code(updated));
  }
  everyday.latency.record(watch.elapsed_ms());
  co_return action;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(everyday_probe, Everyday);
