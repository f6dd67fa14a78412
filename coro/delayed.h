// co_await delayed(delay, make): waits `delay`, then makes the awaitable (calls `make`) and
// awaits it: a branch of a race that starts later, as a hedged request's backup does.
//
//   auto first = co_await when_any_ok(
//       http_call("primary", headers),
//       delayed(50ms, [&] { return http_call("backup", headers); }));
//
// `make` is called only when the delay has passed, so a callout it makes leaves then (an
// http_call(...) written directly would be sent at once: awaitables that call the host do so
// when they are made, docs/coroutines.md). `make` is kept, by value, in delayed's own frame;
// what it captures by reference must outlive the await (locals of the awaiting coroutine do,
// while it awaits the race). A Task, which starts only when awaited, may be given instead.
// If the host refuses the timer, a branch that can fail (a Status or a Result) gives that
// error without calling `make`; any other goes on at once.
#pragma once

#include <chrono>
#include <type_traits>
#include <utility>

#include "coproxy/status.h"
#include "coro/await_traits.h"
#include "coro/sleep.h"
#include "coro/task.h"
#include "coro/when_all.h"

namespace coproxy {
namespace detail {

template <class Make>
auto made_by(Make& make) {
  if constexpr (std::is_invocable_v<Make&>) {
    return make();
  } else {
    return std::move(make);  // an awaitable that starts when awaited (a Task)
  }
}

template <class Make>
using DelayedResult = AwaitResultT<decltype(made_by(std::declval<Make&>()))>;

template <class Make>
Task<DelayedResult<Make>> delay_then(std::chrono::milliseconds delay, Make make) {
  const Status slept = co_await sleep(delay);
  if constexpr (kCanFail<DelayedResult<Make>>) {
    if (!slept.ok()) co_return slept;
  }
  co_return co_await made_by(make);
}

}  // namespace detail

template <class Make>
auto delayed(std::chrono::milliseconds delay, Make make) {
  return detail::delay_then(delay, std::move(make));
}

}  // namespace coproxy
