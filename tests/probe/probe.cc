// probe: a plugin that does, on request, what the emulator's own tests need a guest to do:
// hand the host bad pointers and lengths, malformed maps, unknown ids, illegal calls, and
// the usual pause/callout/continue flow. It logs what the host answered, so one test reads
// the same on the native and the .wasm backend.
//
// Foreign function ids run raw-ABI probes (results logged as one line):
//   1 bad_memory   2 bad_lengths (wasm only)   3 malformed_maps   4 unknown_ids   5 trap
// Request headers steer the stream:
//   x-callout: <timeout ms>  call "auth", Pause, log the answer, continue the request
//   x-buffer                 Pause the request body until its end
//   x-illegal: <what>        in the response headers callback, make that illegal call
//   x-malformed              set the request headers from a malformed map
#include <cstdlib>
#include <string>
#include <string_view>

#include "coproxy/abi/imports.h"
#include "coproxy/coproxy.h"
#include "tests/support/probe_support.h"

namespace {

using namespace coproxy::probe;
using coproxy::Action;
using coproxy::Result;
using coproxy::Status;
using coproxy::StatusCode;

// A raw import's status, like coproxy::probe::code for a Status.
std::string code(proxy_status_t status) { return number(status); }
using coproxy::probe::code;

// An address the host must refuse: past the end of linear memory for the .wasm; natively the
// only pointer a host can tell is bad is null.
#if defined(COPROXY_WASM)
template <class T>
T* bad() {
  return reinterpret_cast<T*>(uintptr_t{0xFFFFFFF0u});
}
#else
template <class T>
T* bad() {
  return nullptr;
}
#endif

constexpr uint32_t kInfo = static_cast<uint32_t>(coproxy::LogLevel::Info);

std::string bad_memory() {
  std::string line = "bad_memory";
  line += " " + code(proxy_log(kInfo, bad<const char>(), 10));
  line += " " + code(proxy_get_log_level(bad<uint32_t>()));
  const char path[] = "plugin_root_id";
  size_t size = 0;
  line += " " + code(proxy_get_property(path, sizeof path, bad<const char*>(), &size));
  // A message the guest could not receive stays in the queue.
  uint32_t queue = 0;
  proxy_register_shared_queue("q", 1, &queue);
  proxy_enqueue_shared_queue(queue, "kept", 4);
  line += " " + code(proxy_dequeue_shared_queue(queue, bad<const char*>(), &size));
  const char* value = nullptr;
  line += " " + code(proxy_dequeue_shared_queue(queue, &value, &size));
  line += " " + std::string(value, size);
  free(const_cast<char*>(value));
  uint32_t token = 0;
  line += " " + code(proxy_http_call(bad<const char>(), 4, nullptr, 0, nullptr, 0, nullptr, 0, 1000,
                                     &token));
  line += " " + code(proxy_set_shared_data("k", 1, bad<const char>(), 5, 0));
  return line;
}

#if defined(COPROXY_WASM)
std::string bad_lengths() {
  const size_t memory_end = __builtin_wasm_memory_size(0) * 65536;
  const char text[] = "fine";
  std::string line = "bad_lengths";
  line += " " + code(proxy_log(kInfo, text, 0xFFFFFFF0u));  // wraps around
  line += " " + code(proxy_log(kInfo, reinterpret_cast<const char*>(memory_end - 2), 4));
  line += " " + code(proxy_log(kInfo, reinterpret_cast<const char*>(memory_end - 4), 4));
  line += " " + code(proxy_get_log_level(reinterpret_cast<uint32_t*>(memory_end - 2)));
  line += " " + code(proxy_get_current_time_nanoseconds(
                    reinterpret_cast<uint64_t*>(memory_end - 4)));  // needs 8 bytes
  return line;
}
#else
std::string bad_lengths() { return "bad_lengths: only a .wasm has bounds to check"; }
#endif

std::string malformed_maps() {
  const char truncated[] = {2, 0, 0, 0, 1, 0};  // says two pairs, then stops
  uint32_t token = 0;
  std::string line = "malformed_maps";
  line += " " + code(proxy_http_call("auth", 4, truncated, sizeof truncated, nullptr, 0, nullptr, 0,
                                     1000, &token));
  line += " " + code(proxy_grpc_call("g", 1, "s", 1, "m", 1, truncated, sizeof truncated, "x", 1,
                                     1000, &token));
  return line;
}

std::string unknown_ids() {
  std::string line = "unknown_ids";
  line += " " + code(proxy_set_effective_context(999));
  line += " " + code(proxy_grpc_send(999, "x", 1, 0));
  line += " " + code(proxy_grpc_cancel(999));
  line += " " + code(proxy_increment_metric(999, 1));
  const char* value = nullptr;
  size_t size = 0;
  line += " " + code(proxy_dequeue_shared_queue(999, &value, &size));
  line += " " + code(proxy_continue_stream(0));  // from a plugin context: no stream to continue
  return line;
}

class ProbeStream : public coproxy::HttpContext {
 public:
  Action on_request_headers(size_t, bool) override {
    coproxy::log_info("request_headers");
    if (request_headers().get("x-malformed").ok()) {
      const char truncated[] = {1, 0, 0, 0, 9, 0};
      coproxy::log_info("set malformed ",
                        code(proxy_set_header_map_pairs(0, truncated, sizeof truncated)));
    }
    buffer_ = request_headers().get("x-buffer").ok();
    Result<coproxy::HostBytes> timeout = request_headers().get("x-callout");
    if (!timeout.ok()) return Action::Continue;
    const auto ms = std::chrono::milliseconds(parse_number(timeout->view()));
    Result<uint32_t> token = http_call(
        "auth", {{":method", "GET"}, {":path", "/check"}, {":authority", "auth"}}, {}, {}, ms,
        [](const coproxy::HttpCallResponse& response) {
          coproxy::log_info("response begin ",
                            response.failed() ? std::string("failed") : number(response.status()));
          request_headers().add("x-checked", "1");  // legal: the request is paused here
          coproxy::continue_stream(coproxy::StreamType::HttpRequest);
          coproxy::log_info("response end");
        });
    return token.ok() ? Action::Pause : Action::Continue;
  }

  Action on_request_body(size_t size, bool end_of_stream) override {
    coproxy::log_info("request_body ", number(size), end_of_stream ? " end" : "");
    return buffer_ && !end_of_stream ? Action::Pause : Action::Continue;
  }

  Action on_request_trailers(size_t count) override {
    coproxy::log_info("request_trailers ", number(count));
    return Action::Continue;
  }

  Action on_response_headers(size_t, bool) override {
    Result<coproxy::HostBytes> what = request_headers().get("x-illegal");  // legal: a read
    if (!what.ok()) return Action::Continue;
    const std::string illegal(what->view());
    if (illegal == "modify-request-headers") {
      coproxy::log_info(illegal, " ", code(request_headers().add("late", "1")));
    } else if (illegal == "read-request-body") {
      coproxy::log_info(illegal, " ", code(request_body().get(0, 10).status()));
    } else if (illegal == "callout-map") {
      coproxy::log_info(illegal, " ",
                        code(coproxy::HeaderMap(coproxy::MapType::HttpCallResponseHeaders)
                                 .get(":status")
                                 .status()));
    } else if (illegal == "continue-unpaused") {
      coproxy::log_info(illegal, " ",
                        code(coproxy::continue_stream(coproxy::StreamType::HttpRequest)));
    } else if (illegal == "config") {
      coproxy::log_info(illegal, " ", code(coproxy::plugin_configuration().get(0, 1).status()));
    }
    return Action::Continue;
  }

 private:
  bool buffer_ = false;
};

class Probe : public coproxy::PluginContext {
 public:
  bool on_plugin_start(size_t) override {
    Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    if (config.ok() && config->view() == "tick") {
      coproxy::set_tick_period(std::chrono::milliseconds(100));
    }
    return true;
  }

  void on_tick() override {
    coproxy::log_info("tick ", number(coproxy::current_time_nanoseconds().value_or(0) / 1000000));
  }

  void on_foreign_function(uint32_t function_id, size_t) override {
    switch (function_id) {
      case 1: coproxy::log_info(bad_memory()); break;
      case 2: coproxy::log_info(bad_lengths()); break;
      case 3: coproxy::log_info(malformed_maps()); break;
      case 4: coproxy::log_info(unknown_ids()); break;
      case 5: __builtin_trap();
      default: break;
    }
  }

  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<ProbeStream>();
  }
};

}  // namespace

COPROXY_REGISTER_PLUGIN(probe, Probe);
