// Trace: the readable form of host calls and callbacks, one line each, e.g.
//   -> proxy_on_request_headers(context=2, headers=1, end_of_stream=true)
//        proxy_http_call("auth", {:method: GET, :path: /check}, "", {}, 1000) = Ok, token=1
//   <- Pause
// A TraceValue is one argument or result already rendered; helpers name the ABI's enums.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/status.h"  // status_name

namespace coproxy::testing {

class TraceValue {
 public:
  template <std::integral T>
  TraceValue(T number) : text_(std::to_string(number)) {}    // NOLINT: implicit by design
  TraceValue(bool flag) : text_(flag ? "true" : "false") {}  // NOLINT
  // A guest string: quoted, escaped, long ones cut.
  TraceValue(std::string_view bytes);                                            // NOLINT
  TraceValue(const char* bytes) : TraceValue(std::string_view(bytes)) {}         // NOLINT
  TraceValue(const std::string& bytes) : TraceValue(std::string_view(bytes)) {}  // NOLINT

  static TraceValue named(std::string_view name, TraceValue value);  // name=value
  static TraceValue raw(std::string text);                           // as is
  static TraceValue map_type(uint32_t type);
  static TraceValue buffer_type(uint32_t type);
  static TraceValue stream_type(uint32_t type);
  static TraceValue log_level(uint32_t level);
  static TraceValue metric_type(uint32_t type);
  // An encoded header map, decoded: {name: value, ...}; <malformed N bytes> when it is not.
  static TraceValue header_map(std::string_view encoded);
  // A property path (NUL-separated segments): a.b.c
  static TraceValue property_path(std::string_view encoded);

  const std::string& text() const { return text_; }

 private:
  struct Raw {};
  TraceValue(Raw, std::string text) : text_(std::move(text)) {}
  std::string text_;
};

std::string_view action_name(uint32_t action);
// The ABI's map and buffer types by name ("request_headers"); empty for an unknown value.
std::string_view map_type_name(uint32_t type);
std::string_view buffer_type_name(uint32_t type);

// name(a, b, c)
std::string format_call(std::string_view name, std::initializer_list<TraceValue> arguments);

}  // namespace coproxy::testing
