// The context host calls act on, and the plugin's "done now" signal.
#pragma once

#include <cstdint>

#include "coproxy/status.h"

namespace coproxy {

// Makes `context_id` the context subsequent host calls act on (until the host's next call into
// the plugin resets it). BadArgument for an unknown id.
Status set_effective_context(uint32_t context_id);

// Tells the host that a context which answered on_done with false has finished (proxy_done).
Status signal_done();

}  // namespace coproxy
