#include "coro/async_tcp_context.h"

#include "coro/stream_sequencer_impl.h"

namespace coproxy {

template class detail::StreamSequencer<AsyncTcpContext>;

using detail::StreamEvent;

Task<Action> AsyncTcpContext::on_new_connection() { return {}; }
Task<Action> AsyncTcpContext::on_downstream_data(size_t, bool) { return {}; }
Task<Action> AsyncTcpContext::on_upstream_data(size_t, bool) { return {}; }
void AsyncTcpContext::on_downstream_close(PeerType) {}
void AsyncTcpContext::on_upstream_close(PeerType) {}
void AsyncTcpContext::on_stream_done() {}

Action AsyncTcpContext::handle_new_connection() {
  return sequencer_.on_event(StreamEvent{kNewConnection, 0, false, 0});
}
Action AsyncTcpContext::handle_downstream_data(size_t data_size, bool end_of_stream) {
  return sequencer_.on_event(
      StreamEvent{kDownstreamData, 0, end_of_stream, static_cast<uint32_t>(data_size)});
}
Action AsyncTcpContext::handle_upstream_data(size_t data_size, bool end_of_stream) {
  return sequencer_.on_event(
      StreamEvent{kUpstreamData, 1, end_of_stream, static_cast<uint32_t>(data_size)});
}
void AsyncTcpContext::handle_downstream_close(PeerType peer) { on_downstream_close(peer); }
void AsyncTcpContext::handle_upstream_close(PeerType peer) { on_upstream_close(peer); }

bool AsyncTcpContext::handle_done() {
  sequencer_.cancel(/*task_may_run=*/waking());
  return true;
}

void AsyncTcpContext::handle_log() { on_stream_done(); }

void AsyncTcpContext::after_event() { sequencer_.after_event(); }

Task<Action> AsyncTcpContext::start_task(StreamEvent event) {
  switch (event.kind()) {
    case kNewConnection: return on_new_connection();
    case kDownstreamData: return on_downstream_data(event.size(), event.end_of_stream());
    default: return on_upstream_data(event.size(), event.end_of_stream());
  }
}

Status AsyncTcpContext::continue_direction(uint8_t direction) {
  return continue_stream(direction == 0 ? StreamType::Downstream : StreamType::Upstream);
}

}  // namespace coproxy
