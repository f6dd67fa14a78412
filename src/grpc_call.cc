#include "coproxy/grpc_call.h"

#include "encoded_map.h"
#include "host_call.h"

namespace coproxy {

using internal::to_status;

Result<uint32_t> dispatch_grpc_call(const GrpcMethod& target, HeaderSpan initial_metadata,
                                    std::string_view message, std::chrono::milliseconds timeout) {
  std::optional<uint32_t> timeout_ms = internal::wire_milliseconds(timeout);
  if (!timeout_ms) return StatusCode::BadArgument;
  internal::EncodedMap metadata(initial_metadata);
  if (!metadata.status().ok()) return metadata.status();
  uint32_t token = 0;
  Status status = to_status(proxy_grpc_call(
      target.upstream.data(), target.upstream.size(), target.service.data(),
      target.service.size(), target.method.data(), target.method.size(), metadata.data(),
      metadata.size(), message.data(), message.size(), *timeout_ms, &token));
  if (!status.ok()) return status;
  return token;
}

Result<uint32_t> open_grpc_stream(const GrpcMethod& target, HeaderSpan initial_metadata) {
  internal::EncodedMap metadata(initial_metadata);
  if (!metadata.status().ok()) return metadata.status();
  uint32_t token = 0;
  Status status = to_status(proxy_grpc_stream(
      target.upstream.data(), target.upstream.size(), target.service.data(),
      target.service.size(), target.method.data(), target.method.size(), metadata.data(),
      metadata.size(), &token));
  if (!status.ok()) return status;
  return token;
}

Status grpc_send(uint32_t token, std::string_view message, bool end_of_stream) {
  return to_status(proxy_grpc_send(token, message.data(), message.size(), end_of_stream ? 1 : 0));
}

Status grpc_cancel(uint32_t token) { return to_status(proxy_grpc_cancel(token)); }

Status grpc_close(uint32_t token) { return to_status(proxy_grpc_close(token)); }

}  // namespace coproxy
