// Everything a coroutine can co_await: callouts, gRPC, timers, shared queues.
#pragma once

#include "coro/dequeue.h"
#include "coro/grpc_call.h"
#include "coro/grpc_stream.h"
#include "coro/http_call.h"
#include "coro/sleep.h"
#include "coro/task.h"
