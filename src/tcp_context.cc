#include "coproxy/tcp_context.h"

namespace coproxy {

Status TcpContextBase::close() {
  end_.closed = true;  // first: the host may deliver the close from inside the call
  return close_stream(StreamType::Downstream);
}

Action TcpContext::on_new_connection() { return Action::Continue; }
Action TcpContext::on_downstream_data(size_t, bool) { return Action::Continue; }
void TcpContext::on_downstream_close(PeerType) {}
Action TcpContext::on_upstream_data(size_t, bool) { return Action::Continue; }
void TcpContext::on_upstream_close(PeerType) {}
void TcpContext::on_stream_done() {}

Action TcpContext::handle_new_connection() { return on_new_connection(); }
Action TcpContext::handle_downstream_data(size_t data_size, bool end_of_stream) {
  return on_downstream_data(data_size, end_of_stream);
}
void TcpContext::handle_downstream_close(PeerType peer) { on_downstream_close(peer); }
Action TcpContext::handle_upstream_data(size_t data_size, bool end_of_stream) {
  return on_upstream_data(data_size, end_of_stream);
}
void TcpContext::handle_upstream_close(PeerType peer) { on_upstream_close(peer); }
void TcpContext::handle_log() { on_stream_done(); }

}  // namespace coproxy
