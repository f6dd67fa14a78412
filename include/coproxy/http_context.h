// HTTP stream contexts. HttpContextBase is what the dispatcher drives and what every flavour
// of HTTP context shares (the stream's headers, bodies, local reply); HttpContext is the
// callback flavour with no-op defaults: override only what the filter needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/buffer.h"
#include "coproxy/context.h"
#include "coproxy/header_map.h"
#include "coproxy/stream_control.h"

namespace coproxy {

class HttpContextBase : public Context {
 public:
  // The dispatcher's entry points, one per proxy_on_* export of an HTTP stream.
  virtual Action handle_request_headers(size_t header_count, bool end_of_stream) = 0;
  virtual Action handle_request_body(size_t body_size, bool end_of_stream) = 0;
  virtual Action handle_request_trailers(size_t trailer_count) = 0;
  virtual Action handle_response_headers(size_t header_count, bool end_of_stream) = 0;
  virtual Action handle_response_body(size_t body_size, bool end_of_stream) = 0;
  virtual Action handle_response_trailers(size_t trailer_count) = 0;
  // proxy_on_done: the stream ended. False defers deletion until done is signalled.
  virtual bool handle_done() { return true; }
  // proxy_on_log: after done, before delete; headers are still readable.
  virtual void handle_log() = 0;

  static constexpr HeaderMap request_headers() { return coproxy::request_headers(); }
  static constexpr HeaderMap request_trailers() { return coproxy::request_trailers(); }
  static constexpr HeaderMap response_headers() { return coproxy::response_headers(); }
  static constexpr HeaderMap response_trailers() { return coproxy::response_trailers(); }
  static constexpr Buffer request_body() { return coproxy::request_body(); }
  static constexpr Buffer response_body() { return coproxy::response_body(); }

  // Answers the stream locally; returns the Action to hand back to the host (Pause: the
  // local response replaces whatever was paused).
  Action send_local_response(uint32_t status_code, std::string_view body = {},
                             HeaderSpan headers = {}, std::string_view details = {},
                             int32_t grpc_status = kNoGrpcStatus);
  // Whether this stream was answered with send_local_response.
  bool local_response_sent() const { return end_.local_response_sent; }
  // Resets the stream (proxy_close_stream): nothing more of it goes on.
  Status close();
  // Whether this stream was closed with close().
  bool closed() const { return end_.closed; }
  // Answered locally or closed: the plugin is done with the stream.
  bool stream_ended() const { return end_.local_response_sent || end_.closed; }

 protected:
  HttpContextBase() = default;
  // HttpContext: the dispatcher calls its on_* callbacks straight, not through handle_*.
  struct CallbackStyle {};
  explicit HttpContextBase(CallbackStyle) : callback_style_(true) {}
  const detail::StreamEnd& stream_end() const { return end_; }

 private:
  friend class Dispatcher;
  detail::StreamEnd end_;
  const bool callback_style_ = false;
};

class HttpContext : public HttpContextBase {
 public:
  HttpContext() : HttpContextBase(CallbackStyle{}) {}

  virtual Action on_request_headers(size_t header_count, bool end_of_stream);
  // One body chunk; while paused, body_size is the whole body buffered so far.
  virtual Action on_request_body(size_t body_size, bool end_of_stream);
  virtual Action on_request_trailers(size_t trailer_count);
  virtual Action on_response_headers(size_t header_count, bool end_of_stream);
  virtual Action on_response_body(size_t body_size, bool end_of_stream);
  virtual Action on_response_trailers(size_t trailer_count);
  // The stream is over (proxy_on_log): the maps the host delivered are still readable, e.g.
  // for access logs (a stream reset before its response has no response headers to read).
  virtual void on_stream_done();

  // What the dispatcher would call for a stream of another flavour; for this one it calls
  // the on_* callbacks straight (one virtual call per event, not two).
  Action handle_request_headers(size_t header_count, bool end_of_stream) final;
  Action handle_request_body(size_t body_size, bool end_of_stream) final;
  Action handle_request_trailers(size_t trailer_count) final;
  Action handle_response_headers(size_t header_count, bool end_of_stream) final;
  Action handle_response_body(size_t body_size, bool end_of_stream) final;
  Action handle_response_trailers(size_t trailer_count) final;
  // Nothing to finish; final, so the dispatcher may skip proxy_on_done for an HttpContext.
  bool handle_done() final { return true; }
  void handle_log() final;
};

}  // namespace coproxy
