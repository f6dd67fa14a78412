// Shared data: a key-value store shared by every plugin instance of one VM id, with CAS.
#pragma once

#include <cstdint>
#include <string_view>

#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

struct SharedValue {
  HostBytes value;
  uint32_t cas = 0;  // pass back to set_shared_data to write only if nobody wrote since
};

// NotFound when the key has never been set.
Result<SharedValue> get_shared_data(std::string_view key);
// Writes `value`. With cas != 0 the write happens only if the key's cas is still `cas`
// (CasMismatch otherwise); cas == 0 writes unconditionally.
Status set_shared_data(std::string_view key, std::string_view value, uint32_t cas = 0);

}  // namespace coproxy
