// network: a TCP filter that counts the bytes of every connection, both ways, into counters.
// Each direction's bytes go into network_downstream_bytes_total (client to server) and
// network_upstream_bytes_total (server to client); a gauge keeps the open connections, and
// each connection logs its totals and who closed first when it is over.
// AsyncTcpContext: no task waits, so each answers the host at once.
// Style: tasks
#include <cstdint>
#include <memory>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::Task;

class Network;

class Connection : public coproxy::StreamOf<Network, coproxy::AsyncTcpContext> {
  Task<Action> on_new_connection() override;
  Task<Action> on_downstream_data(size_t size, bool) override;
  Task<Action> on_upstream_data(size_t size, bool) override;
  void on_downstream_close(coproxy::PeerType) override { note_close("client"); }
  void on_upstream_close(coproxy::PeerType) override { note_close("server"); }
  void on_stream_done() override;

  void note_close(std::string_view side) {
    if (first_close_.empty()) first_close_ = side;
  }

  uint64_t received_ = 0;  // from the client
  uint64_t sent_ = 0;      // from the server
  std::string_view first_close_;
};

class Network : public coproxy::PluginContext {
 public:
  coproxy::Counter downstream_bytes{"network_downstream_bytes_total"};
  coproxy::Counter upstream_bytes{"network_upstream_bytes_total"};
  coproxy::Gauge open{"network_connections_open"};

  std::unique_ptr<coproxy::TcpContextBase> new_tcp_context() override {
    return std::make_unique<Connection>();
  }
};

Task<Action> Connection::on_new_connection() {
  plugin().open.add(1);
  co_return Action::Continue;
}

Task<Action> Connection::on_downstream_data(size_t size, bool) {
  received_ += size;
  plugin().downstream_bytes.increment(size);
  co_return Action::Continue;
}

Task<Action> Connection::on_upstream_data(size_t size, bool) {
  sent_ += size;
  plugin().upstream_bytes.increment(size);
  co_return Action::Continue;
}

void Connection::on_stream_done() {
  plugin().open.add(-1);
  coproxy::log_info("connection closed by the ", first_close_.empty() ? "proxy" : first_close_,
                    ": ", received_, " bytes from the client, ", sent_, " from the server");
}

}  // namespace

COPROXY_REGISTER_PLUGIN(network, Network);
