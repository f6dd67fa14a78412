// concurrency_limit: at most N requests in flight, across every worker's VM; 503 past it.
// The configuration is JSON, {"max_requests": 100} (required). A request takes a place in
// the shared counter "concurrency_limit_in_flight" (SharedCounter::take_if_below, one
// compare-and-swap loop) and gives it back when its stream is over, however it ended:
// answered, refused by another filter, reset. When the host cannot count (shared data
// failing), the request goes on: a limiter that fails open.
// Style: callbacks
#include <cstdint>
#include <memory>
#include <string>

#include "coproxy/coproxy.h"

namespace {

constexpr const char* kInFlight = "concurrency_limit_in_flight";

// {"max_requests": 100}
struct Config {
  int64_t max_requests = 0;
  void json_fields(coproxy::JsonFields& f) {
    f.required("max_requests", max_requests);
    if (max_requests < 1) f.invalid("max_requests", "must be at least 1");
  }
};

class Limit;

class Stream : public coproxy::StreamOf<Limit> {
  coproxy::Action on_request_headers(size_t, bool) override;
  void on_stream_done() override;

  bool holds_a_place_ = false;
};

class Limit : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter refused{"concurrency_limit_refused_total"};
  coproxy::LogOnce uncounted;  // the shared counter failing: logged once per run of failures

  bool on_plugin_start(size_t) override {
    return coproxy::read_plugin_configuration(config, {.required = true});
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  Limit& limit = plugin();
  coproxy::Result<coproxy::SharedCounter::QuotaTake> place =
      coproxy::SharedCounter(kInFlight).take_if_below(limit.config.max_requests);
  if (!place.ok()) {
    limit.uncounted.warn("concurrency_limit: not counted (", place.status().name(), ")");
    return coproxy::Action::Continue;
  }
  limit.uncounted.clear();
  if (!place->taken) {
    limit.refused.increment();
    return send_local_response(503, "too many requests in flight\n");
  }
  holds_a_place_ = true;
  return coproxy::Action::Continue;
}

void Stream::on_stream_done() {
  if (!holds_a_place_) return;
  holds_a_place_ = false;
  // A place that cannot be given back stays taken: logged, as it lowers the limit for good.
  if (coproxy::Result<int64_t> left = coproxy::SharedCounter(kInFlight).add(-1); !left.ok()) {
    coproxy::log_error("concurrency_limit: a place was not given back (", left.status().name(),
                       ")");
  }
}

}  // namespace

COPROXY_REGISTER_PLUGIN(concurrency_limit, Limit);
