// Task<T>: a coroutine that computes a T. Lazy (it starts when awaited, or when the scheduler
// starts it), move-only, and it owns its frame: destroying a suspended Task destroys its frame,
// and with it every frame that frame awaits, running their destructors.
//
// Stack: wasm has no guaranteed tail calls (clang lowers symmetric transfer to a call without
// -mtail-call), so a task that finishes without suspending does not transfer back to its
// awaiter: the awaiter starts it with a call and, seeing it done, simply goes on. A loop that
// awaits such tasks 100,000 times stays flat (tests/coroutine_test: ...UsesNoStack). A task
// that finishes later resumes its awaiter from the event that finished it.
//
// Frames come from the recycling pool: after warm-up a steady flow of requests allocates
// nothing. With exceptions on (native tests) an exception is carried to the awaiter; in wasm
// (-fno-exceptions) there are none, and errors are values (Status / Result<T>).
#pragma once

#include <coroutine>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#if defined(__cpp_exceptions)
#include <exception>
#endif

#include "coproxy/abi/types.h"
#include "coproxy/detail/recycling_pool.h"

namespace coproxy {

template <class T = void>
class Task;

namespace detail {

class TaskPromiseBase {
 public:
  // Frames live in the recycling pool (large ones fall through to malloc).
  static void* operator new(size_t size) { return pool_allocate(size); }
  static void operator delete(void* frame, size_t size) { pool_deallocate(frame, size); }

  std::suspend_always initial_suspend() noexcept { return {}; }

  // Finishing resumes whoever awaited this task, unless that awaiter is still starting it
  // (it then goes on by itself), or returns to the scheduler that started it.
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      TaskPromiseBase& promise = self.promise();
      if (promise.starting_) {
        promise.finished_while_starting_ = true;
        return std::noop_coroutine();
      }
      return promise.continuation_ ? promise.continuation_ : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept {
#if defined(__cpp_exceptions)
    exception_ = std::current_exception();
#else
    __builtin_trap();  // unreachable: no exceptions in wasm
#endif
  }

  // Starts the task for `awaiter`; true when it is left suspended (the awaiter must wait),
  // false when it finished at once (the awaiter goes on, with no stack built up).
  template <class Handle>
  static bool start_for(Handle task, std::coroutine_handle<> awaiter) {
    TaskPromiseBase& promise = task.promise();
    promise.continuation_ = awaiter;
    promise.starting_ = true;
    promise.finished_while_starting_ = false;
    task.resume();
    promise.starting_ = false;
    return !promise.finished_while_starting_;
  }

 protected:
  void rethrow_if_failed() {
#if defined(__cpp_exceptions)
    if (exception_) std::rethrow_exception(exception_);
#endif
  }

 private:
  std::coroutine_handle<> continuation_;
  bool starting_ = false;
  bool finished_while_starting_ = false;
#if defined(__cpp_exceptions)
  std::exception_ptr exception_;
#endif
};

// What awaiting an empty Task<T> gives: T's default (Continue for an Action, Ok for a
// Status, nothing for void), or NotFound for a Result. Any other T has no value to give: an
// empty task of it is a programming error, like reading an empty optional, and traps.
template <class T>
T empty_task_value() {
  if constexpr (std::is_void_v<T> || std::is_default_constructible_v<T>) {
    return T();
  } else if constexpr (std::is_constructible_v<T, StatusCode>) {
    return T(StatusCode::NotFound);
  } else {
    __builtin_trap();
  }
}

template <class T>
class TaskPromise final : public TaskPromiseBase {
 public:
  Task<T> get_return_object() noexcept;
  void return_value(T value) { value_.emplace(std::move(value)); }
  T take() {
    rethrow_if_failed();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> final : public TaskPromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() { rethrow_if_failed(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::TaskPromise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle handle) noexcept : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  ~Task() { reset(); }

  // Destroys the frame, and through its locals every frame it awaits.
  void reset() noexcept {
    if (handle_) std::exchange(handle_, {}).destroy();
  }
  explicit operator bool() const noexcept { return static_cast<bool>(handle_); }
  bool done() const noexcept { return handle_ && handle_.done(); }

  // For a scheduler: runs a task nobody awaits until it first suspends or finishes.
  void start() { handle_.resume(); }
  // The value of a finished task (moved out: call once).
  T result() { return handle_.promise().take(); }

  // co_await task: runs it (it has not started) and resumes the awaiter when it finishes.
  // An empty task (default-made: a callback that is not overridden) finishes at once with
  // detail::empty_task_value<T>(): Continue for an Action, Ok for a Status.
  auto operator co_await() const noexcept {
    struct Awaiter {
      Handle handle;
      bool await_ready() const noexcept { return !handle; }
      bool await_suspend(std::coroutine_handle<> awaiter) {
        return detail::TaskPromiseBase::start_for(handle, awaiter);
      }
      T await_resume() {
        if (!handle) return detail::empty_task_value<T>();
        return handle.promise().take();
      }
    };
    return Awaiter{handle_};
  }

 private:
  Handle handle_;
};

namespace detail {

template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}

inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}

}  // namespace detail
}  // namespace coproxy
