// co_await when_all(a, b, ...): runs every awaitable (Tasks, callouts, sleeps, ...) at once and
// resumes when all have finished, with all their results (a std::tuple; void is monostate).
//
//   auto [user, quota] = co_await when_all(http_call("users", ...), http_call("quota", ...));
//   if (!user.ok()) ...   // each result carries its own error: one failure fails nothing else
//
// If the awaiting task is destroyed (its stream ended), every branch is destroyed with it.
#pragma once

#include <array>
#include <coroutine>
#include <cstddef>
#if defined(__cpp_exceptions)
#include <exception>
#endif
#include <optional>
#include <tuple>
#include <utility>

#include "coro/await_traits.h"
#include "coro/task.h"

namespace coproxy {
namespace detail {

template <class... T>
class [[nodiscard]] WhenAll {
 public:
  explicit WhenAll(Task<T>... tasks) : tasks_(std::move(tasks)...) {}
  WhenAll(const WhenAll&) = delete;
  WhenAll& operator=(const WhenAll&) = delete;

  bool await_ready() const noexcept { return sizeof...(T) == 0; }
  bool await_suspend(std::coroutine_handle<> parent) {
    parent_ = parent;
    starting_ = true;
    start(std::index_sequence_for<T...>{});
    starting_ = false;
    return remaining_ != 0;  // all finished while starting: go on without suspending
  }
  std::tuple<ValueOf<T>...> await_resume() {
#if defined(__cpp_exceptions)
    if (failure_) std::rethrow_exception(failure_);
#endif
    return take(std::index_sequence_for<T...>{});
  }

 private:
  // Resumes the parent when the last branch finishes (not while they are being started).
  struct Finished {
    WhenAll* self;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept {
      if (--self->remaining_ == 0 && !self->starting_) return self->parent_;
      return std::noop_coroutine();  // stays suspended; destroyed with this WhenAll
    }
    void await_resume() const noexcept {}
  };

  template <size_t I, class U>
  Task<void> branch(Task<U> task) {
#if defined(__cpp_exceptions)
    try {
#endif
      if constexpr (std::is_void_v<U>) {
        co_await task;
        std::get<I>(results_).emplace();
      } else {
        std::get<I>(results_).emplace(co_await task);
      }
#if defined(__cpp_exceptions)
    } catch (...) {  // natively: the first exception reaches the awaiting task
      if (!failure_) failure_ = std::current_exception();
    }
#endif
    co_await Finished{this};
  }

  template <size_t... I>
  void start(std::index_sequence<I...>) {
    ((branches_[I] = branch<I>(std::move(std::get<I>(tasks_))), branches_[I].start()), ...);
  }
  template <size_t... I>
  std::tuple<ValueOf<T>...> take(std::index_sequence<I...>) {
    return {std::move(*std::get<I>(results_))...};
  }

  std::tuple<Task<T>...> tasks_;
  std::tuple<std::optional<ValueOf<T>>...> results_;
  std::array<Task<void>, sizeof...(T)> branches_;  // destroyed first: branches die with us
  std::coroutine_handle<> parent_;
  size_t remaining_ = sizeof...(T);
  bool starting_ = false;
#if defined(__cpp_exceptions)
  std::exception_ptr failure_;
#endif
};

template <class... T>
WhenAll<T...> make_when_all(Task<T>... tasks) {
  return WhenAll<T...>(std::move(tasks)...);
}

}  // namespace detail

template <class... Awaitables>
auto when_all(Awaitables&&... awaitables) {
  return detail::make_when_all(detail::to_task(std::forward<Awaitables>(awaitables))...);
}

}  // namespace coproxy
