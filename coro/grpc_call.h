// co_await grpc_call(...): a unary gRPC call as an awaitable.
//
//   Result<GrpcReply> reply = co_await grpc_call({"cluster", "pkg.Service", "Method"}, {},
//   request); if (reply.ok() && reply->ok()) use(reply->message());
//
// The Result is an error only when the host refused the call, or lost track of it
// (BrokenConnection: it could no longer deliver the answer to this context). A call that
// failed on the gRPC level is a GrpcReply with its status (and the host's status message, if
// any). If the task is destroyed while it waits, the call is cancelled.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <string_view>

#include "coproxy/grpc_call.h"
#include "coproxy/grpc_status.h"
#include "coproxy/header.h"
#include "coproxy/host_bytes.h"
#include "coproxy/pending_call.h"
#include "coproxy/status.h"
#include "coro/http_call.h"  // kDefaultCallTimeout

namespace coproxy {

class GrpcReply {
 public:
  bool ok() const { return grpc_status_ == GrpcStatus::Ok; }
  // Ok with a message; otherwise the failure: DeadlineExceeded when the timeout fired, Unknown
  // when the call closed without a message, or the status the server answered.
  GrpcStatus grpc_status() const { return grpc_status_; }
  // The response message (ok), or the host's status message (failed; may be empty).
  std::string_view message() const { return message_.view(); }

 private:
  friend class GrpcCallAwaiter;
  GrpcStatus grpc_status_ = GrpcStatus::Ok;
  HostBytes message_;
};

// when_all_ok's rule: a gRPC reply fails unless its status is OK.
inline bool succeeded(const GrpcReply& reply) { return reply.ok(); }

class [[nodiscard]] GrpcCallAwaiter final : public PendingCall {
 public:
  GrpcCallAwaiter(const GrpcMethod& method, HeaderSpan initial_metadata, std::string_view message,
                  std::chrono::milliseconds timeout);
  // Before it is awaited (into a combinator); the moved-from one will not cancel.
  GrpcCallAwaiter(GrpcCallAwaiter&& other) noexcept;
  // Cancels the call if it is still waiting.
  ~GrpcCallAwaiter() override;

  bool await_ready() const noexcept { return !dispatched_; }
  bool await_suspend(std::coroutine_handle<> awaiter);
  Result<GrpcReply> await_resume() { return std::move(result_); }

  bool unary_grpc() const override { return true; }
  void on_grpc_message(size_t size) override;
  void on_grpc_close(uint32_t status_code) override;
  void on_lost() override { answer(StatusCode::BrokenConnection); }
  void on_abandoned() override {}

 private:
  void answer(Result<GrpcReply> result);

  bool dispatched_ = false;
  bool answered_ = false;
  uint32_t dispatched_token_ = 0;
  Result<GrpcReply> result_{StatusCode::InternalFailure};
  std::coroutine_handle<> awaiter_;
};

inline GrpcCallAwaiter grpc_call(const GrpcMethod& method, HeaderSpan initial_metadata,
                                 std::string_view message,
                                 std::chrono::milliseconds timeout = kDefaultCallTimeout) {
  return GrpcCallAwaiter(method, initial_metadata, message, timeout);
}

}  // namespace coproxy
