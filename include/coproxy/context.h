// Context: what every plugin, HTTP and TCP context shares: its id, its plugin context, and
// the callouts it has made (callback style). Contexts are made and deleted by the dispatcher
// as the host's proxy_on_context_create / proxy_on_delete say; their storage comes from the
// recycling pool, so a stream context costs no malloc after warm-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>

#include "coproxy/detail/recycling_pool.h"
#include "coproxy/grpc_call.h"
#include "coproxy/grpc_status.h"
#include "coproxy/header.h"
#include "coproxy/http_call.h"
#include "coproxy/http_call_response.h"
#include "coproxy/pending_call.h"
#include "coproxy/status.h"

namespace coproxy {

class PluginContext;
class Dispatcher;
class Context;

namespace detail {
// Makes `context` Context::current() for its lifetime, then restores the previous one (calls
// nest: a host may deliver a callback from inside another).
class CurrentContextScope {
 public:
  inline explicit CurrentContextScope(Context* context);
  inline ~CurrentContextScope();
  // No context was current before: this is the host's outermost call into the plugin.
  bool outermost() const { return saved_ == nullptr; }
  CurrentContextScope(const CurrentContextScope&) = delete;
  CurrentContextScope& operator=(const CurrentContextScope&) = delete;

 private:
  Context* saved_;
};

// How a stream context's stream ended early, if it did: kept together so that a scheduler
// reads both in place (one reference, no call).
struct StreamEnd {
  bool local_response_sent = false;  // HTTP: answered with send_local_response
  bool closed = false;               // closed (reset) by the plugin
};

// Marks a context's waiter being woken (a callout answer, a timer, a queue signal): code of
// the context (a coroutine) runs below until the scope ends.
class WakeScope {
 public:
  explicit WakeScope(Context& context);
  ~WakeScope();
  WakeScope(const WakeScope&) = delete;
  WakeScope& operator=(const WakeScope&) = delete;

 private:
  Context& context_;
};

// Runs `wake` (a waiter's resumption: a callout's answer, a timer, a queue signal) as
// `owner`'s code, then lets the owner settle what it completed (Context::after_event). The
// owner stays alive throughout: a context deleted during an event is destroyed after it.
template <class Wake>
void wake_as(Context& owner, Wake&& wake);
}  // namespace detail

// Handles the events of a gRPC stream opened with Context::grpc_stream. The handler belongs
// to the plugin; it must stay alive until on_grpc_close, on_abandoned, or cancel. Half-close
// the stream with close(), not the free grpc_close: a stream the remote end closes is closed
// on this side too before on_grpc_close runs, unless close() did it already.
class GrpcStreamHandler : public PendingCall {
 public:
  Status close() { return close_grpc_stream(); }
  void on_grpc_remote_close() final { close_grpc_stream_if_open(); }
  // The host lost track of the stream: it ends as if closed with Unavailable.
  void on_lost() override { on_grpc_close(static_cast<uint32_t>(GrpcStatus::Unavailable)); }
  void on_abandoned() override {}
};

class Context : public detail::PoolAllocated {
 public:
  Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  // Drops every call still pending (their late events are ignored).
  virtual ~Context();

  uint32_t id() const { return id_; }
  // The plugin context this context belongs to (itself for a plugin context).
  PluginContext& plugin() const { return *plugin_; }

  // Starts an HTTP callout; `on_response(const HttpCallResponse&)` runs when it answers, with
  // this context effective. If this context dies first, the callback is dropped unrun.
  template <class OnResponse>
  Result<uint32_t> http_call(std::string_view upstream, HeaderSpan headers, std::string_view body,
                             HeaderSpan trailers, std::chrono::milliseconds timeout,
                             OnResponse&& on_response);

  // Starts a unary gRPC call; `on_reply(GrpcStatus status, std::string_view message)` runs
  // once: Ok with the response message, or the failure (DeadlineExceeded on a timeout,
  // Unknown for a close without a message) with no message.
  template <class OnReply>
  Result<uint32_t> grpc_call(const GrpcMethod& target, HeaderSpan initial_metadata,
                             std::string_view message, std::chrono::milliseconds timeout,
                             OnReply&& on_reply);

  // Opens a gRPC stream whose events go to `handler` (see GrpcStreamHandler).
  Result<uint32_t> grpc_stream(const GrpcMethod& target, HeaderSpan initial_metadata,
                               GrpcStreamHandler& handler);

  // Cancels a pending gRPC call or stream of this context; its events stop.
  Status grpc_cancel(uint32_t token);

  // How many calls of this context are waiting for the host.
  size_t pending_calls() const;

  // The context whose callback, or resumed waiter, is running now (set by the dispatcher);
  // nullptr outside any. Awaitables use it to know whose wait they are.
  static Context* current() { return current_; }
  // A waiter of this context is being woken, so its code (a coroutine) may be running below:
  // a callback the host delivers now (say proxy_on_done from inside proxy_close_stream) must
  // not destroy that code; it finishes the job in after_event().
  bool waking() const { return wakeups_ != 0; }

  // A waiter of this context (a call, timer or queue waiter) was just resumed by an event.
  // The coroutine layer finishes what the event completed here: the scheduler is back in
  // control, so it may call the host (continue the stream) safely.
  virtual void after_event() {}

  // Registers a call the host accepted under `token`, owned by this context: its events are
  // delivered to it with this context effective (awaitables and callback wrappers use this).
  void track(PendingCall& call, uint32_t token);

 protected:
  // Drops every pending call of this context: out of the token table, then on_abandoned().
  void abandon_calls();

 private:
  friend class PluginContext;
  friend class Dispatcher;
  friend class PendingCall;
  friend class detail::CurrentContextScope;

  friend class detail::WakeScope;

  static inline constinit Context* current_ = nullptr;
  uint32_t wakeups_ = 0;

  template <class OnResponse>
  class HttpCallback;
  template <class OnReply>
  class GrpcUnaryCallback;

  uint32_t id_ = 0;
  PluginContext* plugin_ = nullptr;
  PendingCallList calls_;
};

// ---- templates ----

template <class OnResponse>
class Context::HttpCallback final : public PendingCall {
 public:
  explicit HttpCallback(OnResponse&& f) : f_(std::forward<OnResponse>(f)) {}
  void on_http_response(const HttpCallResponse& response) override {
    f_(response);
    delete this;
  }
  // Lost by the host: the callback sees a failed call, as for a reset.
  void on_lost() override { on_http_response(HttpCallResponse(token(), 0, 0, 0)); }
  void on_abandoned() override { delete this; }

 private:
  std::decay_t<OnResponse> f_;
};

template <class OnReply>
class Context::GrpcUnaryCallback final : public PendingCall {
 public:
  explicit GrpcUnaryCallback(OnReply&& f) : f_(std::forward<OnReply>(f)) {}
  bool unary_grpc() const override { return true; }
  void on_grpc_message(size_t size) override {
    Result<HostBytes> message = Buffer(BufferType::GrpcReceiveBuffer).get(0, size);
    f_(GrpcStatus::Ok, message.ok() ? message->view() : std::string_view());
    delete this;
  }
  void on_grpc_close(uint32_t status_code) override {
    // Closed without a message: the call failed even if the status says OK.
    f_(status_code == 0 ? GrpcStatus::Unknown : GrpcStatus{status_code}, std::string_view());
    delete this;
  }
  void on_lost() override { on_grpc_close(static_cast<uint32_t>(GrpcStatus::Unavailable)); }
  void on_abandoned() override { delete this; }

 private:
  std::decay_t<OnReply> f_;
};

template <class OnResponse>
Result<uint32_t> Context::http_call(std::string_view upstream, HeaderSpan headers,
                                    std::string_view body, HeaderSpan trailers,
                                    std::chrono::milliseconds timeout, OnResponse&& on_response) {
  Result<uint32_t> token = dispatch_http_call(upstream, headers, body, trailers, timeout);
  if (!token.ok()) return token;
  track(*new HttpCallback<OnResponse>(std::forward<OnResponse>(on_response)), *token);
  return token;
}

template <class OnReply>
Result<uint32_t> Context::grpc_call(const GrpcMethod& target, HeaderSpan initial_metadata,
                                    std::string_view message, std::chrono::milliseconds timeout,
                                    OnReply&& on_reply) {
  Result<uint32_t> token = dispatch_grpc_call(target, initial_metadata, message, timeout);
  if (!token.ok()) return token;
  track(*new GrpcUnaryCallback<OnReply>(std::forward<OnReply>(on_reply)), *token);
  return token;
}

namespace detail {
CurrentContextScope::CurrentContextScope(Context* context) : saved_(Context::current_) {
  Context::current_ = context;
}
CurrentContextScope::~CurrentContextScope() { Context::current_ = saved_; }

template <class Wake>
void wake_as(Context& owner, Wake&& wake) {
  CurrentContextScope scope(&owner);
  {
    WakeScope waking(owner);
    wake();  // may destroy the waiter (a coroutine frame moving on)
  }
  owner.after_event();
}
}  // namespace detail

}  // namespace coproxy
