// The benchmark's workloads (workload.h) in coproxy's task style: an AsyncHttpContext per
// workload, each callback a Task that may await.
#include "bench/plugins/workload.h"
#include "bench/plugins/workload_plugin.h"
#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

constexpr coproxy::Header kCheck[] = {
    {":method", "GET"}, {":path", "/check"}, {":authority", "auth"}};

Action rewrite_body(size_t size, bool end_of_stream) {
  if (!end_of_stream) return Action::Pause;  // the host buffers it until the end
  coproxy::Result<coproxy::HostBytes> body = coproxy::request_body().get(0, size);
  if (!body.ok()) return Action::Continue;
  bench::shout(body->mutable_data(), body->size());
  (void)coproxy::request_body().replace(body->view());
  return Action::Continue;
}

class Noop : public coproxy::AsyncHttpContext {};

class Headers : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    (void)request_headers().add("x-bench", "coproxy");
    co_return Action::Continue;
  }
  Task<Action> on_response_headers(size_t, bool) override {
    (void)response_headers().add("x-bench", "coproxy");
    co_return Action::Continue;
  }
};

class Callout : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    auto reply = co_await http_call("auth", coproxy::encoded<kCheck>);
    if (!reply.ok() || reply->status() != 200) co_return send_local_response(403, "denied");
    (void)request_headers().add("x-user", reply->header("x-user"));
    co_return Action::Continue;
  }
};

class Body : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_body(size_t size, bool end_of_stream) override {
    co_return rewrite_body(size, end_of_stream);
  }
};

class Full : public coproxy::AsyncHttpContext {
 public:
  Task<Action> on_request_headers(size_t, bool) override {
    (void)request_headers().add("x-bench", "coproxy");
    auto reply = co_await http_call("auth", coproxy::encoded<kCheck>);
    if (!reply.ok() || reply->status() != 200) co_return send_local_response(403, "denied");
    (void)request_headers().add("x-user", reply->header("x-user"));
    co_return Action::Continue;
  }
  Task<Action> on_request_body(size_t size, bool end_of_stream) override {
    co_return rewrite_body(size, end_of_stream);
  }
  Task<Action> on_response_headers(size_t, bool) override {
    (void)response_headers().add("x-bench", "coproxy");
    co_return Action::Continue;
  }
};

using Plugin = bench::WorkloadPlugin<Noop, Headers, Callout, Body, Full>;

}  // namespace

COPROXY_REGISTER_PLUGIN(bench_tasks, Plugin);
