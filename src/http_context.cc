#include "coproxy/http_context.h"

namespace coproxy {

Action HttpContextBase::send_local_response(uint32_t status_code, std::string_view body,
                                            HeaderSpan headers, std::string_view details,
                                            int32_t grpc_status) {
  // Set first: a host may run the reply through this stream's response callbacks from
  // inside the call, and they must already see the stream answered.
  end_.local_response_sent = true;
  end_.local_response_sent =
      coproxy::send_local_response(status_code, body, headers, details, grpc_status).ok();
  return Action::Pause;
}

Status HttpContextBase::close() {
  end_.closed = true;  // first: the host may deliver this stream's end from inside the call
  return close_stream(StreamType::HttpRequest);
}

Action HttpContext::on_request_headers(size_t, bool) { return Action::Continue; }
Action HttpContext::on_request_body(size_t, bool) { return Action::Continue; }
Action HttpContext::on_request_trailers(size_t) { return Action::Continue; }
Action HttpContext::on_response_headers(size_t, bool) { return Action::Continue; }
Action HttpContext::on_response_body(size_t, bool) { return Action::Continue; }
Action HttpContext::on_response_trailers(size_t) { return Action::Continue; }
void HttpContext::on_stream_done() {}

Action HttpContext::handle_request_headers(size_t header_count, bool end_of_stream) {
  return on_request_headers(header_count, end_of_stream);
}
Action HttpContext::handle_request_body(size_t body_size, bool end_of_stream) {
  return on_request_body(body_size, end_of_stream);
}
Action HttpContext::handle_request_trailers(size_t trailer_count) {
  return on_request_trailers(trailer_count);
}
Action HttpContext::handle_response_headers(size_t header_count, bool end_of_stream) {
  return on_response_headers(header_count, end_of_stream);
}
Action HttpContext::handle_response_body(size_t body_size, bool end_of_stream) {
  return on_response_body(body_size, end_of_stream);
}
Action HttpContext::handle_response_trailers(size_t trailer_count) {
  return on_response_trailers(trailer_count);
}
void HttpContext::handle_log() { on_stream_done(); }

}  // namespace coproxy
