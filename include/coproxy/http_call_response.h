// HttpCallResponse: the response to an HTTP callout, read from the host while its callback
// runs. The host keeps these maps and the body only during proxy_on_http_call_response: copy
// out what you need before the callback returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coproxy/buffer.h"
#include "coproxy/header_map.h"

namespace coproxy {

// A :status value as a number; 0 when it is not one: a status code is three digits (RFC 9110
// section 15), and Envoy sends nothing else.
uint32_t parse_http_status(std::string_view text);

class HttpCallResponse {
 public:
  HttpCallResponse(uint32_t token, size_t header_count, size_t body_size, size_t trailer_count)
      : token_(token),
        header_count_(header_count),
        body_size_(body_size),
        trailer_count_(trailer_count) {}

  uint32_t token() const { return token_; }
  // The callout got no response (reset, timeout, no healthy upstream): hosts say so with an
  // empty header map.
  bool failed() const { return header_count_ == 0; }
  // The :status header as a number; 0 when failed or not a number.
  uint32_t status() const;

  HeaderMap headers() const { return HeaderMap(MapType::HttpCallResponseHeaders); }
  HeaderMap trailers() const { return HeaderMap(MapType::HttpCallResponseTrailers); }
  Result<HostBytes> header(std::string_view name) const { return headers().get(name); }
  Result<HostBytes> body() const {
    return Buffer(BufferType::HttpCallResponseBody).get(0, body_size_);
  }

  size_t header_count() const { return header_count_; }
  size_t body_size() const { return body_size_; }
  size_t trailer_count() const { return trailer_count_; }

 private:
  uint32_t token_;
  size_t header_count_;
  size_t body_size_;
  size_t trailer_count_;
};

}  // namespace coproxy
