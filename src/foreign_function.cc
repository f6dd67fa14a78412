#include "coproxy/foreign_function.h"

#include "host_call.h"

namespace coproxy {

Result<HostBytes> call_foreign_function(std::string_view name, std::string_view arguments) {
  return internal::read_host_bytes([&](const char** data, size_t* size) {
    return proxy_call_foreign_function(name.data(), name.size(), arguments.data(),
                                       arguments.size(), data, size);
  });
}

}  // namespace coproxy
