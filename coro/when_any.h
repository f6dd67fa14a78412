// co_await when_any(a, b, ...): runs every awaitable (any combinator too) at once; the first to finish wins. The
// others are cancelled: their frames are destroyed (destructors run, their waits end, gRPC
// calls are cancelled) and their late answers are dropped. The result is a std::variant whose
// index() says which one won (void is monostate).
//
//   auto first = co_await when_any(http_call("primary", ...), http_call("backup", ...));
//   auto& reply = first.index() == 0 ? std::get<0>(first) : std::get<1>(first);
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
#include <variant>

#include "coro/await_traits.h"
#include "coro/task.h"

namespace coproxy {
namespace detail {

template <class... T>
class [[nodiscard]] WhenAny {
 public:
  explicit WhenAny(Task<T>... tasks) : tasks_(std::move(tasks)...) {}
  // Movable until awaited (into another combinator, or a task that awaits it): only the
  // branches' tasks exist before then; the branches start in await_suspend.
  WhenAny(WhenAny&& other) noexcept : tasks_(std::move(other.tasks_)) {}
  WhenAny& operator=(WhenAny&&) = delete;

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> parent) {
    parent_ = parent;
    starting_ = true;
    start(std::index_sequence_for<T...>{});
    starting_ = false;
    return !decided();  // one finished while starting: it won, go on
  }
  std::variant<ValueOf<T>...> await_resume() {
    branches_ = {};  // the losers go now, before the awaiting task moves on
#if defined(__cpp_exceptions)
    if (failure_) std::rethrow_exception(failure_);
#endif
    return std::move(*result_);
  }

 private:
  // The first branch to get here resumes the parent; the others never will.
  struct Finished {
    WhenAny* self;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept {
      return self->starting_ ? std::noop_coroutine() : self->parent_;
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
        if (decided()) co_return;  // a loser that finished too: not reachable once one won
        result_.emplace(std::in_place_index<I>);
      } else {
        ValueOf<U> value = co_await task;
        if (decided()) co_return;
        result_.emplace(std::in_place_index<I>, std::move(value));
      }
#if defined(__cpp_exceptions)
    } catch (...) {  // natively: a branch that throws first decides, with its exception
      if (decided()) co_return;
      failure_ = std::current_exception();
    }
#endif
    co_await Finished{this};
  }

  bool decided() const {
#if defined(__cpp_exceptions)
    if (failure_) return true;
#endif
    return result_.has_value();
  }

  template <size_t... I>
  void start(std::index_sequence<I...>) {
    // Stop starting once one has won (the rest never run).
    ((decided() ? void()
                : (branches_[I] = branch<I>(std::move(std::get<I>(tasks_))), branches_[I].start())),
     ...);
  }

  std::tuple<Task<T>...> tasks_;
  std::optional<std::variant<ValueOf<T>...>> result_;
  std::array<Task<void>, sizeof...(T)> branches_;
  std::coroutine_handle<> parent_;
  bool starting_ = false;
#if defined(__cpp_exceptions)
  std::exception_ptr failure_;
#endif
};

template <class... T>
WhenAny<T...> make_when_any(Task<T>... tasks) {
  return WhenAny<T...>(std::move(tasks)...);
}

}  // namespace detail

template <class... Awaitables>
auto when_any(Awaitables&&... awaitables) {
  return detail::make_when_any(detail::to_task(std::forward<Awaitables>(awaitables))...);
}

}  // namespace coproxy
