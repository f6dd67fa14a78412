// fidelity_probe: the filters a new user writes whose tests tell the truth only if the
// emulator delivers events in Envoy's order (tests/fidelity_test.cc). The root id picks one:
//   "tcp"      a network filter: data "close" closes the connection, data "hold" is held
//              (Pause) and released when the client closes; every event is logged.
//   "grpc"     per request (x-grpc: unary | stream, x-timeout ms) a gRPC call or stream in
//              callback style, every event logged; x-cancel: yes cancels the call at once,
//              x-close: yes half-closes the stream at once.
//   "startup"  on_plugin_start opens a gRPC stream and an HTTP callout and sets a 100 ms
//              tick; configuration "reject" refuses to start.
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "coro/coro.h"
#include "tests/support/probe_support.h"

namespace {

using coproxy::Action;
using coproxy::GrpcStatus;
using coproxy::PeerType;
using coproxy::probe::header_or;
using coproxy::probe::number;

std::string peer(PeerType type) { return number(static_cast<uint32_t>(type)); }

class Connection : public coproxy::TcpContext {
  Action on_downstream_data(size_t size, bool end_of_stream) override {
    const std::string data = downstream_data().get(0, size).value_or(coproxy::HostBytes()).str();
    coproxy::log_info("downstream ", data, end_of_stream ? " end" : "");
    if (data == "close") close();
    held_ = held_ || data == "hold";
    return data == "hold" ? Action::Pause : Action::Continue;
  }
  Action on_upstream_data(size_t size, bool end_of_stream) override {
    coproxy::log_info("upstream ", number(size), end_of_stream ? " end" : "");
    return Action::Continue;
  }
  void on_downstream_close(PeerType type) override {
    coproxy::log_info("downstream close ", peer(type));
    // Releasing what was held, as a filter might: after the client left, Envoy forwards none.
    if (held_) {
      coproxy::log_info("release ",
                        coproxy::continue_stream(coproxy::StreamType::Downstream).name());
    }
  }
  void on_upstream_close(PeerType type) override {
    coproxy::log_info("upstream close ", peer(type));
  }
  void on_stream_done() override { coproxy::log_info("connection done"); }

  bool held_ = false;
};

// Logs every event of a stream; reused by the plugin context's and the requests' streams.
class LoggingStream final : public coproxy::GrpcStreamHandler {
 public:
  explicit LoggingStream(std::string name) : name_(std::move(name)) {}
  void on_grpc_initial_metadata(size_t count) override {
    coproxy::log_info(name_, " initial metadata ", number(count));
  }
  void on_grpc_message(size_t size) override {
    const auto message = coproxy::Buffer(coproxy::BufferType::GrpcReceiveBuffer).get(0, size);
    coproxy::log_info(name_, " message ", message.ok() ? message->view() : "?");
  }
  void on_grpc_trailing_metadata(size_t count) override {
    coproxy::log_info(name_, " trailing metadata ", number(count));
  }
  void on_grpc_close(uint32_t status) override {
    const coproxy::Result<coproxy::CallStatus> call = coproxy::get_status();
    const std::string message = call.ok() ? std::string(call->message.view()) : "?";
    coproxy::log_info(name_, " close ", coproxy::grpc_status_name(GrpcStatus{status}),
                      message.empty() ? "" : " ", message);
  }

 private:
  std::string name_;
};

class GrpcRequest : public coproxy::HttpContext {
  Action on_request_headers(size_t, bool) override {
    const coproxy::GrpcMethod method{"grpc-cluster", "pkg.Service", "Method"};
    const auto timeout = std::chrono::milliseconds(
        std::strtoul(header_or("x-timeout", "1000").c_str(), nullptr, 10));
    if (header_or("x-grpc", "unary") == "unary") {
      auto on_reply = [](GrpcStatus status, std::string_view message) {
        coproxy::log_info("unary ", coproxy::grpc_status_name(status), " ", message);
      };
      const coproxy::Result<uint32_t> call = grpc_call(method, {}, "ping", timeout, on_reply);
      coproxy::log_info("unary call ", call.status().name());
      if (call.ok() && header_or("x-cancel", "") == "yes") {
        coproxy::log_info("unary cancel ", grpc_cancel(*call).name());
      }
      return Action::Continue;
    }
    coproxy::log_info("stream open ", grpc_stream(method, {}, stream_).status().name());
    if (header_or("x-close", "") == "yes")
      coproxy::log_info("stream half-close ", stream_.close().name());
    return Action::Continue;
  }
  LoggingStream stream_{"stream"};
};

class Plugin : public coproxy::PluginContext {
  bool on_plugin_start(size_t) override {
    const std::string config =
        coproxy::plugin_configuration().get().value_or(coproxy::HostBytes()).str();
    coproxy::log_info("plugin start ", config);
    if (config == "reject") return false;
    if (root_id() != "startup") return true;
    coproxy::log_info(
        "watch open ",
        grpc_stream({"grpc-cluster", "pkg.Config", "Watch"}, {}, watch_).status().name());
    const auto fetched =
        http_call("config", {{":method", "GET"}, {":path", "/config"}, {":authority", "config"}},
                  "", {}, std::chrono::milliseconds(1000),
                  [](const coproxy::HttpCallResponse&) { coproxy::log_info("config fetched"); });
    coproxy::log_info("config fetch ", fetched.status().name());
    return set_tick_period(std::chrono::milliseconds(100)).ok();
  }
  void on_tick() override { coproxy::log_info("tick"); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<GrpcRequest>();
  }
  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override {
    if (root_id() != "tcp") return nullptr;  // the SDK asks for a TCP context first
    return std::make_unique<Connection>();
  }
  LoggingStream watch_{"watch"};
};

}  // namespace

COPROXY_REGISTER_PLUGIN(fidelity_probe, Plugin);
