// The benchmark's workloads (workload.h) in coproxy's callback style: an HttpContext per
// workload, each overriding only the callbacks its work needs.
#include <chrono>

#include "bench/plugins/workload.h"
#include "bench/plugins/workload_plugin.h"
#include "coproxy/coproxy.h"

namespace {

using coproxy::Action;

constexpr coproxy::Header kCheck[] = {
    {":method", "GET"}, {":path", "/check"}, {":authority", "auth"}};

// The request's whole body, rewritten in place and set back.
Action rewrite_body(size_t size, bool end_of_stream) {
  if (!end_of_stream) return Action::Pause;  // the host buffers it until the end
  coproxy::Result<coproxy::HostBytes> body = coproxy::request_body().get(0, size);
  if (!body.ok()) return Action::Continue;
  bench::shout(body->mutable_data(), body->size());
  (void)coproxy::request_body().replace(body->view());
  return Action::Continue;
}

class Noop : public coproxy::HttpContext {};

class Headers : public coproxy::HttpContext {
 public:
  Action on_request_headers(size_t, bool) override {
    (void)request_headers().add("x-bench", "coproxy");
    return Action::Continue;
  }
  Action on_response_headers(size_t, bool) override {
    (void)response_headers().add("x-bench", "coproxy");
    return Action::Continue;
  }
};

class Callout : public coproxy::HttpContext {
 public:
  Action on_request_headers(size_t, bool) override { return check(); }

 protected:
  Action check() {
    coproxy::Result<uint32_t> token =
        http_call("auth", coproxy::encoded<kCheck>, {}, {}, std::chrono::milliseconds(5000),
                  [this](const coproxy::HttpCallResponse& response) {
                    if (response.failed() || response.status() != 200) {
                      send_local_response(403, "denied");
                      return;
                    }
                    coproxy::Result<coproxy::HostBytes> user = response.header("x-user");
                    if (user.ok()) (void)request_headers().add("x-user", user->view());
                    (void)coproxy::continue_stream(coproxy::StreamType::HttpRequest);
                  });
    if (!token.ok()) return send_local_response(403, "denied");
    return Action::Pause;
  }
};

class Body : public coproxy::HttpContext {
 public:
  Action on_request_body(size_t size, bool end_of_stream) override {
    return rewrite_body(size, end_of_stream);
  }
};

class Full : public Callout {
 public:
  Action on_request_headers(size_t, bool) override {
    (void)request_headers().add("x-bench", "coproxy");
    return check();
  }
  Action on_request_body(size_t size, bool end_of_stream) override {
    return rewrite_body(size, end_of_stream);
  }
  Action on_response_headers(size_t, bool) override {
    (void)response_headers().add("x-bench", "coproxy");
    return Action::Continue;
  }
};

using Plugin = bench::WorkloadPlugin<Noop, Headers, Callout, Body, Full>;

}  // namespace

COPROXY_REGISTER_PLUGIN(bench_callbacks, Plugin);
