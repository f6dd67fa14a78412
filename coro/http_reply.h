// HttpReply: the answer to an awaited HTTP callout (co_await http_call(...)).
//
// It is read lazily: the host keeps the answer's maps and body only while its callback for
// the answer runs, and a filter usually reads one or two headers of it. So while that
// callback runs (the task resumed by the answer runs inside it), the first two headers asked
// for are fetched from the host, one host call each, and kept; a third name (or one longer
// than 23 bytes) reads the headers whole, once. When the callback returns, a reply still
// alive (kept across a later co_await) reads whatever it has not yet: its headers, body and
// trailers whole. Every view it has handed out stays valid as long as the reply, across any
// co_await.
//
// A read the host fails reads as absent (empty); read_status() tells the first such failure.
#pragma once

#include <cstdint>
#include <string_view>

#include "coproxy/header_map.h"
#include "coproxy/http_call_response.h"
#include "coproxy/status.h"

namespace coproxy {

class HttpCallAwaiter;

class HttpReply {
 public:
  HttpReply(HttpReply&& other) noexcept;
  HttpReply& operator=(HttpReply&& other) noexcept;
  HttpReply(const HttpReply&) = delete;
  HttpReply& operator=(const HttpReply&) = delete;
  ~HttpReply();

  // The :status header as a number; 0 when missing or not a number.
  uint32_t status() const;
  // The value of header `name`; empty when absent (see headers().find to tell apart).
  std::string_view header(std::string_view name) const;
  // Every header, every trailer, the body (each read whole the first time it is asked for).
  const HeaderPairs& headers() const;
  std::string_view body() const;
  const HeaderPairs& trailers() const;
  // Ok, or the first read of this reply the host failed (that value read as absent).
  Status read_status() const { return read_status_; }

 private:
  friend class HttpCallAwaiter;
  friend class Result<HttpReply>;  // made in place (HttpCallAwaiter::await_resume)
  struct Whole;

  // The headers read on their own, with their names, in one block made at the first such
  // read. Not in the reply itself: a task's frame holds its replies even while it waits
  // for them, and two values in place made a suspended stream 64 B larger.
  struct Values;
  static constexpr uint8_t kValueCapacity = 2;
  static constexpr size_t kValueNameCapacity = 23;
  // Keeps `bytes` (none: empty) as the value of `name`: values_ has room, and `name` fits.
  std::string_view add_value(std::string_view name, HostBytes* bytes) const;

  // A reply to `response`, read from the host until end_callback(response.token()).
  explicit HttpReply(const HttpCallResponse& response);
  // The host's callback for the answer to `token` returns: the replies to it still alive
  // read the rest of it. Inline: usually the reply was dropped inside the callback, and no
  // reply is live.
  static void end_callback(uint32_t token) {
    if (live_replies_ != nullptr) read_rest_of(token);
  }
  static void read_rest_of(uint32_t token);

  // The answer's headers, body and trailers, each read from the host (while live_) the
  // first time `part` is asked for.
  enum Part : uint8_t { kHeaders = 1, kBody = 2, kTrailers = 4 };
  const Whole& whole(Part part) const;
  template <class T>
  void note(const Result<T>& read) const;
  // One header's value from the host (while live_), its failure noted.
  Result<HostBytes> read_value(std::string_view name) const;
  void stop_reading();  // out of the list of live replies

  uint32_t token_ = 0;
  uint32_t header_count_ = 0;
  uint32_t body_size_ = 0;
  uint32_t trailer_count_ = 0;
  mutable uint32_t status_ = 0;
  mutable bool status_read_ = false;
  bool live_ = false;  // the host still holds the answer: reads go to it
  mutable Status read_status_;
  mutable Values* values_ = nullptr;  // single values read while live, owned
  mutable Whole* whole_ = nullptr;    // the parts read whole, owned
  HttpReply* next_live_ = nullptr;    // the list of live replies (end_callback)

  static inline constinit HttpReply* live_replies_ = nullptr;
};

// when_all_ok's rule: an HTTP reply fails unless its status is 2xx.
inline bool succeeded(const HttpReply& reply) { return reply.status() / 100 == 2; }

}  // namespace coproxy
