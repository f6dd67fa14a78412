// StreamSequencer: runs one stream's callbacks as tasks, one at a time, in arrival order.
//
// A callback whose task finishes without suspending answers the host with the task's Action,
// at no extra cost. A task that suspends answers Pause. An event that arrives while an earlier
// task is suspended is held: the host is told Pause (a body is then buffered by the host),
// and the event's task runs when its turn comes. Every event runs exactly once. Body chunks
// held back to back become one event, whose task sees the whole buffered body.
//
// A direction the host was told to pause is continued (proxy_continue_stream) when its last
// held task finishes with Continue. After a close nothing more is continued or run. A local
// reply ends the request direction and what the host held of the upstream's response; the
// host then runs the reply itself through the response callbacks (Envoy does), whose tasks
// run, hold and continue like any others.
#pragma once

#include <array>
#include <cstdint>

#include "coproxy/abi/types.h"
#include "coproxy/context.h"
#include "coproxy/status.h"
#include "coro/task.h"

namespace coproxy::detail {

// One host callback, as the sequencer runs or holds it. One 64-bit word, so that it travels
// as a value in a register: wasm passes a struct of one scalar as that scalar, any other
// through memory. The kind, direction and end of stream in the low bytes, the size (header
// count, body or data size) in the high half.
class StreamEvent {
 public:
  // Not initialized: the sequencer's held events are written before they are read, and a
  // stream's construction should not zero them one by one.
  StreamEvent() = default;
  constexpr StreamEvent(uint8_t kind, uint8_t direction, bool end_of_stream, uint32_t size)
      : bits_(kind | uint64_t{direction} << 8 | uint64_t{end_of_stream} << 16 |
              uint64_t{size} << 32) {}

  uint8_t kind() const { return static_cast<uint8_t>(bits_); }  // the context's numbering
  // 0: request or downstream data; 1: response or upstream data.
  uint8_t direction() const { return static_cast<uint8_t>(bits_ >> 8); }
  bool end_of_stream() const { return ((bits_ >> 16) & 1) != 0; }
  uint32_t size() const { return static_cast<uint32_t>(bits_ >> 32); }

  // Takes a later event's size and end of stream (a body chunk buffered with this one).
  void take_size_and_end(StreamEvent later) {
    bits_ = (bits_ & 0xFFFF) | (later.bits_ & ~uint64_t{0xFFFF});
  }

 private:
  uint64_t bits_;
};

// `Client` is the stream context, called straight (no virtual call, no thunk). It provides:
//   Task<Action> start_task(StreamEvent event);  // the user's callback for `event`, as a task
//                                                // (empty: not overridden; Continue)
//   Status continue_direction(uint8_t direction);
//   const StreamEnd& stream_end() const;         // read in place at every step: once closed
//                                                // (reset) nothing more runs or continues; a
//                                                // local reply ends the request (HTTP)
// The member functions are in coro/stream_sequencer_impl.h, instantiated once per client
// (async_http_context.cc, async_tcp_context.cc).
template <class Client>
class StreamSequencer {
 public:
  explicit StreamSequencer(Client& client) : client_(client) {}
  StreamSequencer(const StreamSequencer&) = delete;
  StreamSequencer& operator=(const StreamSequencer&) = delete;

  // A host callback: runs the event's task now, or holds the event. The Action for the host.
  Action on_event(StreamEvent event);
  // A waiter of the stream was resumed: settles a task that finished, runs what was held.
  void after_event();
  // The stream is over (proxy_on_done, delete): the task in flight is destroyed (its
  // destructors run, its waits end), held events are dropped. `task_may_run`: the host
  // called in from inside an event of this stream, whose task may be running below: the task
  // is destroyed when that event is done (after_event), not now.
  void cancel(bool task_may_run = false);

 private:
  static constexpr size_t kMaxHeld = 6;  // per direction: headers, body, trailers

  // Makes and runs `event`'s task (none: not overridden, Continue): its Action as a number
  // when it finished at once, kSuspended when it suspended. A number, not an
  // optional<Action>: wasm returns a struct through memory.
  static constexpr uint32_t kSuspended = 0xFFFFFFFF;
  uint32_t run(StreamEvent event);
  // Runs held events in order until one suspends. Inline: usually none is held.
  [[gnu::always_inline]] void run_held() {
    if (held_count_ != 0) run_held_events();
  }
  void run_held_events();
  // `event`'s task finished with `action`: continue its direction if the host waits for it.
  void finish(StreamEvent event, Action action);
  void hold(StreamEvent event);
  // The first time the sequencer sees a local reply: what it held before is dropped (the
  // request and the upstream's response are over). True once the reply was sent. Inline: a
  // flag test at every step.
  [[gnu::always_inline]] bool note_local_reply() {
    if (!replied_ && end().local_response_sent) {
      replied_ = true;
      drop_all();
    }
    return replied_;
  }
  bool holds_direction(uint8_t direction) const;
  StreamEvent& held_at(size_t index) { return held_[(held_head_ + index) % kMaxHeld]; }
  void drop_all() {
    held_count_ = 0;
    owes_continue_[0] = owes_continue_[1] = false;
  }

  // Marks a stretch of sequencer work (stream_sequencer_impl.h).
  class Busy;
  static bool continues(Action action) {
    return action == Action::Continue || action == Action::ContinueAndEndStream;
  }
  const StreamEnd& end() const { return client_.stream_end(); }

  Client& client_;
  Task<Action> current_;                    // the suspended task, if any
  StreamEvent current_event_;               // set with current_
  std::array<StreamEvent, kMaxHeld> held_;  // held_count_ of them from held_head_ are set
  uint8_t held_head_ = 0;
  uint8_t held_count_ = 0;
  bool owes_continue_[2] = {false, false};  // told the host Pause; continue when done
  bool busy_ = false;                       // running tasks: events arriving re-entrantly are held
  bool cancelled_ = false;  // cancel() came while busy: finish it when the work returns
  bool replied_ = false;    // a local reply was seen (note_local_reply)
};

}  // namespace coproxy::detail
