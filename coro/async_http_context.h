// AsyncHttpContext: an HTTP stream whose callbacks are coroutines.
//
//   class Auth : public coproxy::AsyncHttpContext {
//     coproxy::Task<coproxy::Action> on_request_headers(size_t, bool) override {
//       auto reply = co_await http_call("auth", {{":method", "GET"}, {":path", "/check"},
//                                                {":authority", "auth"}});
//       if (!reply.ok() || reply->status() != 200) co_return send_local_response(403, "denied");
//       request_headers().add("x-user", reply->header("x-user"));
//       co_return coproxy::Action::Continue;
//     }
//   };
//
// A callback that finishes without suspending answers the host at once. One that suspends
// answers Pause; when it finishes with Continue, the direction is continued (the stream made
// effective first); after send_local_response the request is over, and the reply itself
// runs through the response callbacks (as Envoy sends it; stamp it there). Callbacks of one
// stream run one at a time, in order: events that come while a task waits are held and run
// after it (StreamSequencer). When the stream ends while a task waits, the task is destroyed:
// its destructors run and its waits end. A callback not overridden costs nothing and continues.
#pragma once

#include <chrono>
#include <cstddef>

#include "coproxy/http_context.h"
#include "coro/awaitable_calls.h"
#include "coro/awaitables.h"
#include "coro/stream_sequencer.h"
#include "coro/task.h"

namespace coproxy {

class AsyncHttpContext : public HttpContextBase,
                         public detail::AwaitableCalls {
 public:
  AsyncHttpContext() : sequencer_(*this) {}

  virtual Task<Action> on_request_headers(size_t header_count, bool end_of_stream);
  virtual Task<Action> on_request_body(size_t body_size, bool end_of_stream);
  virtual Task<Action> on_request_trailers(size_t trailer_count);
  virtual Task<Action> on_response_headers(size_t header_count, bool end_of_stream);
  virtual Task<Action> on_response_body(size_t body_size, bool end_of_stream);
  virtual Task<Action> on_response_trailers(size_t trailer_count);
  // proxy_on_log: the stream is over (headers still readable); no task is in flight.
  virtual void on_stream_done();

  // The awaitable calls (see coro/awaitable_calls.h).
  using AwaitableCalls::grpc_call;
  using AwaitableCalls::http_call;

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
  enum Kind : uint8_t {
    kRequestHeaders,
    kRequestBody,
    kRequestTrailers,
    kResponseHeaders,
    kResponseBody,
    kResponseTrailers,
  };
  // What the sequencer asks of its stream (coro/stream_sequencer.h).
  friend class detail::StreamSequencer<AsyncHttpContext>;
  Task<Action> start_task(detail::StreamEvent event);
  Status continue_direction(uint8_t direction);

  // A member, so destroyed before the bases: a task still in flight goes before anything else
  // of the stream (after proxy_on_done, handle_done has destroyed it already).
  detail::StreamSequencer<AsyncHttpContext> sequencer_;
};

}  // namespace coproxy
