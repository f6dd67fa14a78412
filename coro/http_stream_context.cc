#include "coro/http_stream_context.h"

#include <algorithm>
#include <utility>

#include "coproxy/buffer.h"
#include "coproxy/stream_control.h"

namespace coproxy {
namespace {

constexpr int direction_of(int phase) { return phase / 3; }
constexpr bool is_body(int phase) { return phase % 3 == 1; }
constexpr bool is_trailers(int phase) { return phase % 3 == 2; }
constexpr int body_phase(int direction) { return direction * 3 + 1; }
int direction_index(StreamType type) { return type == StreamType::HttpResponse ? 1 : 0; }
Buffer body_buffer(int direction) {
  return Buffer(direction == 0 ? BufferType::HttpRequestBody : BufferType::HttpResponseBody);
}

}  // namespace

HttpStreamContext::~HttpStreamContext() { task_.reset(); }

void HttpStreamContext::on_stream_done() {}

HttpStreamContext::PhaseAwaiter HttpStreamContext::phase(HttpPhase phase) {
  return PhaseAwaiter(*this, static_cast<int>(phase));
}
HttpStreamContext::ChunkAwaiter HttpStreamContext::next_chunk(StreamType direction) {
  return ChunkAwaiter(*this, body_phase(direction_index(direction)));
}
HttpStreamContext::WholeBodyAwaiter HttpStreamContext::whole_body(StreamType direction,
                                                                  size_t limit) {
  return WholeBodyAwaiter(*this, body_phase(direction_index(direction)), limit);
}

// ---- the host's side ----

Action HttpStreamContext::handle_request_headers(size_t count, bool end_of_stream) {
  return on_event(0, static_cast<uint32_t>(count), end_of_stream);
}
Action HttpStreamContext::handle_request_body(size_t size, bool end_of_stream) {
  return on_event(1, static_cast<uint32_t>(size), end_of_stream);
}
Action HttpStreamContext::handle_request_trailers(size_t count) {
  return on_event(2, static_cast<uint32_t>(count), true);
}
Action HttpStreamContext::handle_response_headers(size_t count, bool end_of_stream) {
  return on_event(3, static_cast<uint32_t>(count), end_of_stream);
}
Action HttpStreamContext::handle_response_body(size_t size, bool end_of_stream) {
  return on_event(4, static_cast<uint32_t>(size), end_of_stream);
}
Action HttpStreamContext::handle_response_trailers(size_t count) {
  return on_event(5, static_cast<uint32_t>(count), true);
}

bool HttpStreamContext::handle_done() {
  finished_ = true;  // the stream is over: the coroutine goes wherever it waits
  wait_ = Wait::None;
  // From inside an event of this stream, the coroutine may be running below: it goes when
  // that event is done (settle), not now.
  if (waking() || segment_running_) return true;
  task_.reset();
  return true;
}

void HttpStreamContext::handle_log() { on_stream_done(); }

// After a waiter of this stream was woken (a callout's answer, a timer): the coroutine ran.
void HttpStreamContext::after_event() {
  for (int direction : {0, 1}) bodies_[direction].may_change();
  settle();
}

Action HttpStreamContext::on_event(int phase, uint32_t size, bool end_of_stream) {
  if (finished_ || closed()) return Action::Continue;
  const int direction = direction_of(phase);
  // After a local reply only the reply itself comes, through the response phases.
  const bool after_reply = note_local_reply();
  if (after_reply && direction == 0) return Action::Continue;
  if (is_body(phase)) {
    // While the body is paused the host keeps appending to one buffer and reports its length;
    // otherwise every callback brings a fresh buffer.
    bodies_[direction].arrived(size, held_[phase]);
  }
  arrived_[phase] = true;
  event_count_[phase] = size;
  event_end_[phase] = end_of_stream;
  if (end_of_stream || is_trailers(phase)) ended_[direction] = true;
  const int outer_answering = std::exchange(answering_, phase);  // callbacks may nest
  if (phase < position_) {
    // Moved past, or never awaited: it flows. Its end may still settle a wait (a phase of
    // the direction that will now never come).
    if (wait_ != Wait::None && try_complete_wait()) {
      run_segment([&] { resume_waiter(); });
    }
    answering_ = outer_answering;
    return holds_everything(after_reply) ? Action::Pause : Action::Continue;
  }
  if (!started_) {
    started_ = true;
    task_ = run();
    run_segment([&] { task_.start(); });
  } else if (wait_ != Wait::None && try_complete_wait()) {
    run_segment([&] { resume_waiter(); });
  }
  const Action action = answer(phase, after_reply);
  answering_ = outer_answering;
  return action;
}

template <class Run>
void HttpStreamContext::run_segment(Run&& body) {
  const bool outer = std::exchange(segment_running_, true);
  // The coroutine runs: it may change the bytes it holds (settle learns their length again).
  for (int direction : {0, 1}) bodies_[direction].may_change();
  body();
  segment_running_ = outer;
  settle();
}

void HttpStreamContext::settle() {
  // No task: not started (nothing held yet) or destroyed at the stream's end. The task is
  // tested done once.
  if (!task_) return;
  const bool done = task_.done();
  if (finished_) {
    // Cancelled while it ran (handle_done): it has returned now.
    if (!done && !waking() && !segment_running_) task_.reset();
    return;
  }
  if (!done) {
    if (!segment_running_ && wait_ != Wait::None && note_local_reply() &&
        direction_of(wait_phase_) == 0 && try_complete_wait()) {
      // Another branch of the coroutine answered locally while this wait, for a request
      // phase, was pending: that phase will never come.
      run_segment([&] { resume_waiter(); });
      return;
    }
    // A chunked body held across the stretch may have been changed: learn its length.
    for (int direction : {0, 1}) {
      const int body = body_phase(direction);
      if (bodies_[direction].chunked && held_[body] && position_ == body) {
        bodies_[direction].refresh(body_buffer(direction));
      }
    }
    return;
  }
  // The coroutine finished: everything it held goes on (unless the stream was answered).
  finished_ = true;
  wait_ = Wait::None;
  task_.result();  // natively, an exception surfaces here
  if (closed()) return;
  note_local_reply();  // what was held before a reply never goes on
  bool release[2] = {false, false};
  for (int phase = 0; phase < kPhases; ++phase) {
    if (!held_[phase]) continue;
    held_[phase] = false;
    release[direction_of(phase)] = true;
  }
  release_directions(release[0], release[1]);
}

bool HttpStreamContext::note_first_local_reply() {
  replied_ = true;
  // The request and the upstream's response are over: nothing held of them goes on.
  for (bool& held : held_) held = false;
  ended_[0] = true;
  if (arrived_[body_phase(1) - 1]) {
    ended_[1] = true;  // sent after the upstream's headers: the reply goes straight out
    return true;
  }
  // Sent before any response: it comes next through the response phases, which the
  // coroutine may await (also when it was already waiting for the response headers).
  // A wait already pending for a later response phase (another branch of the coroutine)
  // keeps its place: the reply's earlier phases flow past it.
  if (wait_ == Wait::None || wait_phase_ < body_phase(1) - 1) {
    position_ = std::min(position_, body_phase(1) - 1);
  }
  return true;
}

bool HttpStreamContext::holds_everything(bool after_reply) const {
  // A reset, or a reply sent during this callback: the callback answers Pause, and
  // nothing of what it was about goes on (the reply replaces it).
  return closed() || (local_response_sent() && !after_reply);
}

Action HttpStreamContext::answer(int phase, bool after_reply) {
  if (holds_everything(after_reply)) return Action::Pause;
  if (finished_ || phase < position_) return Action::Continue;
  if (phase == position_ && is_body(phase) && !held_[phase] && wait_ == Wait::Chunk &&
      !bodies_[direction_of(phase)].has_unseen()) {
    return Action::Continue;  // the coroutine took this chunk and wants the next: it goes
  }
  held_[phase] = true;
  if (is_body(phase) && bodies_[direction_of(phase)].chunked) {
    bodies_[direction_of(phase)].refresh(body_buffer(direction_of(phase)));
  }
  return Action::Pause;
}

// ---- the coroutine's side ----

bool HttpStreamContext::begin_wait(Wait kind, int phase, size_t limit) {
  const int direction = direction_of(phase);
  // Reset, or answered locally: no request phase comes any more (the reply's do).
  if (finished_ || closed() || (note_local_reply() && direction == 0)) {
    fail_wait(StatusCode::NotFound);
    return true;
  }
  if (phase < position_ || wait_ != Wait::None) {  // behind us, or a second wait at once
    fail_wait(StatusCode::BadArgument);
    return true;
  }
  if (kind == Wait::Chunk) {
    bodies_[direction].chunked = true;
    // Nothing new since the last chunk: the chunk before goes on now.
    if (phase == position_ && held_[phase] && !bodies_[direction].has_unseen() &&
        !ended_[direction]) {
      held_[phase] = false;
      if (phase != answering_) {
        bodies_[direction].released();
        release_directions(direction == 0, direction == 1);
      }
    }
  }
  if (phase > position_) move_to(phase);
  // Only now: a callback delivered from inside the host calls above must not resume us.
  wait_ = kind;
  wait_phase_ = phase;
  wait_limit_ = limit;
  return try_complete_wait();
}

void HttpStreamContext::fail_wait(StatusCode error) {
  phase_result_ = error;
  chunk_result_ = error;
  body_result_ = error;
}

bool HttpStreamContext::try_complete_wait() {
  const int phase = wait_phase_;
  const int direction = direction_of(phase);
  detail::HeldBuffer& body = bodies_[direction];
  if (wait_ != Wait::None && direction == 0 && replied_) {  // the request is over
    fail_wait(StatusCode::NotFound);
    wait_ = Wait::None;
    return true;
  }
  switch (wait_) {
    case Wait::None: return false;
    case Wait::Phase:
      if (arrived_[phase]) {
        phase_result_ = PhaseEvent{event_count_[phase], event_end_[phase]};
      } else if (ended_[direction]) {
        phase_result_ = StatusCode::NotFound;  // the direction ended before this phase
      } else {
        return false;
      }
      break;
    case Wait::Chunk:
      if (body.has_unseen()) {
        chunk_result_ = body.take(ended_[direction]);
      } else if (ended_[direction]) {
        // The body is over (or there was none). Never an empty chunk: its end may come in a
        // callback (trailers) where the body buffer cannot be read.
        chunk_result_ = StatusCode::NotFound;
      } else {
        return false;
      }
      break;
    case Wait::WholeBody:
      if (arrived_[phase] && event_count_[phase] > wait_limit_) {
        body_result_ = StatusCode::TooLarge;
      } else if (ended_[direction]) {
        read_whole_body(direction);
      } else {
        return false;
      }
      break;
  }
  wait_ = Wait::None;
  return true;
}

void HttpStreamContext::read_whole_body(int direction) {
  const int phase = body_phase(direction);
  if (!arrived_[phase]) {
    body_result_ = StatusCode::NotFound;  // no body phase: as phase() and next_chunk say
    return;
  }
  body_result_ = body_buffer(direction).get(0, bodies_[direction].length());
}

void HttpStreamContext::move_to(int phase) {
  bool release[2] = {false, false};
  for (int behind = std::max(position_, 0); behind < phase; ++behind) {
    if (!held_[behind]) continue;
    held_[behind] = false;
    release[direction_of(behind)] = true;
  }
  position_ = phase;  // set before the host calls below: they may deliver callbacks
  // A direction whose new phase is already held goes on when that phase is left.
  if (held_[phase]) release[direction_of(phase)] = false;
  release_directions(release[0], release[1]);
}

void HttpStreamContext::release_directions(bool request, bool response) {
  // A callback of the direction running now answers Continue, which lets the whole direction
  // go on (what it held before too): continuing it as well would send it twice.
  const int answering_direction = answering_ < 0 ? -1 : direction_of(answering_);
  if (request && answering_direction != 0) continue_stream(StreamType::HttpRequest);
  if (response && answering_direction != 1) continue_stream(StreamType::HttpResponse);
}

}  // namespace coproxy
