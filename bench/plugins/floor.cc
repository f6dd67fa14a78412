// The floor: the benchmark's workloads (workload.h) hand-written straight on the Proxy-Wasm
// ABI, no SDK, as a careful author would in C: one global state, a fixed table from callout
// token to stream, wasi-libc's malloc for what the host hands in. Every other style is
// measured against this (bench/README.md).
#include <cstdint>
#include <cstdlib>

#include "bench/plugins/workload.h"

#if defined(__wasm__)
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define EXPORT(name) extern "C" __attribute__((export_name(#name)))
#else  // floor_native, which nothing links: the file still compiles
#define IMPORT(name)
#define EXPORT(name) extern "C"
#endif

extern "C" {
IMPORT(proxy_get_buffer_bytes)
uint32_t proxy_get_buffer_bytes(uint32_t type, size_t start, size_t max, const char** data,
                                size_t* size);
IMPORT(proxy_set_buffer_bytes)
uint32_t proxy_set_buffer_bytes(uint32_t type, size_t start, size_t size, const char* data,
                                size_t data_size);
IMPORT(proxy_get_header_map_value)
uint32_t proxy_get_header_map_value(uint32_t type, const char* key, size_t key_size,
                                    const char** value, size_t* value_size);
IMPORT(proxy_add_header_map_value)
uint32_t proxy_add_header_map_value(uint32_t type, const char* key, size_t key_size,
                                    const char* value, size_t value_size);
IMPORT(proxy_http_call)
uint32_t proxy_http_call(const char* upstream, size_t upstream_size, const char* headers,
                         size_t headers_size, const char* body, size_t body_size,
                         const char* trailers, size_t trailers_size, uint32_t timeout_ms,
                         uint32_t* token);
IMPORT(proxy_set_effective_context) uint32_t proxy_set_effective_context(uint32_t context);
IMPORT(proxy_continue_stream) uint32_t proxy_continue_stream(uint32_t stream_type);
IMPORT(proxy_send_local_response)
uint32_t proxy_send_local_response(uint32_t status, const char* details, size_t details_size,
                                   const char* body, size_t body_size, const char* headers,
                                   size_t headers_size, int32_t grpc_status);
}

namespace {

constexpr uint32_t kRequestHeaders = 0, kResponseHeaders = 2, kCallResponseHeaders = 6;
constexpr uint32_t kRequestBody = 0, kPluginConfiguration = 7;
constexpr uint32_t kContinue = 0, kPause = 1;

bench::Workload workload = bench::Workload::Noop;

// The callout's headers, in the map wire format: count, then (key size, value size) per
// pair, then each key and value with a NUL after it.
constexpr char kCheck[] =
    "\3\0\0\0"
    "\7\0\0\0\3\0\0\0"
    "\5\0\0\0\6\0\0\0"
    "\12\0\0\0\4\0\0\0"
    ":method\0GET\0"
    ":path\0/check\0"
    ":authority\0auth\0";

// Streams waiting for their callout, by token (open addressing; token 0 marks a free slot).
struct Waiting {
  uint32_t token;
  uint32_t stream;
};
Waiting waiting[256];

bool remember(uint32_t token, uint32_t stream) {
  for (uint32_t i = 0; i < 256; ++i) {
    Waiting& slot = waiting[(token + i) & 255];
    if (slot.token == 0) {
      slot = {token, stream};
      return true;
    }
  }
  return false;
}

uint32_t take(uint32_t token) {
  for (uint32_t i = 0; i < 256; ++i) {
    Waiting& slot = waiting[(token + i) & 255];
    if (slot.token == token) {
      slot.token = 0;
      return slot.stream;
    }
    if (slot.token == 0) return 0;
  }
  return 0;
}

void add(uint32_t map, const char* key, size_t key_size, const char* value, size_t value_size) {
  proxy_add_header_map_value(map, key, key_size, value, value_size);
}

}  // namespace

EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1() {}
EXPORT(proxy_on_memory_allocate) void* proxy_on_memory_allocate(size_t size) {
  return std::malloc(size);
}

EXPORT(proxy_on_context_create) void proxy_on_context_create(uint32_t, uint32_t) {}
EXPORT(proxy_on_vm_start) uint32_t proxy_on_vm_start(uint32_t, size_t) { return 1; }

EXPORT(proxy_on_configure) uint32_t proxy_on_configure(uint32_t, size_t size) {
  const char* data = nullptr;
  size_t got = 0;
  if (proxy_get_buffer_bytes(kPluginConfiguration, 0, size, &data, &got) == 0) {
    workload = bench::parse_workload(data, got);
    std::free(const_cast<char*>(data));
  }
  return 1;
}

EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context, uint32_t, uint32_t) {
  if (bench::adds_headers(workload)) add(kRequestHeaders, "x-bench", 7, "floor", 5);
  if (!bench::calls_out(workload)) return kContinue;
  uint32_t token = 0;
  if (proxy_http_call("auth", 4, kCheck, sizeof(kCheck) - 1, nullptr, 0, nullptr, 0, 5000,
                      &token) != 0 ||
      !remember(token, context)) {
    proxy_send_local_response(403, nullptr, 0, "denied", 6, nullptr, 0, -1);
    return kPause;
  }
  return kPause;
}

EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t, uint32_t token, uint32_t, size_t, uint32_t) {
  const uint32_t stream = take(token);
  if (stream == 0 || proxy_set_effective_context(stream) != 0) return;
  const char* status = nullptr;
  size_t status_size = 0;
  const bool ok =
      proxy_get_header_map_value(kCallResponseHeaders, ":status", 7, &status, &status_size) == 0 &&
      status_size == 3 && status[0] == '2' && status[1] == '0' && status[2] == '0';
  std::free(const_cast<char*>(status));
  if (!ok) {
    proxy_send_local_response(403, nullptr, 0, "denied", 6, nullptr, 0, -1);
    return;
  }
  const char* user = nullptr;
  size_t user_size = 0;
  if (proxy_get_header_map_value(kCallResponseHeaders, "x-user", 6, &user, &user_size) == 0) {
    add(kRequestHeaders, "x-user", 6, user, user_size);
    std::free(const_cast<char*>(user));
  }
  proxy_continue_stream(0);
}

EXPORT(proxy_on_request_body)
uint32_t proxy_on_request_body(uint32_t, size_t size, uint32_t end_of_stream) {
  if (!bench::rewrites_body(workload)) return kContinue;
  if (!end_of_stream) return kPause;  // buffered by the host until the whole body is in
  const char* data = nullptr;
  size_t got = 0;
  if (proxy_get_buffer_bytes(kRequestBody, 0, size, &data, &got) != 0) return kContinue;
  char* body = const_cast<char*>(data);
  bench::shout(body, got);
  proxy_set_buffer_bytes(kRequestBody, 0, got, body, got);
  std::free(body);
  return kContinue;
}

EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t, uint32_t, uint32_t) {
  if (bench::adds_headers(workload)) add(kResponseHeaders, "x-bench", 7, "floor", 5);
  return kContinue;
}

EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t) { return 1; }
EXPORT(proxy_on_log) void proxy_on_log(uint32_t) {}
EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t) {}

// The rest of the ABI: nothing to do in these workloads.
EXPORT(proxy_on_tick) void proxy_on_tick(uint32_t) {}
EXPORT(proxy_on_queue_ready) void proxy_on_queue_ready(uint32_t, uint32_t) {}
EXPORT(proxy_on_foreign_function) void proxy_on_foreign_function(uint32_t, uint32_t, size_t) {}
EXPORT(proxy_on_new_connection) uint32_t proxy_on_new_connection(uint32_t) { return kContinue; }
EXPORT(proxy_on_downstream_data)
uint32_t proxy_on_downstream_data(uint32_t, size_t, uint32_t) { return kContinue; }
EXPORT(proxy_on_upstream_data)
uint32_t proxy_on_upstream_data(uint32_t, size_t, uint32_t) { return kContinue; }
EXPORT(proxy_on_downstream_connection_close)
void proxy_on_downstream_connection_close(uint32_t, uint32_t) {}
EXPORT(proxy_on_upstream_connection_close)
void proxy_on_upstream_connection_close(uint32_t, uint32_t) {}
EXPORT(proxy_on_request_trailers) uint32_t proxy_on_request_trailers(uint32_t, uint32_t) {
  return kContinue;
}
EXPORT(proxy_on_response_body) uint32_t proxy_on_response_body(uint32_t, size_t, uint32_t) {
  return kContinue;
}
EXPORT(proxy_on_response_trailers) uint32_t proxy_on_response_trailers(uint32_t, uint32_t) {
  return kContinue;
}
EXPORT(proxy_on_grpc_receive_initial_metadata)
void proxy_on_grpc_receive_initial_metadata(uint32_t, uint32_t, uint32_t) {}
EXPORT(proxy_on_grpc_receive) void proxy_on_grpc_receive(uint32_t, uint32_t, size_t) {}
EXPORT(proxy_on_grpc_receive_trailing_metadata)
void proxy_on_grpc_receive_trailing_metadata(uint32_t, uint32_t, uint32_t) {}
EXPORT(proxy_on_grpc_close) void proxy_on_grpc_close(uint32_t, uint32_t, uint32_t) {}
