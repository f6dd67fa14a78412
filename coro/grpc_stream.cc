#include "coro/grpc_stream.h"

#include <utility>

#include "coproxy/buffer.h"
#include "coproxy/context.h"
#include "coproxy/effective_context.h"
#include "coproxy/stream_control.h"

namespace coproxy {

GrpcStream::~GrpcStream() {
  if (open_) cancel();
}

Status GrpcStream::open(const GrpcMethod& method, HeaderSpan initial_metadata) {
  if (open_) return StatusCode::BadArgument;
  Context* owner = Context::current();
  if (owner == nullptr) return StatusCode::InternalFailure;
  Result<uint32_t> token = open_grpc_stream(method, initial_metadata);
  if (!token.ok()) return token.status();
  open_ = true;
  lost_ = false;
  stream_token_ = *token;
  events_.clear();
  owner->track(*this, *token);
  return Status();
}

Status GrpcStream::send(std::string_view message, bool end_of_stream) {
  if (!open_) return StatusCode::NotFound;
  return grpc_send(stream_token_, message, end_of_stream);
}

Status GrpcStream::close() {
  if (!open_) return StatusCode::NotFound;
  return close_grpc_stream();
}

Status GrpcStream::cancel() {
  if (!open_) return StatusCode::NotFound;
  open_ = false;
  forget();  // a late event for the token finds nothing
  return coproxy::grpc_cancel(stream_token_);
}

Result<GrpcStreamEvent> GrpcStream::NextAwaiter::await_resume() {
  if (refused_) return StatusCode::BadArgument;
  if (stream_.events_.empty()) {  // closed, nothing left
    return stream_.lost_ ? StatusCode::BrokenConnection : StatusCode::NotFound;
  }
  GrpcStreamEvent event = std::move(stream_.events_.front());
  stream_.events_.pop_front();
  return event;
}

void GrpcStream::push(GrpcStreamEvent event) {
  events_.push_back(std::move(event));
  if (awaiter_) wake_reader();
}

void GrpcStream::wake_reader() {
  Context* reader = next_awaiter_->reader_;
  next_awaiter_ = nullptr;
  const std::coroutine_handle<> task = std::exchange(awaiter_, {});
  Context* current = Context::current();
  if (reader == nullptr || reader == current) {
    task.resume();  // this stream may be gone afterwards
    return;
  }
  // The event came to the stream's owner; the reader is another context (its plugin context
  // opened the stream). If the host refuses, the task still runs, and its host calls fail.
  (void)set_effective_context(reader->id());
  detail::wake_as(*reader, [task] { task.resume(); });
  if (current != nullptr) (void)set_effective_context(current->id());
}

void GrpcStream::on_grpc_initial_metadata(size_t) {
  GrpcStreamEvent event;
  event.kind = GrpcStreamEvent::Kind::InitialMetadata;
  event.metadata = HeaderMap(MapType::GrpcReceiveInitialMetadata).pairs().value_or(HeaderPairs());
  push(std::move(event));
}

void GrpcStream::on_grpc_message(size_t size) {
  GrpcStreamEvent event;
  event.message = Buffer(BufferType::GrpcReceiveBuffer).get(0, size).value_or(HostBytes());
  push(std::move(event));
}

void GrpcStream::on_grpc_trailing_metadata(size_t) {
  GrpcStreamEvent event;
  event.kind = GrpcStreamEvent::Kind::TrailingMetadata;
  event.metadata = HeaderMap(MapType::GrpcReceiveTrailingMetadata).pairs().value_or(HeaderPairs());
  push(std::move(event));
}

void GrpcStream::on_grpc_close(uint32_t status_code) {
  open_ = false;  // the call has left the token table
  GrpcStreamEvent event;
  event.kind = GrpcStreamEvent::Kind::Close;
  event.grpc_status = GrpcStatus{status_code};
  Result<CallStatus> status = get_status();
  if (status.ok()) event.message = std::move(status->message);
  push(std::move(event));
}

void GrpcStream::on_lost() {
  open_ = false;
  lost_ = true;
  if (awaiter_) wake_reader();
}

void GrpcStream::on_abandoned() { open_ = false; }

}  // namespace coproxy
