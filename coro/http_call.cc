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
    result_ = token.status();
    return;
  }
  dispatched_ = true;
  dispatched_token_ = *token;
}

bool HttpCallAwaiter::await_suspend(std::coroutine_handle<> awaiter) {
  Context* owner = Context::current();
  if (owner == nullptr) {  // awaited outside any callback: nobody could deliver the answer
    result_ = StatusCode::InternalFailure;
    return false;
  }
  awaiter_ = awaiter;
  owner->track(*this, dispatched_token_);
  return true;
}

void HttpCallAwaiter::on_http_response(const HttpCallResponse& response) {
  if (response.failed()) {
    result_ = StatusCode::BrokenConnection;
  } else {
    Result<HeaderPairs> headers = response.headers().pairs();
    Result<HostBytes> body = response.body();
    Result<HeaderPairs> trailers = response.trailer_count() == 0
                                       ? Result<HeaderPairs>(HeaderPairs())
                                       : HeaderMap(MapType::HttpCallResponseTrailers).pairs();
    if (!headers.ok() || !body.ok() || !trailers.ok()) {
      result_ = !headers.ok() ? headers.status() : !body.ok() ? body.status() : trailers.status();
    } else {
      HttpReply reply;
      reply.status_ = response.status();
      reply.headers_ = std::move(*headers);
      reply.body_ = std::move(*body);
      reply.trailers_ = std::move(*trailers);
      result_ = std::move(reply);
    }
  }
  awaiter_.resume();  // this awaiter may be gone afterwards
}

}  // namespace coproxy
