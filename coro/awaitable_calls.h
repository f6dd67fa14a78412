// AwaitableCalls: the awaitable http_call and grpc_call as members of the coroutine contexts.
// Context's callback-style http_call/grpc_call would otherwise hide the namespace-scope
// awaitables inside a context's member functions; a context derives from this and says
// `using AwaitableCalls::http_call; using AwaitableCalls::grpc_call;`.
#pragma once

#include <chrono>
#include <string_view>

#include "coproxy/grpc_call.h"
#include "coproxy/header.h"
#include "coro/grpc_call.h"
#include "coro/http_call.h"

namespace coproxy::detail {

struct AwaitableCalls {
  static HttpCallAwaiter http_call(std::string_view upstream, HeaderSpan headers,
                                   std::string_view body = {}, HeaderSpan trailers = {},
                                   std::chrono::milliseconds timeout = kDefaultCallTimeout) {
    return coproxy::http_call(upstream, headers, body, trailers, timeout);
  }
  static GrpcCallAwaiter grpc_call(const GrpcMethod& method, HeaderSpan initial_metadata,
                                   std::string_view message,
                                   std::chrono::milliseconds timeout = kDefaultCallTimeout) {
    return coproxy::grpc_call(method, initial_metadata, message, timeout);
  }
};

}  // namespace coproxy::detail
