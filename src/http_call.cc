#include "coproxy/http_call.h"

#include <cstdint>

#include "encoded_map.h"
#include "host_call.h"

namespace coproxy {

Result<uint32_t> dispatch_http_call(std::string_view upstream, HeaderSpan headers,
                                    std::string_view body, HeaderSpan trailers,
                                    std::chrono::milliseconds timeout) {
  // Hosts reject these too, but saying so here gives the same answer on every host. A list
  // encoded at compile time was checked then.
  const EncodedHeaderBytes* wire = headers.encoded();
  if (wire ? !wire->has_request_pseudo_headers : !detail::has_request_pseudo_headers(headers)) {
    return StatusCode::BadArgument;
  }
  std::optional<uint32_t> timeout_ms = internal::wire_milliseconds(timeout);
  if (!timeout_ms) return StatusCode::BadArgument;
  internal::EncodedMap encoded_headers(headers);
  if (!encoded_headers.status().ok()) return encoded_headers.status();
  internal::EncodedMap encoded_trailers(trailers);
  if (!encoded_trailers.status().ok()) return encoded_trailers.status();
  uint32_t token = 0;
  Status status = internal::to_status(proxy_http_call(
      upstream.data(), upstream.size(), encoded_headers.data(), encoded_headers.size(),
      body.data(), body.size(), encoded_trailers.data(), encoded_trailers.size(),
      *timeout_ms, &token));
  if (!status.ok()) return status;
  return token;
}

}  // namespace coproxy
