// The benchmark's workloads, shared by the floor (raw ABI) and the three coproxy styles so
// that every module does exactly the same work. The plugin configuration names one:
//   noop      a stream the filter lets through untouched
//   headers   adds one request header and one response header
//   callout   one HTTP callout on the request headers; a 200 reply's x-user goes on the
//             request as a header, then the request continues (the auth filter)
//   body      reads the whole request body (4 KiB in the benchmark) and rewrites it in place
//   full      all of it: the callout, both headers and the body rewrite
#pragma once

#include <cstddef>
#include <cstring>

namespace bench {

enum class Workload { Noop, Headers, Callout, Body, Full };

inline Workload parse_workload(const char* text, size_t size) {
  auto is = [&](const char* name) {
    return std::strlen(name) == size && std::memcmp(name, text, size) == 0;
  };
  if (is("headers")) return Workload::Headers;
  if (is("callout")) return Workload::Callout;
  if (is("body")) return Workload::Body;
  if (is("full")) return Workload::Full;
  return Workload::Noop;
}

inline bool adds_headers(Workload w) { return w == Workload::Headers || w == Workload::Full; }
inline bool calls_out(Workload w) { return w == Workload::Callout || w == Workload::Full; }
inline bool rewrites_body(Workload w) { return w == Workload::Body || w == Workload::Full; }

// The body rewrite: ASCII letters to upper case, in place.
inline void shout(char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (data[i] >= 'a' && data[i] <= 'z') data[i] = static_cast<char>(data[i] - 'a' + 'A');
  }
}

}  // namespace bench
