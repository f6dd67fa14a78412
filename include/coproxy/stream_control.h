// Stream control: continue or close a paused direction, answer locally, read a call's status.
#pragma once

#include <cstdint>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/header.h"
#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

// Resumes a direction paused by a callback of the current (effective) stream.
Status continue_stream(StreamType direction);
// Closes (resets) a direction of the current stream.
Status close_stream(StreamType direction);

inline constexpr int32_t kNoGrpcStatus = -1;

// Answers the current HTTP stream from the plugin instead of the upstream. Works until the
// response headers were sent downstream.
Status send_local_response(uint32_t status_code, std::string_view body = {},
                           HeaderSpan headers = {}, std::string_view details = {},
                           int32_t grpc_status = kNoGrpcStatus);

// The status of the call whose callback is running (HTTP callout or gRPC close).
struct CallStatus {
  uint32_t code = 0;
  HostBytes message;
};
Result<CallStatus> get_status();

}  // namespace coproxy
