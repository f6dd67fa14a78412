// GrpcStream: a gRPC stream a coroutine reads with co_await.
//
//   GrpcStream stream;
//   if (!stream.open({"cluster", "pkg.Service", "Watch"}, {}).ok()) co_return;
//   stream.send(request);
//   for (;;) {
//     Result<GrpcStreamEvent> event = co_await stream.next();
//     if (!event.ok() || event->kind == GrpcStreamEvent::Kind::Close) break;
//     ...
//   }
//
// A stream opened by the plugin context may be read by a stream's task: that stream is made
// effective for the task and continued when the task finishes, as for its own waits.
// Events that arrive while the coroutine is not waiting are queued (copied out of the host),
// so none is lost. After the Close event, next() answers NotFound; BrokenConnection when the
// host lost track of the stream (it could not deliver to this context, or gave its token to a
// newer call). Destroying an open stream (the task ended, or was destroyed with its stream)
// cancels it.
#pragma once

#include <coroutine>
#include <cstdint>
#include <deque>
#include <string_view>

#include "coproxy/context.h"
#include "coproxy/grpc_call.h"
#include "coproxy/grpc_status.h"
#include "coproxy/header.h"
#include "coproxy/header_map.h"
#include "coproxy/host_bytes.h"
#include "coproxy/pending_call.h"
#include "coproxy/status.h"

namespace coproxy {

// One event of a stream, in the order Envoy delivers them: InitialMetadata (once, before the
// first message; empty when the server sent none), Message (any number), TrailingMetadata
// (once, before the close, also when the stream was reset), Close (last). A loop that reads
// messages must skip the metadata kinds rather than stop at them.
struct GrpcStreamEvent {
  enum class Kind : uint8_t { InitialMetadata, Message, TrailingMetadata, Close };
  Kind kind = Kind::Message;
  HeaderPairs metadata;                     // InitialMetadata, TrailingMetadata
  HostBytes message;                        // Message; Close: the host's status message
  GrpcStatus grpc_status = GrpcStatus::Ok;  // Close
};

class GrpcStream final : public PendingCall {
 public:
  GrpcStream() = default;
  // Cancels the stream if it is still open.
  ~GrpcStream() override;

  // Opens the stream, owned by the current context. Errors: the host's.
  Status open(const GrpcMethod& method, HeaderSpan initial_metadata);
  Status send(std::string_view message, bool end_of_stream = false);
  // Closes this side (the host's proxy_grpc_close); events keep coming until the Close event.
  Status close();
  // Stops the stream at once; no more events.
  Status cancel();
  bool is_open() const { return open_; }

  // co_await next(): the next event, waiting for one when none is queued.
  class NextAwaiter {
   public:
    explicit NextAwaiter(GrpcStream& stream) : stream_(stream) {}
    NextAwaiter(NextAwaiter&&) = default;  // into a combinator, before it is awaited
    // A wait given up (a when_any loser, a with_timeout that fired) must not be resumed.
    ~NextAwaiter() {
      if (stream_.next_awaiter_ != this) return;
      stream_.next_awaiter_ = nullptr;
      stream_.awaiter_ = {};
    }
    bool await_ready() noexcept {
      refused_ = stream_.next_awaiter_ != nullptr;  // one reader at a time
      return refused_ || !stream_.events_.empty() || !stream_.open_;
    }
    void await_suspend(std::coroutine_handle<> awaiter) noexcept {
      stream_.next_awaiter_ = this;
      stream_.awaiter_ = awaiter;
      reader_ = Context::current();
    }
    Result<GrpcStreamEvent> await_resume();

   private:
    friend class GrpcStream;
    GrpcStream& stream_;
    Context* reader_ = nullptr;  // the context whose task waits (alive while it waits)
    bool refused_ = false;
  };
  NextAwaiter next() { return NextAwaiter(*this); }

  void on_grpc_initial_metadata(size_t count) override;
  void on_grpc_message(size_t size) override;
  void on_grpc_trailing_metadata(size_t count) override;
  void on_grpc_close(uint32_t status_code) override;
  void on_grpc_remote_close() override { close_grpc_stream_if_open(); }
  void on_lost() override;
  void on_abandoned() override;

 private:
  void push(GrpcStreamEvent event);
  // Resumes the waiting reader. A reader of another context than the one the event came to (a
  // stream's task reading a stream its plugin opened) runs and settles as its own context.
  void wake_reader();

  bool open_ = false;
  bool lost_ = false;  // the host lost track of it: next() answers BrokenConnection
  uint32_t stream_token_ = 0;
  std::deque<GrpcStreamEvent> events_;
  std::coroutine_handle<> awaiter_;
  NextAwaiter* next_awaiter_ = nullptr;  // the awaiter object the reader waits in
};

}  // namespace coproxy
