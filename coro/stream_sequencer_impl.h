// The member functions of StreamSequencer<Client>. Included only where a client instantiates
// them (`template class StreamSequencer<AsyncHttpContext>;` in async_http_context.cc), so
// that each module has them once, out of line.
#pragma once

#include "coro/stream_sequencer.h"

namespace coproxy::detail {

// Marks a stretch of sequencer work; events arriving meanwhile (a host delivering from inside
// proxy_continue_stream) are held and run in order after the current one. Stretches do not
// nest: both callers start one only when not busy.
template <class Client>
class StreamSequencer<Client>::Busy {
 public:
  explicit Busy(bool& busy) : busy_(busy) { busy_ = true; }
  ~Busy() { busy_ = false; }

 private:
  bool& busy_;
};

template <class Client>
uint32_t StreamSequencer<Client>::run(StreamEvent event) {
  // A callback that is not itself a coroutine runs code of its own here, which may call the
  // host: callers are inside a busy stretch.
  Task<Action> task = client_.start_task(event);
  if (!task) return static_cast<uint32_t>(Action::Continue);  // not overridden
  task.start();
  if (!task.done()) {
    current_ = std::move(task);
    current_event_ = event;
    owes_continue_[event.direction()] = true;
    return kSuspended;
  }
  return static_cast<uint32_t>(task.result());
}

template <class Client>
Action StreamSequencer<Client>::on_event(StreamEvent event) {
  if (cancelled_ || end().closed) return Action::Continue;
  // After a local reply only the reply itself comes, through the response callbacks.
  if (note_local_reply() && event.direction() == 0) return Action::Continue;
  if (busy_ || current_ || held_count_ > 0) {
    hold(event);
    return Action::Pause;
  }
  Action action;
  {
    Busy busy(busy_);
    const uint32_t result = run(event);
    action = result == kSuspended ? Action::Pause : static_cast<Action>(result);
    run_held();  // events that arrived while it ran
  }
  if (cancelled_) cancel();
  return action;
}

template <class Client>
void StreamSequencer<Client>::after_event() {
  if (cancelled_ && !busy_) {  // a cancel that came while the task ran: finish it now
    cancel();
    return;
  }
  if (busy_ || !current_ || !current_.done()) return;
  {
    Busy busy(busy_);
    const StreamEvent event = current_event_;
    const Action action = current_.result();
    current_.reset();
    finish(event, action);
    run_held();
  }
  if (cancelled_) cancel();
}

template <class Client>
void StreamSequencer<Client>::run_held_events() {
  while (!current_ && held_count_ > 0 && !cancelled_) {
    if (end().closed) {
      drop_all();
      return;
    }
    note_local_reply();  // drops what was held before the reply
    if (held_count_ == 0) return;
    const StreamEvent event = held_at(0);
    held_head_ = static_cast<uint8_t>((held_head_ + 1) % kMaxHeld);
    --held_count_;
    const uint32_t result = run(event);
    if (result == kSuspended) return;
    finish(event, static_cast<Action>(result));
  }
}

template <class Client>
void StreamSequencer<Client>::finish(StreamEvent event, Action action) {
  if (end().closed) {
    drop_all();
    return;
  }
  const uint8_t direction = event.direction();
  if (note_local_reply() && direction == 0) return;  // the request is over
  // A Pause result keeps the direction paused (the plugin continues it itself, or a later
  // task of the direction does); a later held event of the direction decides for it.
  if (continues(action) && owes_continue_[direction] && !holds_direction(direction)) {
    owes_continue_[direction] = false;
    client_.continue_direction(direction);  // may deliver the next event re-entrantly
  }
}

template <class Client>
void StreamSequencer<Client>::hold(StreamEvent event) {
  owes_continue_[event.direction()] = true;
  // A body chunk right after a held body chunk of its direction: the host buffers both, so
  // one task sees them together.
  for (size_t i = held_count_; i > 0; --i) {
    StreamEvent& earlier = held_at(i - 1);
    if (earlier.direction() != event.direction()) continue;
    if (earlier.kind() == event.kind()) {
      earlier.take_size_and_end(event);
      return;
    }
    break;
  }
  if (held_count_ == kMaxHeld) return;  // unreachable: a direction has three kinds of event
  held_at(held_count_) = event;
  ++held_count_;
}

template <class Client>
bool StreamSequencer<Client>::holds_direction(uint8_t direction) const {
  for (size_t i = 0; i < held_count_; ++i) {
    if (held_[(held_head_ + i) % kMaxHeld].direction() == direction) return true;
  }
  return false;
}

template <class Client>
void StreamSequencer<Client>::cancel(bool task_may_run) {
  cancelled_ = true;
  if (busy_ || task_may_run) return;  // a task may be running: cancelled when it returns
  drop_all();
  current_.reset();
}

}  // namespace coproxy::detail
