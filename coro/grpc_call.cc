#include "coro/grpc_call.h"

#include <utility>

#include "coproxy/buffer.h"
#include "coproxy/context.h"
#include "coproxy/stream_control.h"

namespace coproxy {

GrpcCallAwaiter::GrpcCallAwaiter(const GrpcMethod& method, HeaderSpan initial_metadata,
                                 std::string_view message, std::chrono::milliseconds timeout) {
  Result<uint32_t> token = dispatch_grpc_call(method, initial_metadata, message, timeout);
  if (!token.ok()) {
    result_ = token.status();
    return;
  }
  dispatched_ = true;
  dispatched_token_ = *token;
}

GrpcCallAwaiter::GrpcCallAwaiter(GrpcCallAwaiter&& other) noexcept
    : PendingCall(std::move(other)),
      dispatched_(std::exchange(other.dispatched_, false)),
      answered_(other.answered_),
      dispatched_token_(other.dispatched_token_),
      result_(std::move(other.result_)) {}

GrpcCallAwaiter::~GrpcCallAwaiter() {
  if (!dispatched_ || answered_) return;
  forget();  // first: a host that answers from inside the cancel finds nothing
  coproxy::grpc_cancel(dispatched_token_);
}

bool GrpcCallAwaiter::await_suspend(std::coroutine_handle<> awaiter) {
  Context* owner = Context::current();
  if (owner == nullptr) {
    result_ = StatusCode::InternalFailure;
    return false;
  }
  awaiter_ = awaiter;
  owner->track(*this, dispatched_token_);
  return true;
}

void GrpcCallAwaiter::answer(Result<GrpcReply> result) {
  answered_ = true;
  result_ = std::move(result);
  awaiter_.resume();  // this awaiter may be gone afterwards
}

void GrpcCallAwaiter::on_grpc_message(size_t size) {
  Result<HostBytes> message = Buffer(BufferType::GrpcReceiveBuffer).get(0, size);
  if (!message.ok()) {
    answer(message.status());
    return;
  }
  GrpcReply reply;
  reply.message_ = std::move(*message);
  answer(std::move(reply));
}

void GrpcCallAwaiter::on_grpc_close(uint32_t status_code) {
  GrpcReply reply;
  // Closed without a message: the call failed even if the status says OK.
  reply.grpc_status_ = status_code == 0 ? GrpcStatus::Unknown : GrpcStatus{status_code};
  Result<CallStatus> status = get_status();
  if (status.ok()) reply.message_ = std::move(status->message);
  answer(std::move(reply));
}

}  // namespace coproxy
