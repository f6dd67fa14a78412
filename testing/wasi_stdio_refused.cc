#include "testing/wasi_stdio_refused.h"

#include <cstdint>

namespace {
constexpr uint32_t kEnosys = 52;  // WASI's errno for "function not supported"
}  // namespace

// wabt 1.0.32's names for the imports (wasm2c <module>.h declares them).
extern "C" {
uint32_t Z_wasi_snapshot_preview1Z_fd_write(Z_wasi_snapshot_preview1_instance_t*, uint32_t,
                                            uint32_t, uint32_t, uint32_t) {
  return kEnosys;
}
uint32_t Z_wasi_snapshot_preview1Z_fd_seek(Z_wasi_snapshot_preview1_instance_t*, uint32_t,
                                           uint64_t, uint32_t, uint32_t) {
  return kEnosys;
}
uint32_t Z_wasi_snapshot_preview1Z_fd_close(Z_wasi_snapshot_preview1_instance_t*, uint32_t) {
  return kEnosys;
}
}
