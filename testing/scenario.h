// Scenario: a plugin's life as a text file of events, run through the Emulator with the trace
// on. One event a line; `#` starts a comment; words are separated by spaces, "quoted" words
// may hold spaces and \n \t \r \" \\ escapes (any other is an error); headers are name=value
// words. A line that fails stops the run: its error goes into the trace ("!! line N: ...")
// and the runner exits 1.
//
//   behaviour hold_body=off continue=reentrant failed_callout=local_reply canary=off
//             grpc_deadline=unavailable same_instant=timeout_first
//                               (before start; docs/testing.md lists the defaults)
//   fault IMPORT STATUS         the plugin's next call to IMPORT fails with STATUS (CAS_MISMATCH)
//   shared_data KEY "value"     shared data another VM wrote (a new CAS)
//   shared_data_race KEY "v"    the plugin's next set of KEY meets another writer's "v" first
//   start [config="..."] [root_id=...] [vm_config="..."]   a plugin context (the current one)
//   stream S                    a new HTTP stream S under the current plugin context
//   request_headers S name=value... [end]    response_headers S ... [end]
//   request_body S "chunk" [end]             response_body S "chunk" [end]
//   request_trailers S name=value...         response_trailers S name=value...
//   connection C                a new TCP stream: proxy_on_new_connection
//   downstream C "data" [end]   upstream C "data" [end]
//   close_downstream C          close_upstream C
//   end_stream S                proxy_on_done, proxy_on_log, proxy_on_delete
//   answer_http N name=value... [body="..."]      N: the Nth HTTP callout (1-based)
//   fail_http N                 the callout failed (reset)
//   grpc_initial_metadata N name=value...         N: the Nth gRPC callout (1-based)
//   grpc_message N "message"    grpc_trailing_metadata N name=value...
//   grpc_close N STATUS ["status message"]
//                               (callouts count those of the live VM, not the canary's)
//   advance MS                  the virtual clock (ticks, callout timeouts)
//   tick                        proxy_on_tick on the current plugin context
//   queue_ready                 proxy_on_queue_ready for queues that got messages
//   foreign ID "arguments"      proxy_on_foreign_function
//   show S                      print stream S as the host sees it (a connection: its data)
//   metrics                     print every metric the plugin defined, with its value
//   logs                        print the plugin's log lines since the last `logs`
//   stop                        proxy_on_done on the current plugin context
// docs/testing.md describes the language for plugin authors.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "testing/emulator.h"

namespace coproxy::testing {

class Scenario {
 public:
  // Every output line (trace and shown state) goes to `out`.
  Scenario(PluginLoader loader, std::function<void(std::string_view)> out);

  // Runs the whole text. False (with error()) on a line it cannot run, or when the plugin
  // could not be loaded or trapped; illegal host calls are reported, not fatal.
  bool run(std::string_view text);
  const std::string& error() const { return error_; }
  // Null until the first event that needs the plugin.
  Emulator* emulator() { return emulator_.get(); }

 private:
  bool run_line(const std::vector<std::string>& words);
  bool ensure_emulator();
  uint32_t stream_id(const std::string& name);
  void show(const std::string& name);
  void show_metrics();
  void show_logs();
  bool fail(std::string message);
  bool stop(std::string message);

  PluginLoader loader_;
  std::function<void(std::string_view)> out_;
  HostBehaviour behaviour_;
  std::unique_ptr<Emulator> emulator_;
  uint32_t root_ = 0;
  std::map<std::string, uint32_t> streams_;
  std::set<std::string> connections_;  // the TCP streams among them
  size_t logs_shown_ = 0;  // log lines already printed by `logs`
  std::string error_;
};

// Splits one scenario line into words (quotes and escapes resolved, comment dropped); false,
// with `error` saying why, for an unterminated quote or an unknown escape.
bool split_scenario_line(std::string_view line, std::vector<std::string>* words,
                         std::string* error);

}  // namespace coproxy::testing
