// Everything a coroutine can co_await: callouts, gRPC, timers, shared queues, combinators.
#pragma once

#include "coro/delayed.h"
#include "coro/dequeue.h"
#include "coro/grpc_call.h"
#include "coro/grpc_stream.h"
#include "coro/http_call.h"
#include "coro/sleep.h"
#include "coro/task.h"
#include "coro/when_all.h"
#include "coro/when_any.h"
#include "coro/when_list.h"
#include "coro/with_timeout.h"
