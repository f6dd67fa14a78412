// The combinators over a list whose length is known only at run time (a configured number of
// backends, say): when_all, when_all_ok, when_any and when_any_ok given a std::vector of tasks
// or of any one awaitable type, and when_any_ok's fixed form. They nest like the fixed forms
// (coro/when_all.h, coro/when_any.h), and cancel the same way: a branch that is not waited for
// any more has its frame destroyed, its waits ended, its late answers dropped.
//
//   std::vector<Task<Result<HttpReply>>> calls;
//   for (const std::string& cluster : config.backends) calls.push_back(ask(cluster));
//   std::vector<Result<HttpReply>> replies = co_await when_all(std::move(calls));
//
//   // The first success wins; when every branch fails, the one that failed last:
//   Winner<Result<HttpReply>> first = co_await when_any_ok(std::move(calls));
//   if (succeeded(first.value)) ... first.index ...
//
// A list's branches start in order, as the fixed forms' do. Unlike the fixed forms the list
// forms allocate (the vectors of branches and results, once per await).
#pragma once

#include <coroutine>
#include <cstddef>
#if defined(__cpp_exceptions)
#include <exception>
#endif
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "coproxy/status.h"
#include "coro/await_traits.h"
#include "coro/task.h"
#include "coro/when_all.h"
#include "coro/when_any.h"

namespace coproxy {

// Which branch of a race won, and its value.
template <class T>
struct Winner {
  size_t index = 0;
  T value;
};

// The winner of a fixed when_any whose branches all give the same type, without
// index() and std::get<N>: auto [index, reply] = winner(co_await when_any(a, b));
template <class T, class... Rest>
  requires(std::is_same_v<T, Rest> && ...)
Winner<T> winner(std::variant<T, Rest...>&& race) {
  const size_t index = race.index();
  return std::visit([&](auto& value) { return Winner<T>{index, std::move(value)}; }, race);
}

namespace detail {

// Destroys the branches in the order they started, whatever order the standard library's
// vector destroys its elements in (libc++ and libstdc++ differ), so a frame's destructors run
// in the same order natively and in wasm.
inline void cancel(std::vector<Task<void>>& branches) {
  for (Task<void>& branch : branches) branch.reset();
  branches.clear();
}

template <class T, bool kFailFast>
class [[nodiscard]] WhenAllList {
 public:
  explicit WhenAllList(std::vector<Task<T>> tasks) : tasks_(std::move(tasks)) {}
  WhenAllList(WhenAllList&& other) noexcept : tasks_(std::move(other.tasks_)) {}
  WhenAllList& operator=(WhenAllList&&) = delete;

  bool await_ready() const noexcept { return tasks_.empty(); }
  bool await_suspend(std::coroutine_handle<> parent) {
    parent_ = parent;
    remaining_ = tasks_.size();
    results_.resize(tasks_.size());
    branches_.reserve(tasks_.size());
    starting_ = true;
    for (size_t i = 0; i < tasks_.size() && !failed_; ++i) {
      branches_.push_back(branch(i, std::move(tasks_[i])));
      branches_.back().start();
    }
    starting_ = false;
    return !decided();
  }
  std::vector<ValueOf<T>> await_resume() {
    cancel(branches_);  // fail-fast: the branches still waiting are cancelled here
#if defined(__cpp_exceptions)
    if (failure_) std::rethrow_exception(failure_);
#endif
    std::vector<ValueOf<T>> out;
    out.reserve(results_.size());
    for (std::optional<ValueOf<T>>& slot : results_) {
      if constexpr (kFailFast) {
        if (!slot) {
          out.push_back(Status(StatusCode::Cancelled));
          continue;
        }
      }
      out.push_back(std::move(*slot));
    }
    return out;
  }

 private:
  struct Finished {
    WhenAllList* self;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept {
      --self->remaining_;
      if (self->decided() && !self->starting_) return self->parent_;
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  bool decided() const { return remaining_ == 0 || failed_; }

  Task<void> branch(size_t index, Task<T> task) {
#if defined(__cpp_exceptions)
    try {
#endif
      if constexpr (std::is_void_v<T>) {
        co_await task;
        results_[index].emplace();
      } else {
        results_[index].emplace(co_await task);
        if constexpr (kFailFast) {
          if (!succeeded(*results_[index])) failed_ = true;
        }
      }
#if defined(__cpp_exceptions)
    } catch (...) {
      if (!failure_) failure_ = std::current_exception();
      failed_ = kFailFast;
    }
#endif
    co_await Finished{this};
  }

  std::vector<Task<T>> tasks_;
  std::vector<std::optional<ValueOf<T>>> results_;
  std::vector<Task<void>> branches_;  // declared last: destroyed first
  std::coroutine_handle<> parent_;
  size_t remaining_ = 0;
  bool starting_ = false;
  bool failed_ = false;
#if defined(__cpp_exceptions)
  std::exception_ptr failure_;
#endif
};

// A race over a list. kOkOnly (when_any_ok): a branch that fails does not win while another
// may still succeed; when all have failed, the last to fail is the result.
template <class T, bool kOkOnly>
class [[nodiscard]] WhenAnyList {
 public:
  explicit WhenAnyList(std::vector<Task<T>> tasks) : tasks_(std::move(tasks)) {}
  WhenAnyList(WhenAnyList&& other) noexcept : tasks_(std::move(other.tasks_)) {}
  WhenAnyList& operator=(WhenAnyList&&) = delete;

  // An empty race has no winner to give: awaiting one is a programming error, as reading an
  // empty optional is, and traps (natively it aborts).
  bool await_ready() const noexcept {
    if (tasks_.empty()) __builtin_trap();
    return false;
  }
  bool await_suspend(std::coroutine_handle<> parent) {
    parent_ = parent;
    remaining_ = tasks_.size();
    branches_.reserve(tasks_.size());
    starting_ = true;
    for (size_t i = 0; i < tasks_.size() && !decided(); ++i) {
      branches_.push_back(branch(i, std::move(tasks_[i])));
      branches_.back().start();
    }
    starting_ = false;
    return !decided();
  }
  Winner<ValueOf<T>> await_resume() {
    cancel(branches_);  // the losers go now
#if defined(__cpp_exceptions)
    if (failure_) std::rethrow_exception(failure_);
#endif
    return std::move(*result_);
  }

 private:
  struct Finished {
    WhenAnyList* self;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept {
      return self->starting_ ? std::noop_coroutine() : self->parent_;
    }
    void await_resume() const noexcept {}
  };

  bool decided() const {
#if defined(__cpp_exceptions)
    if (failure_) return true;
#endif
    return result_.has_value();
  }

  Task<void> branch(size_t index, Task<T> task) {
#if defined(__cpp_exceptions)
    try {
#endif
      if constexpr (std::is_void_v<T>) {
        co_await task;
        if (decided()) co_return;
        result_.emplace(Winner<ValueOf<T>>{index, {}});
      } else {
        ValueOf<T> value = co_await task;
        if (decided()) co_return;
        --remaining_;
        if constexpr (kOkOnly) {
          if (!succeeded(value) && remaining_ > 0) co_return;  // others may still succeed
        }
        result_.emplace(Winner<ValueOf<T>>{index, std::move(value)});
      }
#if defined(__cpp_exceptions)
    } catch (...) {
      if (decided()) co_return;
      failure_ = std::current_exception();
    }
#endif
    co_await Finished{this};
  }

  std::vector<Task<T>> tasks_;
  std::optional<Winner<ValueOf<T>>> result_;
  std::vector<Task<void>> branches_;
  std::coroutine_handle<> parent_;
  size_t remaining_ = 0;
  bool starting_ = false;
#if defined(__cpp_exceptions)
  std::exception_ptr failure_;
#endif
};

template <class A>
auto tasks_of(std::vector<A> awaitables) {
  using T = AwaitResultT<A>;
  if constexpr (std::is_same_v<A, Task<T>>) {
    return awaitables;
  } else {
    std::vector<Task<T>> tasks;
    tasks.reserve(awaitables.size());
    for (A& awaitable : awaitables) tasks.push_back(to_task(std::move(awaitable)));
    return tasks;
  }
}

template <class T>
struct IsTaskVector : std::false_type {};
template <class A>
struct IsTaskVector<std::vector<A>> : std::true_type {};

}  // namespace detail

template <class A>
auto when_all(std::vector<A> awaitables) {
  using T = detail::AwaitResultT<A>;
  return detail::WhenAllList<T, false>(detail::tasks_of(std::move(awaitables)));
}

template <class A>
auto when_all_ok(std::vector<A> awaitables) {
  using T = detail::AwaitResultT<A>;
  static_assert(detail::kCanFail<T>, "when_all_ok: every branch must give a Status or a Result<T>");
  return detail::WhenAllList<T, true>(detail::tasks_of(std::move(awaitables)));
}

template <class A>
auto when_any(std::vector<A> awaitables) {
  using T = detail::AwaitResultT<A>;
  return detail::WhenAnyList<T, false>(detail::tasks_of(std::move(awaitables)));
}

template <class A>
auto when_any_ok(std::vector<A> awaitables) {
  using T = detail::AwaitResultT<A>;
  static_assert(detail::kCanFail<T>, "when_any_ok: every branch must give a Status or a Result<T>");
  return detail::WhenAnyList<T, true>(detail::tasks_of(std::move(awaitables)));
}

// The fixed form: co_await when_any_ok(primary(), backup()), branches of one type.
template <class First, class... Rest>
  requires(!detail::IsTaskVector<std::remove_cvref_t<First>>::value &&
           (std::is_same_v<detail::AwaitResultT<First>, detail::AwaitResultT<Rest>> && ...))
auto when_any_ok(First&& first, Rest&&... rest) {
  using T = detail::AwaitResultT<First>;
  std::vector<Task<T>> tasks;
  tasks.reserve(1 + sizeof...(Rest));
  tasks.push_back(detail::to_task(std::forward<First>(first)));
  (tasks.push_back(detail::to_task(std::forward<Rest>(rest))), ...);
  return when_any_ok(std::move(tasks));
}

}  // namespace coproxy
