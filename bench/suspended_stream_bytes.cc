// Bytes a plugin holds per suspended stream, measured on the real .wasm (wasm2c backend): N
// streams each wait on one HTTP callout; the guest's linear memory growth divided by N is
// what each costs in the VM (the stream context, its coroutine frame, its waiter entry, the
// dispatcher's table slots, the allocator's rounding). Then every callout is answered and the
// streams end; the memory stays (wasm memory never shrinks) but is reused by later streams.
//
//   bazel run -c opt //bench:suspended_stream_bytes [-- STREAMS [MAX_BYTES]]
// With MAX_BYTES it fails (exit 2) above that many bytes per stream: the regression guard
// //bench:suspended_stream_bytes_test.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "testing/emulator.h"
#include "testing/wasm_plugin.h"

int main(int argc, char** argv) {
  using namespace coproxy::testing;
  const int streams = argc > 1 ? std::atoi(argv[1]) : 20000;
  const double max_bytes = argc > 2 ? std::atof(argv[2]) : 0;
  Emulator emu(load_wasm("coro_add_header"));
  if (!emu.loaded()) {
    std::fprintf(stderr, "coro_add_header.wasm is not linked in\n");
    return 1;
  }
  auto& plugin = static_cast<WasmPlugin&>(emu.plugin());
  const uint32_t root = emu.start_plugin();
  // Warm-up: one stream through, so that one-time allocations are not counted.
  const uint32_t warm = emu.open_stream(root);
  emu.send_request_headers(warm, {{":path", "/"}, {"x-callout", "1"}}, true);
  emu.answer_http_call(emu.host().http_callouts().back().token, {{":status", "200"}});
  emu.end_stream(warm);

  const uint64_t before = plugin.memory().size;
  std::vector<uint32_t> ids;
  ids.reserve(static_cast<size_t>(streams));
  for (int i = 0; i < streams; ++i) {
    const uint32_t stream = emu.open_stream(root);
    emu.send_request_headers(stream, {{":path", "/"}, {"x-callout", "1"}}, true);
    ids.push_back(stream);
  }
  const uint64_t after = plugin.memory().size;
  size_t suspended = 0;
  for (const HttpCallout& callout : emu.host().http_callouts()) suspended += !callout.answered;
  if (suspended != static_cast<size_t>(streams) || emu.failed()) {
    std::fprintf(stderr, "expected %d suspended streams, found %zu\n", streams, suspended);
    return 1;
  }
  std::printf("suspended streams: %d (one HTTP callout each, coro_add_header.wasm)\n", streams);
  std::printf("linear memory: %llu -> %llu bytes\n", static_cast<unsigned long long>(before),
              static_cast<unsigned long long>(after));
  const double per_stream = static_cast<double>(after - before) / streams;
  std::printf("bytes per suspended stream: %.1f\n", per_stream);

  for (const HttpCallout& callout : emu.host().http_callouts()) {
    if (!callout.answered) emu.answer_http_call(callout.token, {{":status", "200"}});
  }
  for (uint32_t stream : ids) emu.end_stream(stream);
  if (emu.failed()) return 1;
  if (max_bytes > 0 && per_stream > max_bytes) {
    std::fprintf(stderr, "FAIL: %.1f bytes per suspended stream, budget %.0f\n", per_stream,
                 max_bytes);
    return 2;
  }
  return 0;
}
