#include "coproxy/grpc_status.h"

namespace coproxy {

const char* grpc_status_name(GrpcStatus status) {
  switch (status) {
    case GrpcStatus::Ok: return "OK";
    case GrpcStatus::Cancelled: return "CANCELLED";
    case GrpcStatus::Unknown: return "UNKNOWN";
    case GrpcStatus::InvalidArgument: return "INVALID_ARGUMENT";
    case GrpcStatus::DeadlineExceeded: return "DEADLINE_EXCEEDED";
    case GrpcStatus::NotFound: return "NOT_FOUND";
    case GrpcStatus::AlreadyExists: return "ALREADY_EXISTS";
    case GrpcStatus::PermissionDenied: return "PERMISSION_DENIED";
    case GrpcStatus::ResourceExhausted: return "RESOURCE_EXHAUSTED";
    case GrpcStatus::FailedPrecondition: return "FAILED_PRECONDITION";
    case GrpcStatus::Aborted: return "ABORTED";
    case GrpcStatus::OutOfRange: return "OUT_OF_RANGE";
    case GrpcStatus::Unimplemented: return "UNIMPLEMENTED";
    case GrpcStatus::Internal: return "INTERNAL";
    case GrpcStatus::Unavailable: return "UNAVAILABLE";
    case GrpcStatus::DataLoss: return "DATA_LOSS";
    case GrpcStatus::Unauthenticated: return "UNAUTHENTICATED";
  }
  return "UNKNOWN_CODE";
}

}  // namespace coproxy
