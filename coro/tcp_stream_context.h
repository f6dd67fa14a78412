// TcpStreamContext: a whole TCP connection written top to bottom as one coroutine.
//
//   class Greeting : public coproxy::TcpStreamContext {
//     coproxy::Task<void> run() override {
//       Result<BodyChunk> hello = co_await next_data(StreamType::Downstream);
//       if (!hello.ok()) co_return;                  // closed before saying anything
//       ...inspect downstream_data() at hello->offset, call out, change it...
//     }                                              // from here on everything flows
//   };
//
// The coroutine starts with the connection. A direction's data is held (the host buffers it)
// while the coroutine waits for that direction or holds a chunk of it; a chunk is held until
// the coroutine asks for the next one of that direction, or finishes. Data of a direction the
// coroutine does not read flows untouched. next_data answers NotFound once the direction has
// ended (end of stream, or the peer closed) and its last bytes were handed over. When the
// connection ends while the coroutine waits, the coroutine is destroyed.
#pragma once

#include <coroutine>
#include <cstdint>
#include <string>
#include <utility>

#include "coproxy/status.h"
#include "coproxy/tcp_context.h"
#include "coro/awaitable_calls.h"
#include "coro/awaitables.h"
#include "coro/body_chunk.h"
#include "coro/held_buffer.h"
#include "coro/task.h"

namespace coproxy {

class TcpStreamContext : public TcpContextBase, public detail::AwaitableCalls {
 public:
  // The awaitable calls (see coro/awaitable_calls.h).
  using AwaitableCalls::grpc_call;
  using AwaitableCalls::http_call;

  TcpStreamContext() = default;
  ~TcpStreamContext() override;

  // The connection, top to bottom.
  virtual Task<void> run() = 0;
  // proxy_on_log: the connection is over; the coroutine is gone.
  virtual void on_stream_done();

  class DataAwaiter {
   public:
    DataAwaiter(TcpStreamContext& stream, int direction, bool keep)
        : stream_(stream), direction_(direction), keep_(keep) {}
    DataAwaiter(DataAwaiter&&) = default;  // into a combinator, before it is awaited
    // A wait given up (a when_any loser, a with_timeout that fired) must not be resumed.
    ~DataAwaiter() { stream_.drop_wait(this); }
    bool await_ready() { return stream_.begin_wait(direction_, keep_); }
    void await_suspend(std::coroutine_handle<> awaiter) {
      stream_.waiting_awaiter_ = this;
      stream_.waiter_ = awaiter;
    }
    Result<BodyChunk> await_resume() { return std::move(stream_.chunk_result_); }

   private:
    TcpStreamContext& stream_;
    int direction_;
    bool keep_;
  };
  // The next new bytes of StreamType::Downstream (from the client) or Upstream (from the
  // server); the chunk before of that direction goes on now. NotFound once it has ended.
  DataAwaiter next_data(StreamType direction);
  // The same, but what the coroutine holds of that direction stays held: the new bytes join
  // it in the host's buffer (e.g. read up to a full line before deciding).
  DataAwaiter more_data(StreamType direction);
  // What the coroutine holds of a direction goes on now (e.g. before waiting for the other
  // direction's answer to it).
  void let_go(StreamType direction);

  // A line read_line or read_until gives: its text, without the line end, and where its
  // bytes (line end included) are in the direction's buffer, for changing or dropping them.
  struct DataLine {
    std::string text;
    size_t offset = 0;
    size_t size = 0;
  };
  // The next line of a direction, read with more_data until it is whole: its bytes up to the
  // first "\n", the text without it and without a "\r" just before it. The line stays held,
  // as more_data's bytes do, until let_go, next_data or the end of run(); reading again gives
  // the line after it. Errors: NotFound, the direction ended first (what came stays held);
  // TooLarge, `max` bytes came without a line end; BadArgument, another wait of the stream
  // is pending. The bytes are read as the host holds them: change them only after reading.
  Task<Result<DataLine>> read_line(StreamType direction, size_t max);
  // The same up to `delimiter` (the text keeps any "\r").
  Task<Result<DataLine>> read_until(StreamType direction, std::string delimiter, size_t max);

  Action handle_new_connection() final;
  Action handle_downstream_data(size_t data_size, bool end_of_stream) final;
  void handle_downstream_close(PeerType peer) final;
  Action handle_upstream_data(size_t data_size, bool end_of_stream) final;
  void handle_upstream_close(PeerType peer) final;
  bool handle_done() final;
  void handle_log() final;
  void after_event() final;

 private:
  struct Direction {
    // The host passes the buffer on: the next bytes come in a fresh one.
    void passed_on() {
      data.released();
      read_past = 0;
    }

    detail::HeldBuffer data;
    size_t read_past = 0;  // read_until has returned the held buffer's bytes before this
    bool held = false;     // the coroutine holds bytes of it: the host must keep them
    bool ended = false;    // end of stream, or the peer closed
  };

  Action on_data(int direction, uint32_t size, bool end_of_stream);
  void on_close(int direction);
  template <class Run>
  void run_segment(Run&& body);
  void settle();
  // One wait at a time: a second one at once fails with BadArgument.
  bool begin_wait(int direction, bool keep);
  void drop_wait(const void* awaiter) {
    if (waiting_awaiter_ != awaiter) return;
    waiting_awaiter_ = nullptr;
    waiter_ = {};
    waiting_for_ = -1;
  }
  void resume_waiter() {
    waiting_awaiter_ = nullptr;
    std::exchange(waiter_, {}).resume();
  }
  bool try_complete_wait();
  void release(int direction);

  Task<void> task_;
  bool started_ = false;
  bool finished_ = false;
  bool segment_running_ = false;  // the coroutine runs below (started or resumed by us)
  Direction directions_[2];
  int waiting_for_ = -1;  // the direction the coroutine waits for
  int answering_ = -1;    // the direction whose data callback is running now
  std::coroutine_handle<> waiter_;
  const void* waiting_awaiter_ = nullptr;  // the awaiter object the coroutine waits in
  Result<BodyChunk> chunk_result_{StatusCode::Empty};
};

}  // namespace coproxy
