// AsyncTcpContext: a TCP connection whose data callbacks are coroutines, with the same rules
// as AsyncHttpContext: one task at a time per connection, in order; a task that suspends
// pauses its direction (the host buffers the data) and continues it when it finishes with
// Continue; when the connection ends while a task waits, the task is destroyed. The close
// notifications are plain callbacks: they run at once, also while a task waits.
#pragma once

#include <cstddef>

#include "coproxy/tcp_context.h"
#include "coro/awaitable_calls.h"
#include "coro/awaitables.h"
#include "coro/stream_sequencer.h"
#include "coro/task.h"

namespace coproxy {

class AsyncTcpContext : public TcpContextBase,
                        public detail::AwaitableCalls {
 public:
  AsyncTcpContext() : sequencer_(*this) {}

  virtual Task<Action> on_new_connection();
  virtual Task<Action> on_downstream_data(size_t data_size, bool end_of_stream);
  virtual Task<Action> on_upstream_data(size_t data_size, bool end_of_stream);
  virtual void on_downstream_close(PeerType peer);
  virtual void on_upstream_close(PeerType peer);
  // proxy_on_log: the connection is over; no task is in flight.
  virtual void on_stream_done();

  // The awaitable calls (see coro/awaitable_calls.h).
  using AwaitableCalls::grpc_call;
  using AwaitableCalls::http_call;

  Action handle_new_connection() final;
  Action handle_downstream_data(size_t data_size, bool end_of_stream) final;
  void handle_downstream_close(PeerType peer) final;
  Action handle_upstream_data(size_t data_size, bool end_of_stream) final;
  void handle_upstream_close(PeerType peer) final;
  bool handle_done() final;
  void handle_log() final;
  void after_event() final;

 private:
  enum Kind : uint8_t { kNewConnection, kDownstreamData, kUpstreamData };
  // What the sequencer asks of its stream (coro/stream_sequencer.h).
  friend class detail::StreamSequencer<AsyncTcpContext>;
  Task<Action> start_task(detail::StreamEvent event);
  Status continue_direction(uint8_t direction);

  // A member, so destroyed before the bases: a task still in flight goes before anything else
  // of the stream (after proxy_on_done, handle_done has destroyed it already).
  detail::StreamSequencer<AsyncTcpContext> sequencer_;
};

}  // namespace coproxy
