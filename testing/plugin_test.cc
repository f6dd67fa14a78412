#include "testing/plugin_test.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <utility>

#include "gtest/gtest-spi.h"
#include "testing/fault_sweep.h"
#include "testing/native_plugin.h"
#include "testing/wasm_plugin.h"

namespace coproxy::testing {

std::vector<PluginUnderTest> both_backends(const std::string& plugin) {
  return {{Backend::Native, plugin}, {Backend::Wasm, plugin}};
}

PluginLoader loader_for(const PluginUnderTest& param) {
  return param.backend == Backend::Native ? load_native(param.plugin) : load_wasm(param.plugin);
}

void PrintTo(const PluginUnderTest& param, std::ostream* out) {
  *out << param.plugin << (param.backend == Backend::Native ? " (native)" : " (wasm)");
}

std::string backend_name(const ::testing::TestParamInfo<PluginUnderTest>& info) {
  return info.param.backend == Backend::Native ? "native" : "wasm";
}

std::string plugin_and_backend_name(const ::testing::TestParamInfo<PluginUnderTest>& info) {
  return info.param.plugin + "_" + backend_name(info);
}

std::vector<std::string> PluginTest::log_messages() const {
  std::vector<std::string> messages;
  for (const LogEntry& entry : emu_->host().logs()) messages.push_back(entry.message);
  return messages;
}

std::vector<std::string> PluginTest::log_messages(LogLevel level) const {
  std::vector<std::string> messages;
  for (const LogEntry& entry : emu_->host().logs()) {
    if (entry.level == level) messages.push_back(entry.message);
  }
  return messages;
}

std::string PluginTest::last_log_message() const {
  const std::vector<LogEntry>& logs = emu_->host().logs();
  return logs.empty() ? std::string() : logs.back().message;
}

void PluginTest::expect_refused(std::initializer_list<RefusedConfiguration> cases) {
  for (const RefusedConfiguration& refused : cases) {
    reset_emulator();
    const std::string configuration(refused.configuration);
    EXPECT_EQ(emu().start_plugin(configuration), 0u) << configuration;
    ASSERT_FALSE(host().logs().empty()) << configuration;
    EXPECT_EQ(host().logs().back().message, refused.message) << configuration;
    EXPECT_EQ(host().logs().back().level, LogLevel::Error) << configuration;
  }
}

void PluginTest::reset_emulator(HostBehaviour behaviour) {
  if (emu_) {
    check();
    const auto& calls = host().plugin_call_log();
    earlier_calls_.insert(earlier_calls_.end(), calls.begin(), calls.end());
    if (host().faults_met() > 0) faults_met_earlier_ = true;
  }
  emu_ = std::make_unique<Emulator>(loader_for(GetParam()), behaviour);
  if (fault_) {
    fault_sweep::watch(host());
    if (fault_->call >= earlier_calls_.size()) {
      host().inject_fault(fault_->call - earlier_calls_.size(), fault_->status);
    }
  }
  ASSERT_TRUE(emu_->loaded()) << "plugin '" << GetParam().plugin << "' is not linked in for the "
                              << (GetParam().backend == Backend::Native ? "native" : "wasm")
                              << " backend (add its _native / _wasm2c target to the test)";
}

void PluginTest::TearDown() {
  check();
  if (fault_sweep::enabled() && !fault_ && !HasFailure()) sweep_faults();
}

void PluginTest::check() {
  if (!emu_ || !emu_->loaded()) return;
  if (std::optional<std::string> trap = emu_->plugin().trap_message()) {
    if (!trap_) trap_ = *trap;
    ADD_FAILURE() << "the plugin trapped: " << *trap;
  }
  if (!illegal_calls_expected_) {
    EXPECT_TRUE(host().illegal_calls().empty()) << "illegal host calls:\n"
                                                << describe(host().illegal_calls());
  }
}

void PluginTest::sweep_faults() {
  std::vector<Host::PluginCall> calls = earlier_calls_;
  const auto& last = host().plugin_call_log();
  calls.insert(calls.end(), last.begin(), last.end());
  // A call made again from the same callback (the next request of a loop) runs the same code
  // as before: under the sanitizers only its first occurrences are failed.
  const size_t repeats = fault_sweep::repeats_per_callback();
  std::map<std::pair<std::string_view, Callback>, size_t> seen;
  for (size_t call = 0; call < calls.size(); ++call) {
    if (++seen[{calls[call].import, calls[call].callback}] > repeats) {
      fault_sweep::count(fault_sweep::Outcome::Repeated);
      continue;
    }
    for (StatusCode status : fault_sweep::fault_statuses(calls[call].import)) {
      if (!run_with_fault(Fault{call, status}, calls[call].import)) return;  // one report
    }
  }
}

bool PluginTest::run_with_fault(Fault fault, std::string_view import) {
  int report[2];
  if (pipe(report) != 0) {
    ADD_FAILURE() << "fault sweep: no pipe";
    return false;
  }
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    close(report[0]);
    const fault_sweep::Outcome outcome = run_in_child(fault);
    if (trap_) (void)!write(report[1], trap_->data(), trap_->size());
    _exit(static_cast<int>(outcome));
  }
  close(report[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = read(report[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
  close(report[0]);
  int status = 0;
  waitpid(child, &status, 0);
  const auto outcome = WIFEXITED(status) && WEXITSTATUS(status) <= 3
                           ? static_cast<fault_sweep::Outcome>(WEXITSTATUS(status))
                           : fault_sweep::Outcome::PluginFailed;
  fault_sweep::count(outcome);
  if (outcome != fault_sweep::Outcome::PluginFailed) return true;
  ADD_FAILURE() << "with host call #" << fault.call << " (" << import << ") failing with "
                << status_name(fault.status) << ", the plugin "
                << (message.empty() ? "crashed (see the sanitizer report above, if any)"
                                    : "trapped: " + message);
  return false;
}

fault_sweep::Outcome PluginTest::run_in_child(Fault fault) {
  fault_ = fault;
  earlier_calls_.clear();
  faults_met_earlier_ = false;
  trap_.reset();
  (void)emu_.release();  // the child ends soon: no plugin code runs to destroy it
  // The test's expectations assume success: collect them, unreported.
  ::testing::TestPartResultArray ignored;
  ::testing::ScopedFakeTestPartResultReporter intercept(
      ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS, &ignored);
  try {
    reset_emulator();
    SetUp();
    TestBody();
  } catch (...) {
    return fault_sweep::Outcome::TestCodeStopped;  // not in the plugin: it threw past it
  }
  check();
  if (trap_) return fault_sweep::Outcome::PluginFailed;
  const bool met = faults_met_earlier_ || (emu_ && host().faults_met() > 0);
  return met ? fault_sweep::Outcome::Passed : fault_sweep::Outcome::NotReached;
}

}  // namespace coproxy::testing
