// gRPC callouts and streams at the host level: each returns a token; events arrive on the
// plugin context (initial metadata, message, trailing metadata, close).
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "coproxy/header.h"
#include "coproxy/http_call.h"
#include "coproxy/status.h"

namespace coproxy {

// Which gRPC method to call on which upstream.
struct GrpcMethod {
  std::string_view upstream;  // cluster name (or an encoded GrpcService, host-specific)
  std::string_view service;   // e.g. "helloworld.Greeter"
  std::string_view method;    // e.g. "SayHello"
};

Result<uint32_t> dispatch_grpc_call(const GrpcMethod& target, HeaderSpan initial_metadata,
                                    std::string_view message,
                                    std::chrono::milliseconds timeout = kDefaultCallTimeout);
Result<uint32_t> open_grpc_stream(const GrpcMethod& target, HeaderSpan initial_metadata);
Status grpc_send(uint32_t token, std::string_view message, bool end_of_stream = false);
// Cancels a call or stream: no further events arrive for it.
Status grpc_cancel(uint32_t token);
// Half-closes a stream (local end done); events still arrive until the close.
Status grpc_close(uint32_t token);

}  // namespace coproxy
