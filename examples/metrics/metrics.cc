// metrics: counts requests per method and status, and times them, with tags in the metric name.
// metrics_requests_total_method=GET_status=200 (a counter), metrics_active_requests (a gauge:
// streams in flight) and metrics_duration_ms_method=GET (a histogram: request headers to the
// end of the stream, on the host clock). Envoy turns each "_tag=value" into a tag (envoy.yaml).
// Style: callbacks
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "coproxy/coproxy.h"

namespace {

class Metrics;

// A tag value Envoy can extract: '_' and '.' would end it, so odd values become "other".
std::string tag_value(const coproxy::Result<coproxy::HostBytes>& header) {
  if (!header.ok() || header->empty()) return "none";
  for (const char c : header->view()) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) return "other";
  }
  return header->str();
}

class Stream : public coproxy::StreamOf<Metrics> {
  coproxy::Action on_request_headers(size_t, bool) override;
  coproxy::Action on_response_headers(size_t, bool) override {
    status_ = tag_value(response_headers().get(":status"));
    return coproxy::Action::Continue;
  }
  void on_stream_done() override;

  coproxy::Stopwatch watch_;
  std::string method_;           // empty: the request never came
  std::string status_ = "none";  // no response: reset, or the client went
};

class Metrics : public coproxy::PluginContext {
 public:
  coproxy::Gauge active{"metrics_active_requests"};
  // One counter per method and status, one histogram per method: made on first use.
  std::map<std::string, coproxy::Counter, std::less<>> requests;
  std::map<std::string, coproxy::Histogram, std::less<>> durations;

  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  watch_.restart();
  method_ = tag_value(request_headers().get(":method"));
  plugin().active.add(1);
  return coproxy::Action::Continue;
}

// The stream is over: answered, reset, or the client went.
void Stream::on_stream_done() {
  if (method_.empty()) return;
  Metrics& metrics = plugin();
  metrics.active.add(-1);
  const std::string counter = coproxy::tagged_metric_name(
      "metrics_requests_total", {{"method", method_}, {"status", status_}});
  metrics.requests.try_emplace(counter, counter).first->second.increment();
  const std::string histogram =
      coproxy::tagged_metric_name("metrics_duration_ms", {{"method", method_}});
  metrics.durations.try_emplace(histogram, histogram).first->second.record(watch_.elapsed_ms());
}

}  // namespace

COPROXY_REGISTER_PLUGIN(metrics, Metrics);
