// What co_await on an awaitable yields, and how to turn any awaitable into a Task, for the
// combinators (when_all, when_any, with_timeout).
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "coro/task.h"

namespace coproxy::detail {

// The value of `co_await a` for a Task<T> (T) or an awaiter (its await_resume()).
template <class A>
struct AwaitResult {
  using type = decltype(std::declval<A&>().await_resume());
};
template <class T>
struct AwaitResult<Task<T>> {
  using type = T;
};
template <class A>
using AwaitResultT = typename AwaitResult<std::remove_cvref_t<A>>::type;

// A combinator's slot for a result: void becomes std::monostate.
template <class T>
using ValueOf = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class A>
Task<AwaitResultT<A>> awaited(A awaitable) {
  co_return co_await awaitable;
}

// A Task as is; any other awaitable moved into a task that awaits it (our awaiters may move
// until they are awaited).
template <class A>
auto to_task(A&& awaitable) {
  if constexpr (std::is_same_v<std::remove_cvref_t<A>, Task<AwaitResultT<A>>>) {
    return std::forward<A>(awaitable);
  } else {
    return awaited<std::remove_cvref_t<A>>(std::forward<A>(awaitable));
  }
}

}  // namespace coproxy::detail
