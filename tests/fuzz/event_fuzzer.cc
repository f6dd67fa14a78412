// The event-sequence fuzzer: drives the coroutine probes and every example, compiled natively,
// through the host emulator with random interleavings of stream events (HTTP and TCP),
// callout and gRPC events (for unknown, duplicate, late and reused tokens too), queue signals,
// ticks, clock jumps, deletes from inside host calls, failed host calls and a host that
// forgets a context. After every step it checks:
//   - the plugin made no illegal host call (strict mode), as long as the host itself behaved
//     (no fault injected, no context forgotten, no finished call redelivered, no event of
//     another kind's token): this also covers proxy_continue_stream on a direction that is
//     not paused;
//   - a stream that ended is gone from the plugin, with every timer and queue waiter it
//     owned; when no stream is left, no call owned by a stream is left either;
// and ASan/UBSan (tools/fuzz.sh builds it with --config=fuzz) catch any crash, any use of a
// context or frame after it was freed, and any leak (libFuzzer checks each input).
//
// An input: plugin index, behaviour bits, setup bits (same-instant order; the envoy.yaml's
// configuration or the input's), configuration and root id (length-prefixed), then
// operations (an opcode byte and its argument bytes) until the input ends.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/dispatcher.h"
#include "coproxy/plugin_context.h"
#include "testing/emulator.h"
#include "tests/fuzz/envoy_configurations.h"
#include "testing/native_plugin.h"

namespace {

using namespace coproxy::testing;
using coproxy::Action;
using coproxy::StatusCode;

// Every plugin the fuzzer links (tests/fuzz/BUILD.bazel), by its registered name. Not
// tests/probe: it makes illegal calls on purpose, to test the emulator.
constexpr const char* kPlugins[] = {
    "coro_probe", "linear_probe", "everyday_probe", "fidelity_probe", "edge_probe",
    "local_reply_probe", "access_logger", "concurrency_limit", "configuration_from_root",
    "connect_request_response", "desensitize", "dispatch_call_on_tick", "fan_out",
    "foreign_call_on_tick", "grpc_stream", "grpc_unary", "hello", "helloworld", "http_auth",
    "hedged_call", "http_auth_callbacks", "http_auth_stream", "http_auth_random", "http_body",
    "http_body_chunk",
    "http_headers", "http_jwt_auth", "http_metadata", "http_routing", "http_set_header",
    "istio_rate_limiting", "json_validation", "metrics", "multiple_dispatches", "network",
    "per_route_config", "postpone_requests", "properties", "rate_limiter", "response_body", "response_cache",
    "shared_data", "shared_queue", "shared_queue_receiver", "stream_rewrite", "tcp_line_gate",
    "vm_plugin_configuration",
};

// The configuration the plugin's envoy.yaml gives it, or nullptr (a probe, or no envoy.yaml).
const EnvoyConfiguration* envoy_configuration(std::string_view plugin) {
  for (const EnvoyConfiguration& c : kEnvoyConfigurations) {
    if (plugin == c.plugin) return &c;
  }
  return nullptr;
}

// The plugins written in callback style: under Envoy's opt-in StopIteration (a body callback
// delivered while the headers are paused) such a plugin must hold the body itself, which
// these examples, written for Envoy's default, do not; the SDK cannot do it for them.
bool callback_style(std::string_view plugin) {
  static constexpr std::string_view kCallbackStyle[] = {
      "access_logger", "configuration_from_root", "connect_request_response", "grpc_stream",
      "hello", "helloworld", "http_auth_callbacks", "http_headers", "http_jwt_auth",
      "http_metadata", "http_routing", "http_set_header", "istio_rate_limiting", "metrics",
      "properties", "rate_limiter", "shared_data", "shared_queue", "vm_plugin_configuration",
      "fidelity_probe", "local_reply_probe",
  };
  for (std::string_view name : kCallbackStyle) {
    if (name == plugin) return true;
  }
  return false;
}

// Request headers the plugins look at, with values that pick their paths.
struct Choice {
  const char* name;
  const char* value;
};
constexpr Choice kHeaders[] = {
    {"x-mode", "callout"}, {"x-mode", "bad-callout"}, {"x-mode", "grpc"},
    {"x-mode", "grpc-stream"}, {"x-mode", "sleep"}, {"x-mode", "dequeue"}, {"x-mode", "nested"},
    {"x-mode", "all"}, {"x-mode", "any"}, {"x-mode", "timeout"}, {"x-mode", "base"},
    {"x-mode", "feed"}, {"x-mode", "close"}, {"x-mode", "fanout"}, {"x-mode", "race"},
    {"x-mode", "tag"}, {"x-mode", "count"}, {"x-mode", "array"}, {"x-flow", "both"},
    {"x-flow", "callout"}, {"x-flow", "chunks"}, {"x-flow", "close"}, {"x-flow", "local"},
    {"x-flow", "patient"}, {"x-flow", "phases"}, {"x-flow", "reply-while-waiting"},
    {"x-flow", "skip"}, {"x-flow", "sleep"}, {"x-flow", "whole"}, {"x-ms", "0"},
    {"x-ms", "50"}, {"x-timeout", "100"}, {"x-body-sleep", "30"}, {"x-cluster", ""},
    {"x-buffer", "1"}, {"x-callout", "1"}, {"x-deny", "1"}, {"x-cancel", "1"}, {"x-close", "1"},
    {"x-grpc", "1"}, {"x-queue", "jobs"}, {"x-sleep", "20"}, {"x-limit", "1"},
    {"authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ."}, {"x-api-key", "key"},
    {"content-type", "application/json"}, {"x-request-id", "7"}, {"x-user", "ada"},
    {"content-length", "4"}, {":path", "/admin"}, {":method", "POST"},
};
constexpr uint32_t kStatuses[] = {200, 403, 500, 0};
constexpr StatusCode kFaults[] = {StatusCode::NotFound, StatusCode::BadArgument,
                                  StatusCode::InternalFailure, StatusCode::InvalidMemoryAccess,
                                  StatusCode::Empty, StatusCode::CasMismatch};

[[noreturn]] void violated(const char* invariant, const std::string& detail = "") {
  std::fprintf(stderr, "event_fuzzer: invariant violated: %s\n%s\n", invariant, detail.c_str());
  std::abort();
}

// Reads the input front to back; past its end every read is 0.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  uint32_t pick(size_t n) { return n == 0 ? 0 : byte() % n; }
  std::string text(size_t max) {
    const size_t n = std::min<size_t>(byte() % (max + 1), size_ - std::min(at_, size_));
    std::string out(reinterpret_cast<const char*>(data_ + at_), n);
    at_ += n;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

struct Stream {
  uint32_t id = 0;
  int request = 0;   // 0 nothing sent, 1 headers, 2 body, 3 done
  int response = 0;  // the same for the response; TCP: 1 once the connection is new
  bool ended = false;
  bool forgotten = false;  // the host forgot it (the plugin still has it)
};

class Run {
 public:
  Run(Input& in) : in_(in) {
    const char* plugin = kPlugins[in_.pick(std::size(kPlugins))];
    const uint8_t bits = in_.byte();
    HostBehaviour behaviour;
    behaviour.header_pause_holds_body = !(bits & 1);
    if (bits & 2) behaviour.continue_delivery = HostBehaviour::ContinueDelivery::Reentrant;
    if (bits & 4) behaviour.failed_callout = HostBehaviour::FailedCallout::LocalReply;
    behaviour.close_ends_stream_inside_the_call = (bits & 8) != 0;
    behaviour.local_reply_through_response_callbacks = !(bits & 16);
    behaviour.canary_vm = !(bits & 32);
    behaviour.redeliver_finished_calls = (bits & 64) != 0;
    if (bits & 128) behaviour.grpc_stream_timeout_ms = 500;
    // A second byte: which same-instant event comes first, and whether the plugin starts with
    // the configuration its envoy.yaml gives it (most plugins refuse a random text: that path
    // is fuzzed too, but the plugin's own work needs a configuration it accepts).
    const uint8_t setup = in_.byte();
    if (setup & 1) behaviour.same_instant = HostBehaviour::SameInstant::TimeoutFirst;
    const EnvoyConfiguration* envoy = (setup & 2) ? envoy_configuration(plugin) : nullptr;
    calls_may_be_illegal_ = behaviour.redeliver_finished_calls ||
                            (!behaviour.header_pause_holds_body && callback_style(plugin));
    emu_ = std::make_unique<Emulator>(load_native(plugin), behaviour);
    if (!emu_->loaded()) violated("plugin not linked in", plugin);
    // EVENT_FUZZER_TRACE=1: print the emulator's trace, to read what an input does.
    if (std::getenv("EVENT_FUZZER_TRACE") != nullptr) {
      std::fprintf(stderr, "plugin %s, behaviour bits %u\n", plugin, bits);
      emu_->host().enable_trace([](std::string_view line) {
        std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
      });
    }
    const std::string config = in_.text(40);
    const std::string root_id = in_.text(8);
    root_ = envoy ? emu_->start_plugin(envoy->configuration, envoy->root_id, envoy->vm_configuration)
                  : emu_->start_plugin(config, root_id);
  }

  void play() {
    while (!in_.done() && root_ != 0) {
      step(in_.byte() % 24);
      check();
    }
    for (Stream& stream : streams_) end(stream);
    check();
    check_no_stream_calls();
  }

 private:
  Host& host() { return emu_->host(); }
  coproxy::Dispatcher& dispatcher() {
    return static_cast<NativePlugin&>(emu_->plugin()).dispatcher();
  }
  Stream* stream() {
    if (streams_.empty()) return nullptr;
    Stream& s = streams_[in_.pick(streams_.size())];
    return s.ended ? nullptr : &s;
  }
  // A token for an HTTP or a gRPC event: one of that kind's calls, or any number. The other
  // kind's token is a host that mixed up its kinds (Envoy's tokens carry their kind): the
  // plugin must not trap, but what it does then may be illegal.
  uint32_t http_token() { return token(host().http_callouts(), /*grpc=*/false); }
  uint32_t grpc_token() { return token(host().grpc_callouts(), /*grpc=*/true); }
  template <class Calls>
  uint32_t token(const Calls& calls, bool grpc) {
    const uint32_t token =
        calls.empty() || in_.byte() % 8 == 0 ? in_.byte() : calls[in_.pick(calls.size())].token;
    const bool other_kind =
        grpc ? host().find_http(token) != nullptr : host().find_grpc(token) != nullptr;
    if (other_kind) calls_may_be_illegal_ = true;
    return token;
  }
  Pairs request_headers() {
    Pairs headers = {{":method", "GET"}, {":path", "/"}, {":authority", "host"}};
    for (int i = in_.pick(4); i > 0; --i) {
      const Choice& choice = kHeaders[in_.pick(std::size(kHeaders))];
      headers.emplace_back(choice.name, choice.value);
    }
    return headers;
  }
  std::string chunk() { return std::string(in_.pick(64), static_cast<char>('a' + in_.pick(26))); }

  void step(uint8_t op) {
    switch (op) {
      case 0:
        if (streams_.size() < 16) streams_.push_back(Stream{emu_->open_stream(root_)});
        break;
      case 1:
        if (Stream* s = stream()) advance_request(*s);
        break;
      case 2:
        if (Stream* s = stream()) advance_response(*s);
        break;
      case 3:
        if (Stream* s = stream()) end(*s);
        break;
      case 4: {
        const uint32_t status = kStatuses[in_.pick(std::size(kStatuses))];
        Pairs headers;
        if (status != 0) headers = {{":status", std::to_string(status)}, {"x-user", "ada"}};
        emu_->answer_http_call(http_token(), headers, chunk());
        break;
      }
      case 5: emu_->fail_http_call(http_token()); break;
      case 6: emu_->grpc_initial_metadata(grpc_token(), {{"k", "v"}}); break;
      case 7: emu_->grpc_message(grpc_token(), chunk()); break;
      case 8: emu_->grpc_trailing_metadata(grpc_token(), {}); break;
      case 9: emu_->grpc_close(grpc_token(), in_.pick(17)); break;
      case 10: emu_->advance(in_.byte() * 10u); break;
      case 11: emu_->tick(root_); break;
      case 12: {
        uint32_t queue = 0;
        if (host().resolve_shared_queue(Host::kVmId, in_.byte() % 2 ? "jobs" : "tokens", &queue) ==
            StatusCode::Ok) {
          (void)host().enqueue_shared_queue(queue, chunk());
        }
        emu_->deliver_queue_ready();
        break;
      }
      case 13:  // one of the plugin's next host calls fails
        host().inject_fault(host().plugin_calls() + in_.pick(8),
                            kFaults[in_.pick(std::size(kFaults))]);
        calls_may_be_illegal_ = true;
        break;
      case 14:  // the next call gets a token still in use
        if (!host().http_callouts().empty()) {
          host().reuse_token_for_next_call(http_token());
          calls_may_be_illegal_ = true;
        }
        break;
      case 15:  // the host forgets a stream the plugin still has
        if (Stream* s = stream()) {
          host().remove_context(s->id);
          s->ended = s->forgotten = true;  // nothing more can be delivered to it
          calls_may_be_illegal_ = true;
        }
        break;
      case 16:
        if (Stream* s = stream()) emu_->close_downstream(s->id);
        break;
      case 17:
        if (Stream* s = stream()) emu_->close_upstream(s->id);
        break;
      case 18: emu_->call_foreign_function(root_, in_.byte(), chunk()); break;
      case 19: (void)emu_->stop_plugin(root_); break;
      case 20: emu_->grpc_message(grpc_token(), chunk()); break;
      default:
        if (Stream* s = stream()) advance_request(*s);
        break;
    }
  }

  void advance_request(Stream& s) {
    if (s.request == 0 && in_.byte() % 4 == 0) {  // a TCP connection instead
      emu_->new_connection(s.id);
      s.request = s.response = 4;
      return;
    }
    advance(s.id, s.request, /*response=*/false);
  }

  void advance_response(Stream& s) {
    // An upstream answers only a request it was sent: not before the request headers went on
    // (Envoy forwards nothing while the plugin holds them).
    if (s.request == 0 || host().stream(s.id).request.headers_paused) return;
    advance(s.id, s.response, /*response=*/true);
  }

  // The next event of one direction: headers, body chunks, then trailers or a last chunk;
  // TCP data (phase 4) any number of times.
  void advance(uint32_t id, int& phase, bool response) {
    const bool end = in_.byte() % 4 == 0;
    switch (phase) {
      case 0:
        phase = 1;
        if (response) {
          emu_->send_response_headers(id, {{":status", "200"}}, end);
        } else {
          emu_->send_request_headers(id, request_headers(), end);
        }
        return;
      case 1:
      case 2: {
        const bool last = in_.byte() % 3 == 0;
        const bool trailers = last && in_.byte() % 2;
        phase = last ? 3 : 2;
        if (trailers) {
          response ? emu_->send_response_trailers(id, {{"x-trailer", "t"}})
                   : emu_->send_request_trailers(id, {{"x-trailer", "t"}});
        } else {
          response ? emu_->send_response_body(id, chunk(), last)
                   : emu_->send_request_body(id, chunk(), last);
        }
        return;
      }
      case 4:
        response ? emu_->send_upstream_data(id, chunk(), end)
                 : emu_->send_downstream_data(id, chunk(), end);
        return;
      default: return;
    }
  }

  void end(Stream& s) {
    if (!s.ended) emu_->end_stream(s.id);
    s.ended = true;
    if (s.forgotten) return;
    if (dispatcher().find_context(s.id) != nullptr) {
      violated("an ended stream is still alive in the plugin", std::to_string(s.id));
    }
    if (plugin() != nullptr && plugin()->waiters_of(s.id) != 0) {
      violated("an ended stream still owns timers or queue waiters", std::to_string(s.id));
    }
  }

  coproxy::PluginContext* plugin() {
    return static_cast<coproxy::PluginContext*>(dispatcher().find_context(root_));
  }

  void check() {
    if (!calls_may_be_illegal_ && !host().illegal_calls().empty()) {
      violated("an illegal host call", describe(host().illegal_calls()));
    }
  }

  void check_no_stream_calls() {
    for (const Stream& s : streams_) {
      if (s.forgotten) return;  // the plugin still has it, and may have calls pending
    }
    coproxy::PluginContext* p = plugin();
    if (p != nullptr && p->pending_call_count() != p->pending_calls()) {
      violated("calls owned by ended streams are still pending");
    }
  }

  Input& in_;
  std::unique_ptr<Emulator> emu_;
  uint32_t root_ = 0;
  std::vector<Stream> streams_;
  // The host misbehaved (a fault, a forgotten context, a redelivered or mixed-up event), or a
  // callback-style plugin runs where it cannot keep the rules: illegal calls are not checked.
  bool calls_may_be_illegal_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  Run run(in);
  run.play();
  return 0;
}
