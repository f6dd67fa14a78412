#include "coro/tcp_stream_context.h"

#include <string_view>
#include <utility>

#include "coproxy/buffer.h"
#include "coproxy/stream_control.h"

namespace coproxy {
namespace {

Buffer data_buffer(int direction) {
  return Buffer(direction == 0 ? BufferType::DownstreamData : BufferType::UpstreamData);
}

}  // namespace

TcpStreamContext::~TcpStreamContext() { task_.reset(); }

void TcpStreamContext::on_stream_done() {}

TcpStreamContext::DataAwaiter TcpStreamContext::next_data(StreamType direction) {
  return DataAwaiter(*this, direction == StreamType::Upstream ? 1 : 0, /*keep=*/false);
}

TcpStreamContext::DataAwaiter TcpStreamContext::more_data(StreamType direction) {
  return DataAwaiter(*this, direction == StreamType::Upstream ? 1 : 0, /*keep=*/true);
}

void TcpStreamContext::let_go(StreamType direction) {
  const int index = direction == StreamType::Upstream ? 1 : 0;
  if (!finished_ && !closed() && directions_[index].held) release(index);
}

Task<Result<TcpStreamContext::DataLine>> TcpStreamContext::read_line(StreamType direction,
                                                                      size_t max) {
  Result<DataLine> line = co_await read_until(direction, "\n", max);
  if (line.ok() && !line->text.empty() && line->text.back() == '\r') line->text.pop_back();
  co_return line;
}

Task<Result<TcpStreamContext::DataLine>> TcpStreamContext::read_until(StreamType direction,
                                                                       std::string delimiter,
                                                                       size_t max) {
  if (delimiter.empty()) co_return StatusCode::BadArgument;
  const int index = direction == StreamType::Upstream ? 1 : 0;
  const Buffer buffer = data_buffer(index);
  Direction& dir = directions_[index];
  // The bytes already handed over past the last line read (several lines may come at once).
  DataLine line;
  line.offset = dir.held ? dir.read_past : 0;
  std::string& text = line.text;
  if (dir.held && dir.data.handed_length() > line.offset) {
    Result<HostBytes> bytes = buffer.get(line.offset, dir.data.handed_length() - line.offset);
    if (!bytes.ok()) co_return bytes.status();
    text = bytes->view();
  }
  size_t searched = 0;  // no delimiter starts before this
  for (;;) {
    const size_t found = text.find(delimiter, searched);
    if (found != std::string::npos) {
      if (found > max) co_return StatusCode::TooLarge;
      line.size = found + delimiter.size();
      dir.read_past = line.offset + line.size;
      text.resize(found);
      co_return line;
    }
    // A delimiter still to come would start past `max`.
    if (text.size() >= max + delimiter.size()) co_return StatusCode::TooLarge;
    searched = text.size() + 1 > delimiter.size() ? text.size() + 1 - delimiter.size() : 0;
    Result<BodyChunk> chunk = co_await more_data(direction);
    if (!chunk.ok()) co_return chunk.status();
    Result<HostBytes> bytes = buffer.get(chunk->offset, chunk->size);
    if (!bytes.ok()) co_return bytes.status();
    text += bytes->view();
  }
}

Action TcpStreamContext::handle_new_connection() {
  if (!started_) {
    started_ = true;
    task_ = run();
    run_segment([&] { task_.start(); });
  }
  return Action::Continue;
}

Action TcpStreamContext::handle_downstream_data(size_t size, bool end_of_stream) {
  return on_data(0, static_cast<uint32_t>(size), end_of_stream);
}
Action TcpStreamContext::handle_upstream_data(size_t size, bool end_of_stream) {
  return on_data(1, static_cast<uint32_t>(size), end_of_stream);
}
void TcpStreamContext::handle_downstream_close(PeerType) { on_close(0); }
void TcpStreamContext::handle_upstream_close(PeerType) { on_close(1); }

bool TcpStreamContext::handle_done() {
  finished_ = true;  // the connection is over: the coroutine goes wherever it waits
  waiting_for_ = -1;
  // From inside an event of this connection, the coroutine may be running below: it goes
  // when that event is done (settle), not now.
  if (waking() || segment_running_) return true;
  task_.reset();
  return true;
}

void TcpStreamContext::handle_log() { on_stream_done(); }

// After a waiter of this stream was woken (a callout's answer, a timer): the coroutine ran.
void TcpStreamContext::after_event() {
  for (int direction : {0, 1}) directions_[direction].data.may_change();
  settle();
}

Action TcpStreamContext::on_data(int direction, uint32_t size, bool end_of_stream) {
  Direction& dir = directions_[direction];
  if (finished_ || closed()) return Action::Continue;
  dir.data.arrived(size, dir.held);
  if (end_of_stream) dir.ended = true;
  if (!dir.held && waiting_for_ != direction) {
    dir.passed_on();  // nobody reads this direction now: it flows
    return Action::Continue;
  }
  const int outer_answering = std::exchange(answering_, direction);
  if (waiting_for_ == direction && try_complete_wait()) {
    run_segment([&] { resume_waiter(); });
  }
  Action action = Action::Continue;
  if (closed()) {
    action = Action::Pause;  // closed from inside: none of it goes on
  } else if (!finished_ && (dir.held || dir.data.has_unseen())) {
    // The coroutine holds bytes of this direction (or has not had them yet): the host keeps
    // them, and the new ones join them.
    dir.held = true;
    if (dir.data.chunked) dir.data.refresh(data_buffer(direction));
    action = Action::Pause;
  } else if (!finished_) {
    dir.passed_on();  // let go (or taken and asked past): these bytes go on now
  }
  answering_ = outer_answering;
  return action;
}

void TcpStreamContext::on_close(int direction) {
  directions_[direction].ended = true;
  if (!finished_ && waiting_for_ == direction && try_complete_wait()) {
    run_segment([&] { resume_waiter(); });
  }
}

template <class Run>
void TcpStreamContext::run_segment(Run&& body) {
  const bool outer = std::exchange(segment_running_, true);
  // The coroutine runs: it may change the bytes it holds (settle learns their length again).
  for (int direction : {0, 1}) directions_[direction].data.may_change();
  body();
  segment_running_ = outer;
  settle();
}

void TcpStreamContext::settle() {
  if (finished_ && task_ && !task_.done() && !waking() && !segment_running_) {
    task_.reset();  // cancelled while it ran (handle_done): it has returned now
    return;
  }
  if (finished_ || !task_) return;
  if (!task_.done()) {
    for (int direction : {0, 1}) {  // bytes held across the stretch may have been changed
      Direction& dir = directions_[direction];
      if (dir.held && dir.data.chunked) dir.data.refresh(data_buffer(direction));
    }
    return;
  }
  finished_ = true;  // everything it held goes on (unless it closed the connection)
  waiting_for_ = -1;
  task_.result();  // natively, an exception surfaces here
  if (closed()) return;
  for (int direction : {0, 1}) {
    if (directions_[direction].held) release(direction);
  }
}

bool TcpStreamContext::begin_wait(int direction, bool keep) {
  Direction& dir = directions_[direction];
  if (finished_ || closed()) {
    chunk_result_ = StatusCode::NotFound;
    return true;
  }
  if (waiting_for_ != -1) {  // a second wait at once
    chunk_result_ = StatusCode::BadArgument;
    return true;
  }
  dir.data.chunked = true;
  // Nothing new since the last chunk: the chunk before goes on now (unless kept).
  if (!keep && dir.held && !dir.data.has_unseen() && !dir.ended) release(direction);
  waiting_for_ = direction;  // only now: the continue above may deliver data re-entrantly
  return try_complete_wait();
}

bool TcpStreamContext::try_complete_wait() {
  const int direction = waiting_for_;
  Direction& dir = directions_[direction];
  if (dir.data.has_unseen()) {
    chunk_result_ = dir.data.take(dir.ended);
    dir.held = true;  // the coroutine holds these bytes until it lets them go
  } else if (dir.ended) {
    chunk_result_ = StatusCode::NotFound;  // no bytes will come: never an empty chunk
  } else {
    return false;
  }
  waiting_for_ = -1;
  return true;
}

void TcpStreamContext::release(int direction) {
  Direction& dir = directions_[direction];
  dir.held = false;
  dir.passed_on();
  // The callback running now answers Continue itself.
  if (direction != answering_) {
    continue_stream(direction == 0 ? StreamType::Downstream : StreamType::Upstream);
  }
}

}  // namespace coproxy
