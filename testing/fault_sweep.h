// The fault sweep: with COPROXY_FAULT_SWEEP=1 in the environment, every PluginTest that passes
// runs again once for each host call its plugin made, with that call failing (before the host
// does anything for it) with each of fault_statuses(import). Each run is a child process. It
// fails when the plugin traps or crashes, or the emulator crashes, while the host is inside a
// call into the plugin (natively, under the sanitizers too). The test's own expectations are
// not checked, since they assume every call succeeds; test code that crashes outside the
// plugin (reading a callout that was never made, say) ends its run without failing it.
// Natively every call is failed; under the sanitizers, where a run costs far more, the same
// import made from the same callback again and again (a test's loop of requests) is failed for
// its first two occurrences only (repeats_per_callback()).
// //tests:fault_sweep_test runs the plugin test binaries so; each prints its counts.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "coproxy/abi/types.h"

namespace coproxy::testing {
class Host;
}

namespace coproxy::testing::fault_sweep {

// COPROXY_FAULT_SWEEP is set to 1.
bool enabled();

// The statuses a call to `import` is failed with: INTERNAL_FAILURE, and the failure a host
// gives that import most often (NOT_FOUND for a lookup, BAD_ARGUMENT for a refused argument,
// INVALID_MEMORY_ACCESS when the host could not hand a value to the plugin, ...).
std::vector<StatusCode> fault_statuses(std::string_view import);

// How one run ended.
enum class Outcome : int {
  Passed = 0,           // the fault was met, and nothing trapped or crashed
  NotReached = 1,       // the run took another path and never made that call
  TestCodeStopped = 2,  // test code crashed or threw outside the plugin: not the plugin's
  PluginFailed = 3,     // a trap or crash inside a call into the plugin
  Repeated = 4,         // not run: the same import from the same callback, failed enough
};

// How many times the same import made from the same callback is failed in one test: every
// time natively, twice under the sanitizers.
size_t repeats_per_callback();

// In a run's child process: a crash (a signal, a sanitizer report) while `host` is inside a
// call into the plugin ends the child with PluginFailed, any other with TestCodeStopped.
void watch(const Host& host);

// Counts a run's outcome; the counts are printed when the test binary ends.
void count(Outcome outcome);

}  // namespace coproxy::testing::fault_sweep
