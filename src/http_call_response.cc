#include "coproxy/http_call_response.h"

namespace coproxy {

uint32_t parse_http_status(std::string_view text) {
  if (text.size() != 3) return 0;
  // Unsigned: a character below '0' wraps to a large number, so one test per digit.
  const uint32_t hundreds = static_cast<uint8_t>(text[0]) - uint32_t{'0'};
  const uint32_t tens = static_cast<uint8_t>(text[1]) - uint32_t{'0'};
  const uint32_t ones = static_cast<uint8_t>(text[2]) - uint32_t{'0'};
  if (hundreds > 9 || tens > 9 || ones > 9) return 0;
  return hundreds * 100 + tens * 10 + ones;
}

uint32_t HttpCallResponse::status() const {
  if (failed()) return 0;
  Result<HostBytes> status = header(":status");
  return status.ok() ? parse_http_status(status->view()) : 0;
}

}  // namespace coproxy
