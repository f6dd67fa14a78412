// Task and the combinators without a host: tasks that finish at once, results, exceptions
// (natively; wasm has none), and the destruction of a suspended chain.
#include "coro/task.h"

#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>

#include "coro/when_all.h"
#include "coro/when_any.h"
#include "gtest/gtest.h"

namespace coproxy {
namespace {

Task<int> value(int n) { co_return n; }
Task<int> failing() {
  throw std::runtime_error("branch failed");
  co_return 0;
}

// Suspends until resumed by hand; counts its destruction.
struct Gate {
  std::coroutine_handle<> waiter;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) noexcept { waiter = h; }
  void await_resume() const noexcept {}
};
struct Counted {
  int* destroyed;
  ~Counted() { ++*destroyed; }
};
Task<int> waiting(Gate& gate, int* destroyed) {
  Counted counted{destroyed};
  co_await gate;
  co_return 7;
}

TEST(Task, ResultOfATaskThatFinishesAtOnce) {
  Task<int> task = value(3);
  task.start();
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), 3);
}

TEST(Task, DestroyingASuspendedChainRunsEveryDestructor) {
  Gate gate;
  int destroyed = 0;
  auto outer = [](Gate& g, int* d) -> Task<int> {
    Counted counted{d};
    co_return co_await waiting(g, d) + 1;
  };
  {
    Task<int> task = outer(gate, &destroyed);
    task.start();
    EXPECT_FALSE(task.done());
  }
  EXPECT_EQ(destroyed, 2);  // the awaited frame and the outer one
}

TEST(WhenAll, AllResultsOnceEveryBranchIsDone) {
  Gate gate;
  int destroyed = 0;
  auto root = [](Gate& g, int* d) -> Task<int> {
    auto [a, b] = co_await when_all(value(1), waiting(g, d));
    co_return a + b;
  };
  Task<int> task = root(gate, &destroyed);
  task.start();
  EXPECT_FALSE(task.done());
  gate.waiter.resume();
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), 8);
}

TEST(WhenAll, AnExceptionReachesTheAwaitingTask) {
  auto root = []() -> Task<std::string> {
    try {
      co_await when_all(value(1), failing());
    } catch (const std::runtime_error& error) {
      co_return error.what();
    }
    co_return "no exception";
  };
  Task<std::string> task = root();
  task.start();
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), "branch failed");
}

TEST(WhenAny, TheFirstWinsAndTheLoserIsDestroyed) {
  Gate gate;
  int destroyed = 0;
  auto root = [](Gate& g, int* d) -> Task<int> {
    auto first = co_await when_any(waiting(g, d), value(5));
    co_return static_cast<int>(first.index()) * 100 + std::get<1>(first);
  };
  Task<int> task = root(gate, &destroyed);
  task.start();
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), 105);
  EXPECT_EQ(destroyed, 1);  // the waiting branch went with the when_any
}

TEST(WhenAny, AnExceptionThatComesFirstWins) {
  Gate gate;
  int destroyed = 0;
  auto root = [](Gate& g, int* d) -> Task<std::string> {
    try {
      co_await when_any(waiting(g, d), failing());
    } catch (const std::runtime_error& error) {
      co_return error.what();
    }
    co_return "no exception";
  };
  Task<std::string> task = root(gate, &destroyed);
  task.start();
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), "branch failed");
  EXPECT_EQ(destroyed, 1);
}

}  // namespace
}  // namespace coproxy
