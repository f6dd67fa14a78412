#include "coproxy/http_call_response.h"

namespace coproxy {

uint32_t parse_http_status(std::string_view text) {
  if (text.empty() || text.size() > 3) return 0;
  uint32_t code = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    code = code * 10 + static_cast<uint32_t>(c - '0');
  }
  return code;
}

uint32_t HttpCallResponse::status() const {
  if (failed()) return 0;
  Result<HostBytes> status = header(":status");
  return status.ok() ? parse_http_status(status->view()) : 0;
}

}  // namespace coproxy
