// Proxy-Wasm ABI v0.2.1: the enums every import and export speaks in.
// Values are the wire values; names follow the spec (abi-versions/v0.2.1).
#pragma once

#include <cstdint>

namespace coproxy {

// proxy_status_t. 5, 9 and 11 are not in the spec but hosts and the C++ SDK use them.
enum class StatusCode : uint32_t {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  SerializationFailure = 3,
  ParseFailure = 4,
  BadExpression = 5,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  ResultMismatch = 9,
  InternalFailure = 10,
  BrokenConnection = 11,
  Unimplemented = 12,
  // coproxy's own, never a host's (a host status in this range reads as InternalFailure).
  TooLarge = 0x100,  // a body grew past the limit the plugin set (whole_body)
  Timeout = 0x101,   // with_timeout: the deadline came before the answer
  Cancelled = 0x102, // when_all_ok: another branch failed first, this one was cancelled
};
inline constexpr uint32_t kFirstSdkStatus = 0x100;

// proxy_action_t. Hosts also understand the extended values for headers and bodies.
enum class Action : uint32_t {
  Continue = 0,
  Pause = 1,
  ContinueAndEndStream = 2,      // headers only
  StopAllIterationAndBuffer = 3, // headers only
  StopAllIterationAndWatermark = 4,
};

enum class LogLevel : uint32_t { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 };

enum class BufferType : uint32_t {
  HttpRequestBody = 0,
  HttpResponseBody = 1,
  DownstreamData = 2,
  UpstreamData = 3,
  HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5,  // proxy_buffer_type_t GRPC_CALL_MESSAGE
  VmConfiguration = 6,
  PluginConfiguration = 7,
  CallData = 8,  // FOREIGN_FUNCTION_ARGUMENTS
};

enum class MapType : uint32_t {
  HttpRequestHeaders = 0,
  HttpRequestTrailers = 1,
  HttpResponseHeaders = 2,
  HttpResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4,
  GrpcReceiveTrailingMetadata = 5,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
};

enum class PeerType : uint32_t { Unknown = 0, Local = 1, Remote = 2 };

enum class StreamType : uint32_t { HttpRequest = 0, HttpResponse = 1, Downstream = 2, Upstream = 3 };

enum class MetricType : uint32_t { Counter = 0, Gauge = 1, Histogram = 2 };

// Number of values of each enum, for hosts and tests that iterate or validate them.
inline constexpr uint32_t kLogLevelCount = 6;
inline constexpr uint32_t kBufferTypeCount = 9;
inline constexpr uint32_t kMapTypeCount = 8;
inline constexpr uint32_t kStreamTypeCount = 4;
inline constexpr uint32_t kMetricTypeCount = 3;

}  // namespace coproxy
