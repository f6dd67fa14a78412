// co_await with_timeout(awaitable, limit): the awaitable's result, or StatusCode::Timeout when
// `limit` passes first, in which case the awaitable is cancelled as a when_any loser (its frame
// destroyed, a gRPC call cancelled, a late answer dropped).
//
//   Result<HttpReply> reply = co_await with_timeout(http_call("slow", ...), 200ms);
//   if (reply.status().code() == StatusCode::Timeout) ...
//
// The result is a Result<U> when the awaitable's is (the error joins its own errors), and a
// Result<T> wrapping it otherwise. If the host's tick refuses, that error comes back instead.
#pragma once

#include <chrono>
#include <type_traits>
#include <utility>
#include <variant>

#include "coproxy/status.h"
#include "coro/await_traits.h"
#include "coro/sleep.h"
#include "coro/task.h"
#include "coro/when_any.h"

namespace coproxy {
namespace detail {

template <class T>
struct AsResult {
  using type = Result<T>;
};
template <class U>
struct AsResult<Result<U>> {
  using type = Result<U>;
};

template <class T>
Task<typename AsResult<T>::type> timed(Task<T> task, std::chrono::milliseconds limit) {
  auto first = co_await when_any(std::move(task), sleep(limit));
  if (first.index() == 0) co_return std::move(std::get<0>(first));
  const Status slept = std::get<1>(first);
  co_return slept.ok() ? Status(StatusCode::Timeout) : slept;
}

}  // namespace detail

template <class Awaitable>
auto with_timeout(Awaitable&& awaitable, std::chrono::milliseconds limit) {
  return detail::timed(detail::to_task(std::forward<Awaitable>(awaitable)), limit);
}

}  // namespace coproxy
