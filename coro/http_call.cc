#include "coro/http_call.h"

#include "coproxy/buffer.h"
#include "coproxy/context.h"
#include "coproxy/http_call.h"

namespace coproxy {

HttpCallAwaiter::HttpCallAwaiter(std::string_view upstream, HeaderSpan headers,
                                 std::string_view body, HeaderSpan trailers,
                                 std::chrono::milliseconds timeout) {
  Result<uint32_t> token = dispatch_http_call(upstream, headers, body, trailers, timeout);
  if (!token.ok()) {
    failure_ = token.status();
    return;
  }
  dispatched_ = true;
  dispatched_token_ = *token;
}

bool HttpCallAwaiter::await_suspend(std::coroutine_handle<> awaiter) {
  Context* owner = Context::current();
  if (owner == nullptr) return false;  // outside any callback: nobody could deliver the answer
  awaiter_ = awaiter;
  owner->track(*this, dispatched_token_);
  return true;
}

void HttpCallAwaiter::on_http_response(const HttpCallResponse& response) {
  response_ = response;
  answered_ = true;
  awaiter_.resume();  // this awaiter may be gone afterwards
}

void HttpCallAwaiter::on_lost() {
  failure_ = StatusCode::BrokenConnection;
  awaiter_.resume();  // this awaiter may be gone afterwards
}

Result<HttpReply> HttpCallAwaiter::await_resume() {
  if (!answered_) return failure_;
  return read_reply(response_);
}

// One host call for the headers (the status comes from them), one for a body and one for
// trailers only when there are some.
Result<HttpReply> HttpCallAwaiter::read_reply(const HttpCallResponse& response) {
  if (response.failed()) return StatusCode::BrokenConnection;
  HttpReply reply;
  Result<HeaderPairs> headers = response.headers().pairs();
  if (!headers.ok()) return headers.status();
  reply.headers_ = std::move(*headers);
  reply.status_ = parse_http_status(reply.headers_.find(":status").value_or(std::string_view()));
  if (response.body_size() != 0) {
    Result<HostBytes> body = response.body();
    if (!body.ok()) return body.status();
    reply.body_ = std::move(*body);
  }
  if (response.trailer_count() != 0) {
    Result<HeaderPairs> trailers = HeaderMap(MapType::HttpCallResponseTrailers).pairs();
    if (!trailers.ok()) return trailers.status();
    reply.trailers_ = std::move(*trailers);
  }
  return reply;
}

}  // namespace coproxy
