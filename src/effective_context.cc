#include "coproxy/effective_context.h"

#include "host_call.h"

namespace coproxy {

Status set_effective_context(uint32_t context_id) {
  return internal::to_status(proxy_set_effective_context(context_id));
}

Status signal_done() { return internal::to_status(proxy_done()); }

}  // namespace coproxy
