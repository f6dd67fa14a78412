#include "coproxy/detail/timer_heap.h"

namespace coproxy::detail {

bool TimerHeap::earlier(const Timer* a, const Timer* b) {
  return a->deadline_ns_ != b->deadline_ns_ ? a->deadline_ns_ < b->deadline_ns_
                                            : a->sequence_ < b->sequence_;
}

void TimerHeap::place(Timer* timer, size_t index) {
  timers_[index] = timer;
  timer->heap_index_ = index;
}

void TimerHeap::push(Timer* timer) {
  timers_.push_back(timer);
  timer->heap_index_ = timers_.size() - 1;
  sift_up(timers_.size() - 1);
}

Timer* TimerHeap::pop() {
  Timer* first = top();
  if (first != nullptr) remove(first);
  return first;
}

void TimerHeap::remove(Timer* timer) {
  const size_t index = timer->heap_index_;
  Timer* last = timers_.back();
  timers_.pop_back();
  if (last == timer) return;
  place(last, index);
  sift_up(index);
  sift_down(last->heap_index_);
}

void TimerHeap::sift_up(size_t index) {
  Timer* timer = timers_[index];
  while (index > 0) {
    const size_t parent = (index - 1) / 2;
    if (!earlier(timer, timers_[parent])) break;
    place(timers_[parent], index);
    index = parent;
  }
  place(timer, index);
}

void TimerHeap::sift_down(size_t index) {
  Timer* timer = timers_[index];
  const size_t count = timers_.size();
  for (;;) {
    size_t child = 2 * index + 1;
    if (child >= count) break;
    if (child + 1 < count && earlier(timers_[child + 1], timers_[child])) ++child;
    if (!earlier(timers_[child], timer)) break;
    place(timers_[child], index);
    index = child;
  }
  place(timer, index);
}

}  // namespace coproxy::detail
