#include "coproxy/host_bytes.h"

#include <cstdlib>

namespace coproxy {

// The host allocated through proxy_on_memory_allocate, which is malloc.
void HostBytes::release() {
  std::free(const_cast<char*>(data_));
  data_ = nullptr;
  size_ = 0;
}

}  // namespace coproxy
