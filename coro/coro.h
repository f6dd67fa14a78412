// coproxy's coroutine layer: Task<T>, contexts whose callbacks are coroutines, and everything
// a coroutine can co_await. See docs/coroutines.md.
#pragma once

#include "coproxy/coproxy.h"
#include "coro/async_http_context.h"
#include "coro/async_plugin_context.h"
#include "coro/async_tcp_context.h"
#include "coro/awaitables.h"
#include "coro/http_stream_context.h"
#include "coro/task.h"
#include "coro/tcp_stream_context.h"
