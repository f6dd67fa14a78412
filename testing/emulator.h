// Emulator: drives a plugin the way a Proxy-Wasm host does, so that a test reads as a story:
//   Emulator emu(Backend::load...);  auto root = emu.start_plugin("config");
//   auto stream = emu.open_stream(root);
//   EXPECT_EQ(emu.send_request_headers(stream, {{":path", "/"}}), Action::Continue);
// It owns the Host (state, records) and talks to the plugin only through PluginBackend.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "coproxy/abi/types.h"
#include "testing/host.h"
#include "testing/plugin_backend.h"

namespace coproxy::testing {

class Emulator {
 public:
  // `load` makes the plugin instance for this emulator's Host.
  using Loader = std::function<std::unique_ptr<PluginBackend>(Host&)>;
  explicit Emulator(const Loader& load);
  ~Emulator();

  Host& host() { return host_; }
  PluginBackend& plugin() { return *plugin_; }
  bool loaded() const { return plugin_ != nullptr; }

  // Creates a plugin (root) context with this root id, starts the VM (first root only) and
  // configures it. Returns the root context id, or 0 when the plugin refused to start.
  uint32_t start_plugin(std::string plugin_configuration = "", std::string root_id = "",
                        std::string vm_configuration = "");
  // A new stream context under `root`.
  uint32_t open_stream(uint32_t root);

  Action send_request_headers(uint32_t stream, Pairs headers, bool end_of_stream = false);
  Action send_request_body(uint32_t stream, std::string chunk, bool end_of_stream);
  Action send_request_trailers(uint32_t stream, Pairs trailers);
  Action send_response_headers(uint32_t stream, Pairs headers, bool end_of_stream = false);
  Action send_response_body(uint32_t stream, std::string chunk, bool end_of_stream);
  Action send_response_trailers(uint32_t stream, Pairs trailers);

  Action new_connection(uint32_t stream);
  Action send_downstream_data(uint32_t stream, std::string chunk, bool end_of_stream);
  Action send_upstream_data(uint32_t stream, std::string chunk, bool end_of_stream);
  void close_downstream(uint32_t stream, PeerType peer = PeerType::Remote);
  void close_upstream(uint32_t stream, PeerType peer = PeerType::Remote);

  // Ends a stream as a host does: proxy_on_done, proxy_on_log, proxy_on_delete.
  void end_stream(uint32_t stream);
  // Asks the plugin to finish (proxy_on_done); true when it is done at once.
  bool stop_plugin(uint32_t root);
  void delete_context(uint32_t context_id);

  void tick(uint32_t root);
  // Delivers proxy_on_queue_ready for every queue that got a message.
  void deliver_queue_ready();
  void call_foreign_function(uint32_t root, uint32_t function_id, std::string arguments);

  // Answers the HTTP callout `token` (made by a context of `root`).
  void answer_http_call(uint32_t root, uint32_t token, Pairs headers, std::string body = "",
                        Pairs trailers = {});
  // Fails it as a host does for a reset or timeout: a response with no headers.
  void fail_http_call(uint32_t root, uint32_t token);
  void grpc_initial_metadata(uint32_t root, uint32_t token, Pairs metadata);
  void grpc_message(uint32_t root, uint32_t token, std::string message);
  void grpc_trailing_metadata(uint32_t root, uint32_t token, Pairs metadata);
  void grpc_close(uint32_t root, uint32_t token, uint32_t status, std::string message = "");

 private:
  // Sets the host up for one call into the plugin with `context` effective.
  template <class Call>
  auto call(uint32_t context, Call&& body);

  Host host_;
  std::unique_ptr<PluginBackend> plugin_;
  uint32_t next_context_id_ = 1;
  bool vm_started_ = false;
};

}  // namespace coproxy::testing
