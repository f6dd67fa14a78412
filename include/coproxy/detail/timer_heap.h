// TimerHeap: a binary min-heap of Timer* by (deadline, start order). Each timer knows its
// index, so cancelling one is O(log n) without a search: flat cost at 100,000 timers.
#pragma once

#include <cstddef>
#include <vector>

#include "coproxy/timer.h"

namespace coproxy::detail {

class TimerHeap {
 public:
  bool empty() const { return timers_.empty(); }
  size_t size() const { return timers_.size(); }
  Timer* top() const { return timers_.empty() ? nullptr : timers_.front(); }
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (Timer* timer : timers_) visit(*timer);
  }

  void push(Timer* timer);
  void remove(Timer* timer);
  Timer* pop();

 private:
  static bool earlier(const Timer* a, const Timer* b);
  void place(Timer* timer, size_t index);
  void sift_up(size_t index);
  void sift_down(size_t index);

  std::vector<Timer*> timers_;
};

}  // namespace coproxy::detail
