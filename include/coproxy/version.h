// coproxy's version (CHANGELOG.md). Every module built with the SDK carries it in a custom
// section named coproxy_version (src/wasm_runtime.cc), which a user reads from a built plugin:
//   wasm-objdump -s -j coproxy_version plugin.wasm
#pragma once

#define COPROXY_VERSION_MAJOR 0
#define COPROXY_VERSION_MINOR 1
#define COPROXY_VERSION_PATCH 0
#define COPROXY_VERSION "0.1.0"
