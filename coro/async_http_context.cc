#include "coro/async_http_context.h"

#include "coro/stream_sequencer_impl.h"

namespace coproxy {

template class detail::StreamSequencer<AsyncHttpContext>;

using detail::StreamEvent;

// Not overridden: an empty task, which the sequencer answers with Continue (no frame).
Task<Action> AsyncHttpContext::on_request_headers(size_t, bool) { return {}; }
Task<Action> AsyncHttpContext::on_request_body(size_t, bool) { return {}; }
Task<Action> AsyncHttpContext::on_request_trailers(size_t) { return {}; }
Task<Action> AsyncHttpContext::on_response_headers(size_t, bool) { return {}; }
Task<Action> AsyncHttpContext::on_response_body(size_t, bool) { return {}; }
Task<Action> AsyncHttpContext::on_response_trailers(size_t) { return {}; }
void AsyncHttpContext::on_stream_done() {}

Action AsyncHttpContext::handle_request_headers(size_t header_count, bool end_of_stream) {
  return sequencer_.on_event(
      StreamEvent{kRequestHeaders, 0, end_of_stream, static_cast<uint32_t>(header_count)});
}
Action AsyncHttpContext::handle_request_body(size_t body_size, bool end_of_stream) {
  return sequencer_.on_event(
      StreamEvent{kRequestBody, 0, end_of_stream, static_cast<uint32_t>(body_size)});
}
Action AsyncHttpContext::handle_request_trailers(size_t trailer_count) {
  return sequencer_.on_event(
      StreamEvent{kRequestTrailers, 0, true, static_cast<uint32_t>(trailer_count)});
}
Action AsyncHttpContext::handle_response_headers(size_t header_count, bool end_of_stream) {
  return sequencer_.on_event(
      StreamEvent{kResponseHeaders, 1, end_of_stream, static_cast<uint32_t>(header_count)});
}
Action AsyncHttpContext::handle_response_body(size_t body_size, bool end_of_stream) {
  return sequencer_.on_event(
      StreamEvent{kResponseBody, 1, end_of_stream, static_cast<uint32_t>(body_size)});
}
Action AsyncHttpContext::handle_response_trailers(size_t trailer_count) {
  return sequencer_.on_event(
      StreamEvent{kResponseTrailers, 1, true, static_cast<uint32_t>(trailer_count)});
}

bool AsyncHttpContext::handle_done() {
  sequencer_.cancel(/*task_may_run=*/waking());
  return true;
}

void AsyncHttpContext::handle_log() { on_stream_done(); }

void AsyncHttpContext::after_event() { sequencer_.after_event(); }

Task<Action> AsyncHttpContext::start_task(StreamEvent event) {
  switch (event.kind()) {
    case kRequestHeaders: return on_request_headers(event.size(), event.end_of_stream());
    case kRequestBody: return on_request_body(event.size(), event.end_of_stream());
    case kRequestTrailers: return on_request_trailers(event.size());
    case kResponseHeaders: return on_response_headers(event.size(), event.end_of_stream());
    case kResponseBody: return on_response_body(event.size(), event.end_of_stream());
    default: return on_response_trailers(event.size());
  }
}

Status AsyncHttpContext::continue_direction(uint8_t direction) {
  return continue_stream(direction == 0 ? StreamType::HttpRequest : StreamType::HttpResponse);
}

}  // namespace coproxy
