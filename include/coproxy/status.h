// Errors as values: Status (a proxy_status_t) and Result<T> (a value or a non-Ok Status).
// No exceptions anywhere: wasm builds use -fno-exceptions.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "coproxy/abi/types.h"

namespace coproxy {

// The outcome of a host call or an SDK operation: StatusCode::Ok or the reason it failed.
class Status {
 public:
  constexpr Status() = default;
  constexpr Status(StatusCode code) : code_(code) {}  // NOLINT: implicit by design

  constexpr bool ok() const { return code_ == StatusCode::Ok; }
  constexpr StatusCode code() const { return code_; }
  // The spec's name of the code, e.g. "NOT_FOUND".
  const char* name() const;

  friend constexpr bool operator==(Status a, Status b) { return a.code_ == b.code_; }

 private:
  StatusCode code_ = StatusCode::Ok;
};

// The name of a status code as the spec spells it ("OK", "NOT_FOUND", ...).
const char* status_name(StatusCode code);

// Either a T or a non-Ok Status. Reading the value of an error is a programming error
// (like dereferencing an empty std::optional); test with ok() or operator bool first.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : code_(StatusCode::Ok) { new (&value_) T(value); }  // NOLINT
  Result(T&& value) : code_(StatusCode::Ok) { new (&value_) T(std::move(value)); }  // NOLINT
  Result(Status error) : code_(error.ok() ? StatusCode::InternalFailure : error.code()) {}  // NOLINT
  Result(StatusCode error) : Result(Status(error)) {}  // NOLINT
  // The value made in place from `args`: returned as a prvalue, it is never moved.
  template <class... Args>
  explicit Result(std::in_place_t, Args&&... args) : code_(StatusCode::Ok) {
    new (&value_) T(std::forward<Args>(args)...);
  }

  Result(const Result& other) : code_(other.code_) {
    if (ok()) new (&value_) T(other.value_);
  }
  Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : code_(other.code_) {
    if (ok()) new (&value_) T(std::move(other.value_));
  }
  Result& operator=(const Result& other) {
    if (this != &other) {
      reset();
      code_ = other.code_;
      if (ok()) new (&value_) T(other.value_);
    }
    return *this;
  }
  Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      reset();
      code_ = other.code_;
      if (ok()) new (&value_) T(std::move(other.value_));
    }
    return *this;
  }
  ~Result() { reset(); }

  bool ok() const { return code_ == StatusCode::Ok; }
  explicit operator bool() const { return ok(); }
  Status status() const { return code_; }

  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }
  T&& operator*() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? value_ : static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  T value_or(U&& fallback) && {
    return ok() ? std::move(value_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void reset() {
    if (ok()) value_.~T();
  }

  StatusCode code_;
  union {
    T value_;
  };
};

}  // namespace coproxy
