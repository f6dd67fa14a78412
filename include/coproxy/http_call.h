// HTTP callouts, as the host sees them: dispatch returns a token; the response arrives on the
// plugin context as proxy_on_http_call_response. Contexts offer a callback form on top.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "coproxy/header.h"
#include "coproxy/status.h"

namespace coproxy {

inline constexpr std::chrono::milliseconds kDefaultCallTimeout{5000};

// Starts a callout to `upstream` (a cluster name). The headers must include :method, :path
// and :authority (BadArgument otherwise; checked here before the host is asked).
Result<uint32_t> dispatch_http_call(std::string_view upstream, HeaderSpan headers,
                                    std::string_view body = {}, HeaderSpan trailers = {},
                                    std::chrono::milliseconds timeout = kDefaultCallTimeout);

}  // namespace coproxy
