// co_await http_call(...): an HTTP callout as an awaitable.
//
//   Result<HttpReply> reply = co_await http_call("auth", {{":method", "GET"}, {":path", "/"},
//                                                          {":authority", "auth"}});
//
// The call is dispatched when the expression is evaluated; the task suspends until the host
// answers. The answer (status, headers, body, trailers) is copied out of the host while its
// callback runs, so it stays valid after. Errors: the host refused the call (its status, e.g.
// BadArgument for a missing pseudo-header); the callout failed — reset, timeout, no healthy
// upstream, or a host that lost track of the call — BrokenConnection; a malformed answer,
// ParseFailure. If the task is destroyed while it waits (the stream ended), the answer, when
// it comes, is dropped.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <string_view>

#include "coproxy/header.h"
#include "coproxy/header_map.h"
#include "coproxy/host_bytes.h"
#include "coproxy/http_call.h"  // kDefaultCallTimeout
#include "coproxy/pending_call.h"
#include "coproxy/status.h"

namespace coproxy {

class HttpReply {
 public:
  // The :status header as a number; 0 when missing or not a number.
  uint32_t status() const { return status_; }
  // The value of header `name`; empty when absent (see headers().find to tell apart).
  std::string_view header(std::string_view name) const {
    return headers_.find(name).value_or(std::string_view());
  }
  const HeaderPairs& headers() const { return headers_; }
  std::string_view body() const { return body_.view(); }
  const HeaderPairs& trailers() const { return trailers_; }

 private:
  friend class HttpCallAwaiter;
  uint32_t status_ = 0;
  HeaderPairs headers_;
  HostBytes body_;
  HeaderPairs trailers_;
};

// when_all_ok's rule: an HTTP reply fails unless its status is 2xx.
inline bool succeeded(const HttpReply& reply) { return reply.status() / 100 == 2; }

class [[nodiscard]] HttpCallAwaiter final : public PendingCall {
 public:
  HttpCallAwaiter(std::string_view upstream, HeaderSpan headers, std::string_view body,
                  HeaderSpan trailers, std::chrono::milliseconds timeout);

  bool await_ready() const noexcept { return !dispatched_; }
  bool await_suspend(std::coroutine_handle<> awaiter);
  // Runs first thing when the task resumes: still inside the host's callback for the answer,
  // whose maps exist only then. So the awaiter keeps only the answer's shape while it waits.
  Result<HttpReply> await_resume();

  void on_http_response(const HttpCallResponse& response) override;
  void on_lost() override;
  void on_abandoned() override {}

 private:
  static Result<HttpReply> read_reply(const HttpCallResponse& response);

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
