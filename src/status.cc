#include "coproxy/status.h"

namespace coproxy {

const char* status_name(StatusCode code) {
  switch (code) {
    case StatusCode::Ok: return "OK";
    case StatusCode::NotFound: return "NOT_FOUND";
    case StatusCode::BadArgument: return "BAD_ARGUMENT";
    case StatusCode::SerializationFailure: return "SERIALIZATION_FAILURE";
    case StatusCode::ParseFailure: return "PARSE_FAILURE";
    case StatusCode::BadExpression: return "BAD_EXPRESSION";
    case StatusCode::InvalidMemoryAccess: return "INVALID_MEMORY_ACCESS";
    case StatusCode::Empty: return "EMPTY";
    case StatusCode::CasMismatch: return "CAS_MISMATCH";
    case StatusCode::ResultMismatch: return "RESULT_MISMATCH";
    case StatusCode::InternalFailure: return "INTERNAL_FAILURE";
    case StatusCode::BrokenConnection: return "BROKEN_CONNECTION";
    case StatusCode::Unimplemented: return "UNIMPLEMENTED";
    case StatusCode::TooLarge: return "TOO_LARGE";
    case StatusCode::Timeout: return "TIMEOUT";
    case StatusCode::Cancelled: return "CANCELLED";
  }
  return "UNKNOWN_STATUS";
}

const char* Status::name() const { return status_name(code_); }

}  // namespace coproxy
