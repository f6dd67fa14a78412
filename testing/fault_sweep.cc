#include "testing/fault_sweep.h"

#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "testing/host.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define COPROXY_SANITIZED 1
#endif
#endif

namespace coproxy::testing::fault_sweep {
namespace {

struct Counts {
  size_t runs = 0;
  size_t by_outcome[5] = {};
};
Counts counts;

const Host* watched = nullptr;

[[noreturn]] void end_child() {
  const bool in_plugin = watched != nullptr && watched->call_depth() > 0;
  _exit(static_cast<int>(in_plugin ? Outcome::PluginFailed : Outcome::TestCodeStopped));
}

void on_crash_signal(int) { end_child(); }

// Prints the counts when the test binary ends.
class Report : public ::testing::Environment {
 public:
  void TearDown() override {
    const size_t* by = counts.by_outcome;
    std::printf("fault sweep: %zu runs (test, host call, status): %zu passed with the fault met, "
                "%zu never reached it, %zu stopped in test code, %zu failed in the plugin; "
                "%zu repeated calls not failed\n",
                counts.runs - by[4], by[0], by[1], by[2], by[3], by[4]);
  }
};

[[maybe_unused]] const bool report_registered = [] {
  if (enabled()) ::testing::AddGlobalTestEnvironment(new Report);
  return true;
}();

// The failure a host gives each import most often (proxy-wasm-cpp-host exports.cc, Envoy's
// context.cc); INTERNAL_FAILURE is tried for every import besides.
StatusCode typical_failure(std::string_view import) {
  static const std::pair<std::string_view, StatusCode> kTypical[] = {
      {"proxy_get_header_map_value", StatusCode::NotFound},
      {"proxy_get_header_map_pairs", StatusCode::InvalidMemoryAccess},
      {"proxy_get_header_map_size", StatusCode::NotFound},
      {"proxy_get_buffer_bytes", StatusCode::NotFound},
      {"proxy_get_buffer_status", StatusCode::NotFound},
      {"proxy_get_property", StatusCode::NotFound},
      {"proxy_get_shared_data", StatusCode::NotFound},
      {"proxy_set_shared_data", StatusCode::CasMismatch},
      {"proxy_dequeue_shared_queue", StatusCode::Empty},
      {"proxy_resolve_shared_queue", StatusCode::NotFound},
      {"proxy_get_status", StatusCode::NotFound},
      {"proxy_get_metric", StatusCode::NotFound},
      {"proxy_increment_metric", StatusCode::NotFound},
      {"proxy_record_metric", StatusCode::NotFound},
      {"proxy_call_foreign_function", StatusCode::NotFound},
      {"proxy_grpc_send", StatusCode::NotFound},
      {"proxy_grpc_cancel", StatusCode::NotFound},
      {"proxy_grpc_close", StatusCode::NotFound},
      {"proxy_get_current_time_nanoseconds", StatusCode::InternalFailure},
      {"proxy_log", StatusCode::InternalFailure},
  };
  for (const auto& [name, status] : kTypical) {
    if (name == import) return status;
  }
  return StatusCode::BadArgument;  // the rest refuse their arguments or the context
}

}  // namespace

size_t repeats_per_callback() {
#if defined(COPROXY_SANITIZED)
  return 2;
#else
  return SIZE_MAX;
#endif
}

bool enabled() {
  const char* value = std::getenv("COPROXY_FAULT_SWEEP");
  return value != nullptr && std::string(value) == "1";
}

std::vector<StatusCode> fault_statuses(std::string_view import) {
  const StatusCode typical = typical_failure(import);
  if (typical == StatusCode::InternalFailure) return {StatusCode::InternalFailure};
  return {typical, StatusCode::InternalFailure};
}

void watch(const Host& host) {
  static const bool installed = [] {
    for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(signal, on_crash_signal);
#if defined(COPROXY_SANITIZED)
    __sanitizer_set_death_callback(end_child);
#endif
    return true;
  }();
  (void)installed;
  watched = &host;
}

void count(Outcome outcome) {
  ++counts.runs;
  ++counts.by_outcome[static_cast<int>(outcome)];
}

}  // namespace coproxy::testing::fault_sweep
