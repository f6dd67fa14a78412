#include "coproxy/pending_call.h"

#include "coproxy/grpc_call.h"
#include "coproxy/plugin_context.h"

namespace coproxy {

PendingCall::~PendingCall() {
  if (plugin_ != nullptr) plugin_->forget_call(*this);
}

void PendingCall::forget() {
  if (plugin_ != nullptr) plugin_->forget_call(*this);
}

Status PendingCall::close_grpc_stream() {
  grpc_closed_locally_ = true;
  return grpc_close(token_);
}

// Events a kind of call does not expect: one that finishes a call (a host that delivered a
// gRPC close for an HTTP callout's token, say) has taken it out of the table, so it can never
// be answered now: it is lost. The others are ignored.
void PendingCall::on_http_response(const HttpCallResponse&) { on_lost(); }
void PendingCall::on_grpc_initial_metadata(size_t) {}
void PendingCall::on_grpc_message(size_t) {}
void PendingCall::on_grpc_trailing_metadata(size_t) {}
void PendingCall::on_grpc_close(uint32_t) { on_lost(); }

void PendingCallList::push(PendingCall* call) {
  call->prev_ = nullptr;
  call->next_ = head_;
  if (head_ != nullptr) head_->prev_ = call;
  head_ = call;
}

void PendingCallList::remove(PendingCall* call) {
  if (call->prev_ != nullptr) {
    call->prev_->next_ = call->next_;
  } else {
    head_ = call->next_;
  }
  if (call->next_ != nullptr) call->next_->prev_ = call->prev_;
  call->prev_ = call->next_ = nullptr;
}

}  // namespace coproxy
