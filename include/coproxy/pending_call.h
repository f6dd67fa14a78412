// PendingCall: one outstanding host call (HTTP callout, gRPC call or stream) that waits for
// events addressed by its token. The plugin context keeps a token -> PendingCall table; the
// context that made the call (the owner) keeps a list of its own, so that when the owner dies
// its calls are dropped and any late event for their tokens is ignored.
//
// Callback wrappers (Context::http_call) and, later, coroutine awaiters derive from it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coproxy/detail/recycling_pool.h"
#include "coproxy/http_call_response.h"
#include "coproxy/status.h"

namespace coproxy {

class Context;
class PluginContext;
class Dispatcher;

class PendingCall : public detail::PoolAllocated {
 public:
  PendingCall() = default;
  PendingCall(const PendingCall&) = delete;
  PendingCall& operator=(const PendingCall&) = delete;
  // Only a call not registered yet may move (an awaitable on its way into a combinator).
  PendingCall(PendingCall&& other) noexcept : PendingCall() { (void)other; }
  // Leaves the token table and the owner's list if still there.
  virtual ~PendingCall();

  uint32_t token() const { return token_; }
  bool registered() const { return plugin_ != nullptr; }
  // Leaves the token table and the owner's list: no event will reach this call any more
  // (after cancelling it with the host, say).
  void forget();

  // Events. The dispatcher has already made the owner the effective context. After
  // on_http_response and on_grpc_close (and on_grpc_message of a unary call) the call is
  // finished: it has left the table before the method runs and may delete itself. A call
  // that does not expect the finishing event it gets (another kind's) is lost (on_lost).
  virtual void on_http_response(const HttpCallResponse& response);
  virtual void on_grpc_initial_metadata(size_t count);
  virtual void on_grpc_message(size_t size);
  virtual void on_grpc_trailing_metadata(size_t count);
  virtual void on_grpc_close(uint32_t status_code);
  // The owner context is going away; no event will come. The call has left the table.
  virtual void on_abandoned() = 0;
  // The call can never be answered although its owner lives on: the host refused to make the
  // owner effective for its event, or handed its token to a newer call. Runs as the owner's
  // event (the owner current, and effective unless the host refused). Awaiters resume with
  // BrokenConnection; a callback learns of a failed call. By default, on_abandoned().
  virtual void on_lost() { on_abandoned(); }

  // True for a unary gRPC call: its one message finishes it.
  virtual bool unary_grpc() const { return false; }
  // The remote end closed this gRPC call or stream; on_grpc_close follows. Envoy keeps a
  // stream until both sides have closed, so a stream closes its own side here (below).
  virtual void on_grpc_remote_close() {}

 protected:
  // Closes this side of a gRPC stream (proxy_grpc_close). Close through here, not the free
  // grpc_close, so that close_grpc_stream_if_open() does not close it a second time.
  Status close_grpc_stream();
  void close_grpc_stream_if_open() {
    if (!grpc_closed_locally_) (void)close_grpc_stream();
  }

 private:
  friend class Context;
  friend class PluginContext;
  friend class PendingCallList;
  friend class Dispatcher;

  PluginContext* plugin_ = nullptr;  // whose token table holds this call
  Context* owner_ = nullptr;
  uint32_t token_ = 0;
  bool grpc_closed_locally_ = false;
  // Its token went to a newer call: out of the token table, in its plugin's lost list (not
  // the owner's) until on_lost is delivered after the current event.
  bool lost_ = false;
  PendingCall* prev_ = nullptr;  // in the owner's list (or the plugin's lost list)
  PendingCall* next_ = nullptr;
};

// The intrusive list of a context's pending calls.
class PendingCallList {
 public:
  void push(PendingCall* call);
  void remove(PendingCall* call);
  PendingCall* front() const { return head_; }
  bool empty() const { return head_ == nullptr; }

 private:
  PendingCall* head_ = nullptr;
};

}  // namespace coproxy
