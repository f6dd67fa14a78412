#include "coproxy/stream_control.h"

#include "encoded_map.h"
#include "host_call.h"

namespace coproxy {

using internal::to_status;
using internal::wire;

Status continue_stream(StreamType direction) { return to_status(proxy_continue_stream(wire(direction))); }

Status close_stream(StreamType direction) { return to_status(proxy_close_stream(wire(direction))); }

Status send_local_response(uint32_t status_code, std::string_view body, HeaderSpan headers,
                           std::string_view details, int32_t grpc_status) {
  internal::EncodedMap encoded(headers);
  if (!encoded.status().ok()) return encoded.status();
  return to_status(proxy_send_local_response(status_code, details.data(), details.size(),
                                             body.data(), body.size(), encoded.data(),
                                             encoded.size(), grpc_status));
}

Result<CallStatus> get_status() {
  internal::HostOut out;
  uint32_t code = 0;
  Status status = to_status(proxy_get_status(&code, out.out_data(), out.out_size()));
  if (!status.ok()) return status;
  return CallStatus{code, out.take()};
}

}  // namespace coproxy
