// GrpcStatus: the standard gRPC status codes (grpc/include/grpcpp/impl/codegen/status_code_enum.h),
// as a unary call's reply and a stream's Close event carry them.
#pragma once

#include <cstdint>

namespace coproxy {

enum class GrpcStatus : uint32_t {
  Ok = 0,
  Cancelled = 1,
  Unknown = 2,
  InvalidArgument = 3,
  DeadlineExceeded = 4,  // also Envoy's answer when a call's timeout fires (see docs/testing.md)
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  OutOfRange = 11,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,  // older Envoy's answer to a timeout; also "upstream unreachable"
  DataLoss = 15,
  Unauthenticated = 16,
};

// The code's name as gRPC spells it ("OK", "DEADLINE_EXCEEDED", ...); "UNKNOWN_CODE" for a
// number outside the standard range (a host may pass any).
const char* grpc_status_name(GrpcStatus status);

}  // namespace coproxy
