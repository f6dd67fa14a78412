// HeldBuffer: what a stream coroutine knows of one direction's body (or TCP data) buffer.
//
// While the plugin pauses a body the host keeps appending to one buffer and reports its whole
// length at each callback; once it goes on, the next callback brings a fresh buffer. A
// coroutine reading chunk by chunk gets the bytes at the end it has not had yet, and may change
// the ones it has; so the length is learnt again from the host after the coroutine ran, before
// more bytes arrive, and only then: one proxy_get_buffer_status per stretch the coroutine ran
// with the buffer held, none when the host itself just reported the length. Then each byte is
// handed over exactly once.
#pragma once

#include <algorithm>
#include <cstddef>

#include "coproxy/buffer.h"
#include "coro/body_chunk.h"

namespace coproxy::detail {

class HeldBuffer {
 public:
  // A callback reported the buffer's length; `held`: the buffer was paused before it.
  void arrived(size_t length, bool held) {
    unseen_ = held ? unseen_ + (length - std::min(length, known_length_)) : length;
    known_length_ = length;
    changed_ = false;
  }
  // The host passed the buffer on: the next bytes come in a fresh one.
  void released() {
    known_length_ = unseen_ = 0;
    changed_ = false;
  }
  // The coroutine is about to run: it may change the bytes it has.
  void may_change() { changed_ = true; }
  // After the coroutine ran: the length again from the host, if the coroutine may have
  // changed the bytes since the host last said it.
  void refresh(Buffer buffer) {
    if (!changed_) return;
    changed_ = false;
    Result<BufferStatus> status = buffer.status();
    if (status.ok()) known_length_ = status->size;
    // The coroutine may have cut what it had, even below the unseen bytes' start.
    unseen_ = std::min(unseen_, known_length_);
  }
  // Hands the bytes not had yet to the coroutine.
  BodyChunk take(bool end_of_stream) {
    BodyChunk chunk{known_length_ - unseen_, unseen_, end_of_stream};
    unseen_ = 0;
    return chunk;
  }

  bool has_unseen() const { return unseen_ != 0; }
  size_t length() const { return known_length_; }
  // The bytes at the buffer's start the coroutine has had.
  size_t handed_length() const { return known_length_ - unseen_; }

  bool chunked = false;  // the coroutine reads it chunk by chunk

 private:
  size_t known_length_ = 0;
  size_t unseen_ = 0;
  bool changed_ = false;  // the coroutine ran since the host last gave the length
};

}  // namespace coproxy::detail
