// The benchmark's workloads (workload.h) as coproxy stream coroutines: an HttpStreamContext
// per workload, one coroutine for the whole stream.
#include "bench/plugins/workload.h"
#include "coro/coro.h"

namespace {

using bench::Workload;
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
    auto reply = co_await http_call("auth", kCheck);
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
    auto reply = co_await http_call("auth", kCheck);
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

class Plugin : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (config.ok()) workload_ = bench::parse_workload(config->data(), config->size());
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    switch (workload_) {
      case Workload::Noop: return std::make_unique<Noop>();
      case Workload::Headers: return std::make_unique<Headers>();
      case Workload::Callout: return std::make_unique<Callout>();
      case Workload::Body: return std::make_unique<Body>();
      case Workload::Full: return std::make_unique<Full>();
    }
    return nullptr;
  }

 private:
  Workload workload_ = Workload::Noop;
};

}  // namespace

COPROXY_REGISTER_PLUGIN(bench_stream, Plugin);
