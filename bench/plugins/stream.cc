// The benchmark's workloads (workload.h) as coproxy stream coroutines: an HttpStreamContext
// per workload, one coroutine for the whole stream.
#include "bench/plugins/workload.h"
#include "bench/plugins/workload_plugin.h"
#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::StreamType;
using coproxy::Task;

constexpr coproxy::Header kCheck[] = {
    {":method", "GET"}, {":path", "/check"}, {":authority", "auth"}};
constexpr size_t kBodyLimit = 64 * 1024;

class Noop : public coproxy::HttpStreamContext {
  Task<void> run() override { co_return; }
};

class Headers : public coproxy::HttpStreamContext {
  Task<void> run() override {
    co_await phase(HttpPhase::RequestHeaders);
    (void)request_headers().add("x-bench", "coproxy");
    co_await phase(HttpPhase::ResponseHeaders);
    (void)response_headers().add("x-bench", "coproxy");
  }
};

class Callout : public coproxy::HttpStreamContext {
  Task<void> run() override {
    co_await phase(HttpPhase::RequestHeaders);
    auto reply = co_await http_call("auth", coproxy::encoded<kCheck>);
    if (!reply.ok() || reply->status() != 200) {
      send_local_response(403, "denied");
      co_return;
    }
    (void)request_headers().add("x-user", reply->header("x-user"));
  }
};

class Body : public coproxy::HttpStreamContext {
  Task<void> run() override {
    coproxy::Result<coproxy::HostBytes> body =
        co_await whole_body(StreamType::HttpRequest, kBodyLimit);
    if (!body.ok()) co_return;
    bench::shout(body->mutable_data(), body->size());
    (void)request_body().replace(body->view());
  }
};

class Full : public coproxy::HttpStreamContext {
  Task<void> run() override {
    co_await phase(HttpPhase::RequestHeaders);
    (void)request_headers().add("x-bench", "coproxy");
    auto reply = co_await http_call("auth", coproxy::encoded<kCheck>);
    if (!reply.ok() || reply->status() != 200) {
      send_local_response(403, "denied");
      co_return;
    }
    (void)request_headers().add("x-user", reply->header("x-user"));
    coproxy::Result<coproxy::HostBytes> body =
        co_await whole_body(StreamType::HttpRequest, kBodyLimit);
    if (body.ok()) {
      bench::shout(body->mutable_data(), body->size());
      (void)request_body().replace(body->view());
    }
    co_await phase(HttpPhase::ResponseHeaders);
    (void)response_headers().add("x-bench", "coproxy");
  }
};

using Plugin = bench::WorkloadPlugin<Noop, Headers, Callout, Body, Full>;

}  // namespace

COPROXY_REGISTER_PLUGIN(bench_stream, Plugin);
