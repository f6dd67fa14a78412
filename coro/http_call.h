// co_await http_call(...): an HTTP callout as an awaitable.
//
//   Result<HttpReply> reply = co_await http_call("auth", {{":method", "GET"}, {":path", "/"},
//                                                          {":authority", "auth"}});
//
// The call is dispatched when the expression is evaluated; the task suspends until the host
// answers. The answer is an HttpReply (coro/http_reply.h): read lazily while the host holds
// it, kept whole if the reply outlives the host's callback, valid as long as the reply.
// Errors: the host refused the call (its status, e.g. BadArgument for a missing
// pseudo-header); the callout failed — reset, timeout, no healthy upstream, or a host that
// lost track of the call — BrokenConnection. If the task is destroyed while it waits (the
// stream ended), the answer, when it comes, is dropped.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <string_view>

#include "coproxy/header.h"
#include "coproxy/http_call.h"  // kDefaultCallTimeout
#include "coproxy/pending_call.h"
#include "coproxy/status.h"
#include "coro/http_reply.h"

namespace coproxy {

class [[nodiscard]] HttpCallAwaiter final : public PendingCall {
 public:
  HttpCallAwaiter(std::string_view upstream, HeaderSpan headers, std::string_view body,
                  HeaderSpan trailers, std::chrono::milliseconds timeout);

  bool await_ready() const noexcept { return !dispatched_; }
  bool await_suspend(std::coroutine_handle<> awaiter);
  // Runs first thing when the task resumes, inside the host's callback for the answer: the
  // reply reads from the host until that callback returns (on_http_response).
  Result<HttpReply> await_resume();

  void on_http_response(const HttpCallResponse& response) override;
  void on_lost() override;
  void on_abandoned() override {}

 private:
  Status failure_ = StatusCode::InternalFailure;  // when there is no answer to read
  uint32_t dispatched_token_ = 0;
  bool dispatched_ = false;
  bool answered_ = false;
  HttpCallResponse response_{0, 0, 0, 0};
  std::coroutine_handle<> awaiter_;
};

inline HttpCallAwaiter http_call(std::string_view upstream, HeaderSpan headers,
                                 std::string_view body = {}, HeaderSpan trailers = {},
                                 std::chrono::milliseconds timeout = kDefaultCallTimeout) {
  return HttpCallAwaiter(upstream, headers, body, trailers, timeout);
}

}  // namespace coproxy
