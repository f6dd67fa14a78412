// HeldBuffer: what a stream coroutine knows of one direction's body (or TCP data) buffer.
//
// While the plugin pauses a body the host keeps appending to one buffer and reports its whole
// length at each callback; once it goes on, the next callback brings a fresh buffer. A
// coroutine reading chunk by chunk gets the bytes at the end it has not had yet, and may change
// the ones it has; so the length is learnt again from the host after the coroutine ran, before
// more bytes arrive. Then each byte is handed over exactly once.
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
  }
  // The host passed the buffer on: the next bytes come in a fresh one.
  void released() { known_length_ = unseen_ = 0; }
  // The coroutine may have changed the bytes it had: ask the host for the length again.
  void refresh(Buffer buffer) {
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

  bool chunked = false;  // the coroutine reads it chunk by chunk

 private:
  size_t known_length_ = 0;
  size_t unseen_ = 0;
};

}  // namespace coproxy::detail
