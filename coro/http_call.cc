#include "coro/http_call.h"

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
  // The host drops the answer when this returns: a reply kept longer reads the rest now.
  HttpReply::end_callback(response.token());
}

void HttpCallAwaiter::on_lost() {
  failure_ = StatusCode::BrokenConnection;
  awaiter_.resume();  // this awaiter may be gone afterwards
}

Result<HttpReply> HttpCallAwaiter::await_resume() {
  if (!answered_) return failure_;
  if (response_.failed()) return StatusCode::BrokenConnection;
  // In place: moving a live reply relinks it in the list of live replies.
  return Result<HttpReply>(std::in_place, response_);
}

}  // namespace coproxy
