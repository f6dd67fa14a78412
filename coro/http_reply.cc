#include "coro/http_reply.h"

#include <cstring>
#include <new>

#include "coproxy/buffer.h"
#include "coproxy/detail/recycling_pool.h"

namespace coproxy {

struct HttpReply::Values {
  struct Value {
    HostBytes bytes;
    uint8_t name_size;
    char name[kValueNameCapacity];
    std::string_view name_view() const { return {name, name_size}; }
  };
  // Room for a Value, made only when one is read: an unused slot is neither made nor
  // destroyed (no free of nothing).
  union Slot {
    Slot() {}
    ~Slot() {}
    Value value;
  };
  Values() {}
  ~Values() {
    for (uint8_t i = 0; i < count; ++i) slots[i].value.~Value();
  }
  static void* operator new(size_t size) { return detail::pool_allocate(size); }
  static void operator delete(void* block, size_t size) { detail::pool_deallocate(block, size); }

  uint8_t count = 0;
  Slot slots[kValueCapacity];
};

// The parts read whole.
struct HttpReply::Whole : detail::PoolAllocated {
  HeaderPairs headers;
  HostBytes body;
  HeaderPairs trailers;
  uint8_t read = 0;  // Part bits
};

HttpReply::HttpReply(const HttpCallResponse& response)
    : token_(response.token()),
      header_count_(static_cast<uint32_t>(response.header_count())),
      body_size_(static_cast<uint32_t>(response.body_size())),
      trailer_count_(static_cast<uint32_t>(response.trailer_count())),
      live_(true),
      next_live_(live_replies_) {
  live_replies_ = this;
}

HttpReply::HttpReply(HttpReply&& other) noexcept
    : token_(other.token_),
      header_count_(other.header_count_),
      body_size_(other.body_size_),
      trailer_count_(other.trailer_count_),
      status_(other.status_),
      status_read_(other.status_read_),
      live_(other.live_),
      read_status_(other.read_status_),
      values_(other.values_),
      whole_(other.whole_),
      next_live_(other.next_live_) {
  other.values_ = nullptr;
  other.whole_ = nullptr;
  if (live_) {  // take `other`'s place in the list
    HttpReply** link = &live_replies_;
    while (*link != &other) link = &(*link)->next_live_;
    *link = this;
    other.live_ = false;
  }
}

HttpReply& HttpReply::operator=(HttpReply&& other) noexcept {
  if (this != &other) {
    this->~HttpReply();
    new (this) HttpReply(std::move(other));
  }
  return *this;
}

HttpReply::~HttpReply() {
  stop_reading();
  delete values_;
  delete whole_;
}

std::string_view HttpReply::add_value(std::string_view name, HostBytes* bytes) const {
  if (values_ == nullptr) values_ = new Values;
  Values::Value& value = values_->slots[values_->count++].value;
  if (bytes != nullptr) {
    new (&value.bytes) HostBytes(std::move(*bytes));
  } else {
    new (&value.bytes) HostBytes();
  }
  value.name_size = static_cast<uint8_t>(name.size());
  if (!name.empty()) std::memcpy(value.name, name.data(), name.size());
  return value.bytes.view();
}

void HttpReply::stop_reading() {
  if (!live_) return;
  HttpReply** link = &live_replies_;
  while (*link != this) link = &(*link)->next_live_;
  *link = next_live_;
  live_ = false;
}

void HttpReply::read_rest_of(uint32_t token) {
  for (HttpReply* reply = live_replies_; reply != nullptr;) {
    HttpReply* next = reply->next_live_;
    if (reply->token_ == token) {
      reply->whole(kHeaders);
      reply->status();  // from the headers just read
      reply->whole(kBody);
      reply->whole(kTrailers);
      reply->stop_reading();
    }
    reply = next;
  }
}

template <class T>
void HttpReply::note(const Result<T>& read) const {
  // NotFound is only absence; the first real failure is kept.
  if (!read.ok() && read.status().code() != StatusCode::NotFound && read_status_.ok()) {
    read_status_ = read.status();
  }
}

const HttpReply::Whole& HttpReply::whole(Part part) const {
  if (whole_ == nullptr) whole_ = new Whole;
  Whole& whole = *whole_;
  if ((whole.read & part) != 0) return whole;
  whole.read |= part;
  if (!live_) return whole;  // after the callback, what was not read reads as absent
  if (part == kBody) {
    if (body_size_ == 0) return whole;
    Result<HostBytes> body = Buffer(BufferType::HttpCallResponseBody).get(0, body_size_);
    note(body);
    if (body.ok()) whole.body = std::move(*body);
    return whole;
  }
  const bool headers = part == kHeaders;
  if ((headers ? header_count_ : trailer_count_) == 0) return whole;
  Result<HeaderPairs> map =
      HeaderMap(headers ? MapType::HttpCallResponseHeaders : MapType::HttpCallResponseTrailers)
          .pairs();
  note(map);
  if (map.ok()) (headers ? whole.headers : whole.trailers) = std::move(*map);
  return whole;
}

// Inline: it stands for one host call in status() and header(), not a wasm call more.
[[gnu::always_inline]] inline Result<HostBytes> HttpReply::read_value(std::string_view name) const {
  Result<HostBytes> read = HeaderMap(MapType::HttpCallResponseHeaders).get(name);
  note(read);
  return read;
}

uint32_t HttpReply::status() const {
  if (status_read_) return status_;
  status_read_ = true;
  if (live_ && (whole_ == nullptr || (whole_->read & kHeaders) == 0)) {
    // One value from the host, parsed and let go: the number is what is kept.
    Result<HostBytes> read = read_value(":status");
    status_ = read.ok() ? parse_http_status(read->view()) : 0;
  } else {
    status_ = parse_http_status(header(":status"));
  }
  return status_;
}

std::string_view HttpReply::header(std::string_view name) const {
  const uint8_t count = values_ != nullptr ? values_->count : 0;
  for (uint8_t i = 0; i < count; ++i) {
    const Values::Value& value = values_->slots[i].value;
    if (value.name_view() == name) return value.bytes.view();
  }
  if (live_ && count < kValueCapacity && name.size() <= kValueNameCapacity &&
      (whole_ == nullptr || (whole_->read & kHeaders) == 0)) {
    // One value from the host, kept with its name: the view stays valid, and asking again
    // costs no host call.
    Result<HostBytes> read = read_value(name);
    return add_value(name, read.ok() ? &*read : nullptr);
  }
  // Read whole (once; after the callback, what the reply read whole when it returned).
  return whole(kHeaders).headers.find(name).value_or(std::string_view());
}

const HeaderPairs& HttpReply::headers() const { return whole(kHeaders).headers; }

std::string_view HttpReply::body() const { return whole(kBody).body.view(); }

const HeaderPairs& HttpReply::trailers() const { return whole(kTrailers).trailers; }

}  // namespace coproxy
