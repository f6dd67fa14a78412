// The WASI instance a wasm2c module gets when it imports wasi-libc's stdio calls (fd_write,
// fd_seek, fd_close): only bench/'s nlohmann-json module, whose snprintf brings them. Each call
// is refused (ENOSYS), as by a Proxy-Wasm host that gives no WASI; no coproxy module imports
// them (every <name>_module_test checks that a module imports only from env).
#pragma once

struct Z_wasi_snapshot_preview1_instance_t {
  int unused;
};

namespace coproxy::testing {
inline Z_wasi_snapshot_preview1_instance_t wasi_stdio_refused;
}  // namespace coproxy::testing
