// grpc_stream: a background gRPC stream brings config updates; every request gets the latest.
// The plugin context keeps config.Config/Watch open: each message is "name=value", the header
// every request gets from then on. When the stream closes (or cannot open), it reconnects
// after a delay, keeping the last config meanwhile. The configuration is JSON, optional:
// {"reconnect_delay": "1s"} (or 1000, in ms; the default). It opens the stream from the first
// tick, not in on_plugin_start (docs/coroutines.md).
// Style: background task + callbacks
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::GrpcStreamEvent;
using coproxy::Task;

class Watcher;

class Stream : public coproxy::StreamOf<Watcher> {
  Action on_request_headers(size_t, bool) override;
};

// {"reconnect_delay": "1s"}
struct Config {
  std::chrono::milliseconds reconnect_delay{1000};
  void json_fields(coproxy::JsonFields& f) { f.optional("reconnect_delay", reconnect_delay); }
};

class Watcher : public coproxy::AsyncPluginContext {
 public:
  std::string header, value;  // the latest update; empty before the first
  Config config;
  coproxy::Counter updates{"grpc_stream_updates_total"};
  coproxy::Counter reconnects{"grpc_stream_reconnects_total"};

  bool on_plugin_start(size_t) override {
    if (!coproxy::read_plugin_configuration(config)) return false;
    spawn(watch());
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }

 private:
  Task<void> watch() {
    // From the first tick: Envoy first runs on_plugin_start in a canary VM that it throws
    // away before any tick, so the stream is opened by the live VM only.
    if (!(co_await coproxy::sleep(std::chrono::milliseconds(0))).ok()) co_return;
    for (;;) {
      coproxy::GrpcStream stream;
      const coproxy::Status opened = stream.open({"config", "config.Config", "Watch"}, {});
      if (opened.ok() && stream.send("headers").ok()) {
        for (;;) {
          coproxy::Result<GrpcStreamEvent> event = co_await stream.next();
          if (!event.ok()) break;
          if (event->kind == GrpcStreamEvent::Kind::Close) {
            coproxy::log_warn("grpc_stream: config stream closed with ",
                              coproxy::grpc_status_name(event->grpc_status), ", reconnecting");
            break;
          }
          if (event->kind == GrpcStreamEvent::Kind::Message) apply(event->message.view());
        }
      } else {
        coproxy::log_warn("grpc_stream: cannot open the config stream: ", opened.name());
      }
      if (!(co_await coproxy::sleep(config.reconnect_delay)).ok()) co_return;  // no clock: give up
      reconnects.increment();
    }
  }
  void apply(std::string_view update) {
    const size_t equals = update.find('=');
    if (equals == 0 || equals == std::string_view::npos) {
      coproxy::log_warn("grpc_stream: ignored the update '", update, "'");
      return;
    }
    header = update.substr(0, equals);
    value = update.substr(equals + 1);
    updates.increment();
  }
};

Action Stream::on_request_headers(size_t, bool) {
  if (!plugin().header.empty()) request_headers().replace(plugin().header, plugin().value);
  return Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(grpc_stream, Watcher);
