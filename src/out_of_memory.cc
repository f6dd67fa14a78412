#include "coproxy/abi/imports.h"
#include "coproxy/abi/types.h"
#include "coproxy/detail/recycling_pool.h"

namespace coproxy::detail {

void out_of_memory() {
  proxy_log(static_cast<uint32_t>(LogLevel::Critical), kOutOfMemory.data(), kOutOfMemory.size());
  __builtin_trap();
}

}  // namespace coproxy::detail
