// HttpStreamContext: a whole HTTP stream written top to bottom as one coroutine.
//
//   class Filter : public coproxy::HttpStreamContext {
//     coproxy::Task<void> run() override {
//       co_await phase(HttpPhase::RequestHeaders);
//       request_headers().add("x-seen", "1");
//       Result<HostBytes> body = co_await whole_body(StreamType::HttpRequest, 64 * 1024);
//       if (!body.ok()) { send_local_response(413, "too large"); co_return; }
//       co_await phase(HttpPhase::ResponseHeaders);      // the request goes on here
//       response_headers().add("x-request-bytes", std::to_string(body->size()));
//     }                                                  // the response goes on here
//   };
//
// The coroutine starts with the stream's first event and is always at one phase (request
// headers, body, trailers, then response headers, body, trailers). The phase it is at is held
// by the host (Pause, the body buffered) while the coroutine works on it, also across its
// other awaits (a callout, a sleep). Awaiting a later phase moves past it, and it goes on.
// Phases the coroutine never awaits flow through untouched; when it finishes, everything goes
// on. A local reply ends the request from any point, and what was held goes nowhere. Sent
// before the upstream's response headers, the reply then runs through the response phases
// (Envoy does), which the coroutine may await to stamp it (co_await
// phase(HttpPhase::ResponseHeaders)) or let flow by finishing; sent later, it goes straight
// to the client.
//
// Errors: NotFound for a phase the stream does not have (its direction ended before it, e.g.
// no body after headers with end_of_stream); BadArgument for a phase the coroutine has already
// moved past; TooLarge from whole_body. When the stream ends while the coroutine waits
// anywhere, the coroutine is destroyed (its destructors run, its waits end).
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "coproxy/host_bytes.h"
#include "coproxy/http_context.h"
#include "coproxy/status.h"
#include "coro/awaitable_calls.h"
#include "coro/awaitables.h"
#include "coro/body_chunk.h"
#include "coro/held_buffer.h"
#include "coro/task.h"

namespace coproxy {

enum class HttpPhase : uint8_t {
  RequestHeaders,
  RequestBody,
  RequestTrailers,
  ResponseHeaders,
  ResponseBody,
  ResponseTrailers,
};

// A headers or trailers phase that arrived: its pair count, and whether its direction ends.
struct PhaseEvent {
  uint32_t count = 0;
  bool end_of_stream = false;
};

// What `co_await phase(p)` gives: the phase's PhaseEvent, or NotFound / BadArgument (see
// above). Unlike the SDK's other results it may be dropped without a warning: a filter often
// awaits a phase only to move there.
class PhaseResult : public Result<PhaseEvent> {
 public:
  using Result<PhaseEvent>::Result;
};

class HttpStreamContext : public HttpContextBase, public detail::AwaitableCalls {
 public:
  // The awaitable calls (see coro/awaitable_calls.h).
  using AwaitableCalls::grpc_call;
  using AwaitableCalls::http_call;

  HttpStreamContext() = default;
  // Destroys the coroutine if it still waits.
  ~HttpStreamContext() override;

  // The stream, top to bottom.
  virtual Task<void> run() = 0;
  // proxy_on_log: the stream is over; the coroutine is gone.
  virtual void on_stream_done();

  class PhaseAwaiter;
  class ChunkAwaiter;
  class WholeBodyAwaiter;

  // Waits for `phase` and makes it the current one. A PhaseResult (for a body phase the
  // count is the bytes buffered so far; use next_chunk or whole_body to read them).
  PhaseAwaiter phase(HttpPhase phase);
  // The next new bytes of the direction's body (StreamType::HttpRequest or HttpResponse), as
  // Result<BodyChunk>; the chunk before goes on now. NotFound once the body is over.
  ChunkAwaiter next_chunk(StreamType direction);
  // The direction's whole body, held until its end, as Result<HostBytes>; TooLarge as soon as
  // it grows past `limit` bytes (it stays held: answer locally, or move on to let it go).
  WholeBodyAwaiter whole_body(StreamType direction, size_t limit);

  // ---- what the dispatcher and the scheduler call ----
  Action handle_request_headers(size_t header_count, bool end_of_stream) final;
  Action handle_request_body(size_t body_size, bool end_of_stream) final;
  Action handle_request_trailers(size_t trailer_count) final;
  Action handle_response_headers(size_t header_count, bool end_of_stream) final;
  Action handle_response_body(size_t body_size, bool end_of_stream) final;
  Action handle_response_trailers(size_t trailer_count) final;
  bool handle_done() final;
  void handle_log() final;
  void after_event() final;

 private:
  static constexpr int kPhases = 6;
  enum class Wait : uint8_t { None, Phase, Chunk, WholeBody };

  Action on_event(int phase, uint32_t size, bool end_of_stream);
  // Runs `body` as a stretch of the coroutine, then settles what it did.
  template <class Run>
  void run_segment(Run&& body);
  void settle();
  // The answer to the host for the callback of `phase` that is running now; `after_reply`:
  // the callback came after a local reply (it is the reply's own).
  Action answer(int phase, bool after_reply);
  bool holds_everything(bool after_reply) const;
  // The first time a local reply is seen: the request and the upstream's response are over,
  // and the response phases start again with the reply's. True once a reply was sent.
  // Inline: two flag tests on every event and settle, the work out of line.
  [[gnu::always_inline]] bool note_local_reply() {
    if (replied_) return true;
    return local_response_sent() && note_first_local_reply();
  }
  bool note_first_local_reply();

  // The coroutine's side: starts a wait; true when it is satisfied at once. One wait at a
  // time: a second one (say, two chunks awaited in a when_all) fails with BadArgument.
  bool begin_wait(Wait kind, int phase, size_t limit);
  void suspend(const void* awaiter, std::coroutine_handle<> handle) {
    waiting_awaiter_ = awaiter;
    waiter_ = handle;
  }
  // The awaiter goes: if it is the one waiting, nobody waits any more.
  void drop_wait(const void* awaiter) {
    if (waiting_awaiter_ != awaiter) return;
    waiting_awaiter_ = nullptr;
    waiter_ = {};
    wait_ = Wait::None;
  }
  // Resumes the coroutine that waits (its wait is complete).
  void resume_waiter() {
    waiting_awaiter_ = nullptr;
    std::exchange(waiter_, {}).resume();
  }
  // Answers whichever wait is starting with `error`.
  void fail_wait(StatusCode error);
  // Completes the current wait if what it waits for is there (or can never come).
  bool try_complete_wait();
  // Moves the coroutine to `phase`: the held phases behind it go on.
  void move_to(int phase);
  void release_directions(bool request, bool response);
  void read_whole_body(int direction);

  Task<void> task_;
  bool started_ = false;
  bool finished_ = false;
  bool segment_running_ = false;  // the coroutine runs below (started or resumed by us)
  bool replied_ = false;          // a local reply was seen (note_local_reply)
  int position_ = -1;   // the phase the coroutine is at; -1 before the first
  int answering_ = -1;  // the phase whose host callback is running now
  bool arrived_[kPhases] = {};
  // A phase's event, set when it arrives (arrived_) and read only after. Kept as plain
  // fields without initializers: an array of PhaseEvent (default member values) costs the
  // constructor a loop over it, 1,200 instructions per stream (bench/).
  uint32_t event_count_[kPhases];
  bool event_end_[kPhases];
  bool held_[kPhases] = {};  // answered Pause to the host, not continued yet
  bool ended_[2] = {};       // the direction ended (end_of_stream seen, or its trailers)
  detail::HeldBuffer bodies_[2];

  Wait wait_ = Wait::None;
  int wait_phase_ = 0;
  size_t wait_limit_ = 0;
  std::coroutine_handle<> waiter_;
  const void* waiting_awaiter_ = nullptr;  // the awaiter object the coroutine waits in
  PhaseResult phase_result_{StatusCode::Empty};
  Result<BodyChunk> chunk_result_{StatusCode::Empty};
  Result<HostBytes> body_result_{StatusCode::Empty};
};

class HttpStreamContext::PhaseAwaiter {
 public:
  PhaseAwaiter(HttpStreamContext& stream, int phase) : stream_(stream), phase_(phase) {}
  PhaseAwaiter(PhaseAwaiter&&) = default;  // into a combinator, before it is awaited
  // A wait given up (a when_any loser, a with_timeout that fired) must not be resumed.
  ~PhaseAwaiter() { stream_.drop_wait(this); }
  bool await_ready() { return stream_.begin_wait(Wait::Phase, phase_, 0); }
  void await_suspend(std::coroutine_handle<> awaiter) { stream_.suspend(this, awaiter); }
  PhaseResult await_resume() { return std::move(stream_.phase_result_); }

 private:
  HttpStreamContext& stream_;
  int phase_;
};

class HttpStreamContext::ChunkAwaiter {
 public:
  ChunkAwaiter(HttpStreamContext& stream, int phase) : stream_(stream), phase_(phase) {}
  ChunkAwaiter(ChunkAwaiter&&) = default;  // into a combinator, before it is awaited
  // A wait given up (a when_any loser, a with_timeout that fired) must not be resumed.
  ~ChunkAwaiter() { stream_.drop_wait(this); }
  bool await_ready() { return stream_.begin_wait(Wait::Chunk, phase_, 0); }
  void await_suspend(std::coroutine_handle<> awaiter) { stream_.suspend(this, awaiter); }
  Result<BodyChunk> await_resume() { return std::move(stream_.chunk_result_); }

 private:
  HttpStreamContext& stream_;
  int phase_;
};

class HttpStreamContext::WholeBodyAwaiter {
 public:
  WholeBodyAwaiter(HttpStreamContext& stream, int phase, size_t limit)
      : stream_(stream), phase_(phase), limit_(limit) {}
  WholeBodyAwaiter(WholeBodyAwaiter&&) = default;
  ~WholeBodyAwaiter() { stream_.drop_wait(this); }
  bool await_ready() { return stream_.begin_wait(Wait::WholeBody, phase_, limit_); }
  void await_suspend(std::coroutine_handle<> awaiter) { stream_.suspend(this, awaiter); }
  Result<HostBytes> await_resume() { return std::move(stream_.body_result_); }

 private:
  HttpStreamContext& stream_;
  int phase_;
  size_t limit_;
};

}  // namespace coproxy
