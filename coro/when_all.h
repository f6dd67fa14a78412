// co_await when_all(a, b, ...): runs every awaitable (Tasks, callouts, sleeps, other
// combinators, ...) at once and resumes when all have finished, with all their results (a
// std::tuple; void is monostate).
//
//   auto [user, quota] = co_await when_all(http_call("users", ...), http_call("quota", ...));
//   if (!user.ok()) ...   // each result carries its own error: one failure fails nothing else
//
// co_await when_all_ok(a, b, ...): the same, but fail-fast: as soon as one branch fails (see
// succeeded() below) the others are cancelled, as when_any's losers are (frames destroyed,
// late answers dropped), and the awaiting task goes on at once. Every branch must give a
// Status or a Result<T>; a branch cancelled this way gives StatusCode::Cancelled, one that
// finished keeps its result. A callout is sent when http_call(...) is evaluated, so the
// callouts of branches cancelled before they started were still sent: their answers are
// dropped.
//
//   auto [authz, user] = co_await when_all_ok(http_call("authz", ...), http_call("users", ...));
//   if (!succeeded(authz)) co_return send_local_response(403, "denied");  // users cancelled
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
#include <type_traits>
#include <utility>

#include "coproxy/status.h"
#include "coro/await_traits.h"
#include "coro/task.h"

namespace coproxy {

// when_all_ok's rule for what failed: an error Status or Result; for a value that carries an
// outcome of its own, its own rule (an HttpReply that is not 2xx, a GrpcReply that is not OK:
// see coro/http_call.h, coro/grpc_call.h). Give your own type a rule with a
// `bool succeeded(const YourType&)` in its namespace.
inline bool succeeded(const Status& status) { return status.ok(); }
template <class T>
bool succeeded(const Result<T>& result) {
  if (!result.ok()) return false;
  if constexpr (requires(const T& value) { succeeded(value); }) {
    return succeeded(*result);
  } else {
    return true;
  }
}

namespace detail {

// A Status, a Result<U>, or a type derived from one (PhaseResult).
template <class U>
std::true_type is_result(const Result<U>*);
std::false_type is_result(const void*);
template <class T>
inline constexpr bool kCanFail =
    std::is_same_v<T, Status> || decltype(is_result(static_cast<T*>(nullptr)))::value;

template <bool kFailFast, class... T>
class [[nodiscard]] WhenAll {
 public:
  explicit WhenAll(Task<T>... tasks) : tasks_(std::move(tasks)...) {}
  // Movable until awaited (into another combinator, or a task that awaits it): only the
  // branches' tasks exist before then; the branches start in await_suspend.
  WhenAll(WhenAll&& other) noexcept : tasks_(std::move(other.tasks_)) {}
  WhenAll& operator=(WhenAll&&) = delete;

  bool await_ready() const noexcept { return sizeof...(T) == 0; }
  bool await_suspend(std::coroutine_handle<> parent) {
    parent_ = parent;
    starting_ = true;
    start(std::index_sequence_for<T...>{});
    starting_ = false;
    return !decided();  // decided while starting: go on without suspending
  }
  std::tuple<ValueOf<T>...> await_resume() {
    branches_ = {};  // fail-fast: the branches still waiting are cancelled here
#if defined(__cpp_exceptions)
    if (failure_) std::rethrow_exception(failure_);
#endif
    return take(std::index_sequence_for<T...>{});
  }

 private:
  // Resumes the parent when the last branch finishes, or (fail-fast) the first one fails;
  // never while the branches are being started.
  struct Finished {
    WhenAll* self;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept {
      --self->remaining_;
      if (self->decided() && !self->starting_) return self->parent_;
      return std::noop_coroutine();  // stays suspended; destroyed with this WhenAll
    }
    void await_resume() const noexcept {}
  };

  bool decided() const { return remaining_ == 0 || failed_; }

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
        if constexpr (kFailFast) {
          if (!succeeded(*std::get<I>(results_))) failed_ = true;
        }
      }
#if defined(__cpp_exceptions)
    } catch (...) {  // natively: the first exception reaches the awaiting task
      if (!failure_) failure_ = std::current_exception();
      failed_ = kFailFast;
    }
#endif
    co_await Finished{this};
  }

  template <size_t... I>
  void start(std::index_sequence<I...>) {
    // Fail-fast stops starting once one failed: the rest never run (their callouts, made
    // when the awaitables were built, are answered into nothing).
    ((failed_ ? void()
              : (branches_[I] = branch<I>(std::move(std::get<I>(tasks_))), branches_[I].start())),
     ...);
  }
  template <size_t I>
  ValueOf<std::tuple_element_t<I, std::tuple<T...>>> take_one() {
    auto& slot = std::get<I>(results_);
    if constexpr (kFailFast) {
      if (!slot) return Status(StatusCode::Cancelled);
    }
    return std::move(*slot);
  }
  template <size_t... I>
  std::tuple<ValueOf<T>...> take(std::index_sequence<I...>) {
    return {take_one<I>()...};
  }

  std::tuple<Task<T>...> tasks_;
  std::tuple<std::optional<ValueOf<T>>...> results_;
  std::array<Task<void>, sizeof...(T)> branches_;  // destroyed first: branches die with us
  std::coroutine_handle<> parent_;
  size_t remaining_ = sizeof...(T);
  bool starting_ = false;
  bool failed_ = false;  // fail-fast only: a branch failed
#if defined(__cpp_exceptions)
  std::exception_ptr failure_;
#endif
};

template <bool kFailFast, class... T>
WhenAll<kFailFast, T...> make_when_all(Task<T>... tasks) {
  return WhenAll<kFailFast, T...>(std::move(tasks)...);
}

}  // namespace detail

template <class... Awaitables>
auto when_all(Awaitables&&... awaitables) {
  return detail::make_when_all<false>(detail::to_task(std::forward<Awaitables>(awaitables))...);
}

template <class... Awaitables>
auto when_all_ok(Awaitables&&... awaitables) {
  static_assert((detail::kCanFail<detail::AwaitResultT<Awaitables>> && ...),
                "when_all_ok: every branch must give a Status or a Result<T>");
  return detail::make_when_all<true>(detail::to_task(std::forward<Awaitables>(awaitables))...);
}

}  // namespace coproxy
