#include "testing/trace.h"

#include <array>
#include <cstdio>

#include "coproxy/map_codec.h"

namespace coproxy::testing {
namespace {

constexpr size_t kMaxShownBytes = 60;

template <size_t N>
std::string_view name_in(const std::array<std::string_view, N>& names, uint32_t value) {
  return value < N ? names[value] : std::string_view();
}

TraceValue enum_value(std::string_view name, uint32_t value) {
  return TraceValue::raw(name.empty() ? "<bad " + std::to_string(value) + ">" : std::string(name));
}

void append_escaped(std::string& out, std::string_view bytes) {
  for (char c : bytes.substr(0, kMaxShownBytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    }
  }
  if (bytes.size() > kMaxShownBytes) out += "...(" + std::to_string(bytes.size()) + " bytes)";
}

}  // namespace

TraceValue::TraceValue(std::string_view bytes) : text_("\"") {
  append_escaped(text_, bytes);
  text_ += '"';
}

TraceValue TraceValue::named(std::string_view name, TraceValue value) {
  return raw(std::string(name) + "=" + value.text_);
}

TraceValue TraceValue::raw(std::string text) { return TraceValue(Raw{}, std::move(text)); }

std::string_view map_type_name(uint32_t type) {
  static constexpr std::array<std::string_view, kMapTypeCount> kNames = {
      "request_headers",
      "request_trailers",
      "response_headers",
      "response_trailers",
      "grpc_initial_metadata",
      "grpc_trailing_metadata",
      "http_call_response_headers",
      "http_call_response_trailers"};
  return name_in(kNames, type);
}

TraceValue TraceValue::map_type(uint32_t type) { return enum_value(map_type_name(type), type); }

std::string_view buffer_type_name(uint32_t type) {
  static constexpr std::array<std::string_view, kBufferTypeCount> kNames = {
      "request_body",     "response_body",           "downstream_data",
      "upstream_data",    "http_call_response_body", "grpc_message",
      "vm_configuration", "plugin_configuration",    "call_data"};
  return name_in(kNames, type);
}

TraceValue TraceValue::buffer_type(uint32_t type) {
  return enum_value(buffer_type_name(type), type);
}

TraceValue TraceValue::stream_type(uint32_t type) {
  static constexpr std::array<std::string_view, kStreamTypeCount> kNames = {
      "request", "response", "downstream", "upstream"};
  return enum_value(name_in(kNames, type), type);
}

TraceValue TraceValue::log_level(uint32_t level) {
  static constexpr std::array<std::string_view, kLogLevelCount> kNames = {
      "trace", "debug", "info", "warn", "error", "critical"};
  return enum_value(name_in(kNames, level), level);
}

TraceValue TraceValue::metric_type(uint32_t type) {
  static constexpr std::array<std::string_view, kMetricTypeCount> kNames = {"counter", "gauge",
                                                                            "histogram"};
  return enum_value(name_in(kNames, type), type);
}

TraceValue TraceValue::header_map(std::string_view encoded) {
  Result<MapView> map = MapView::parse(encoded);
  if (!map.ok()) return raw("<malformed map, " + std::to_string(encoded.size()) + " bytes>");
  std::string text = "{";
  for (Header header : *map) {
    if (text.size() > 1) text += ", ";
    append_escaped(text, header.name);
    text += ": ";
    append_escaped(text, header.value);
  }
  return raw(text + "}");
}

TraceValue TraceValue::property_path(std::string_view encoded) {
  std::string text;
  for (char c : encoded) text += c == '\0' ? '.' : c;
  if (!text.empty() && text.back() == '.') text.pop_back();
  return raw(text);
}

std::string_view action_name(uint32_t action) {
  static constexpr std::array<std::string_view, 5> kNames = {
      "Continue", "Pause", "ContinueAndEndStream", "StopAllIterationAndBuffer",
      "StopAllIterationAndWatermark"};
  std::string_view name = name_in(kNames, action);
  return name.empty() ? "<bad action>" : name;
}

std::string format_call(std::string_view name, std::initializer_list<TraceValue> arguments) {
  std::string line(name);
  line += '(';
  bool first = true;
  for (const TraceValue& argument : arguments) {
    if (!first) line += ", ";
    first = false;
    line += argument.text();
  }
  line += ')';
  return line;
}

}  // namespace coproxy::testing
