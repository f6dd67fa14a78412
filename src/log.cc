#include "coproxy/log.h"

#include <cstring>

#include "host_call.h"

namespace coproxy {

Result<LogLevel> host_log_level() {
  uint32_t level = 0;
  Status status = internal::to_status(proxy_get_log_level(&level));
  if (!status.ok()) return status;
  return static_cast<LogLevel>(level);
}

bool log_enabled(LogLevel level) {
  Result<LogLevel> host = host_log_level();
  return !host.ok() || static_cast<uint32_t>(level) >= static_cast<uint32_t>(*host);
}

Status log(LogLevel level, std::string_view message) {
  return internal::to_status(proxy_log(internal::wire(level), message.data(), message.size()));
}

namespace detail {

void LogLine::append(std::string_view text) {
  constexpr std::string_view kCut = "...";
  const size_t room = kCapacity - size_;
  if (text.size() <= room) {
    if (!text.empty()) std::memcpy(buffer_ + size_, text.data(), text.size());
    size_ += text.size();
    return;
  }
  if (room < kCut.size()) return;  // already cut
  std::memcpy(buffer_ + size_, text.data(), room - kCut.size());
  std::memcpy(buffer_ + kCapacity - kCut.size(), kCut.data(), kCut.size());
  size_ = kCapacity;
}

void LogLine::append_unsigned(uint64_t value) {
  char digits[20];
  size_t n = 0;
  do {
    digits[sizeof(digits) - ++n] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  append(std::string_view(digits + sizeof(digits) - n, n));
}

void LogLine::append_signed(int64_t value) {
  if (value < 0) {
    append("-");
    // Negate in unsigned arithmetic: -INT64_MIN does not fit in int64_t.
    append_unsigned(~static_cast<uint64_t>(value) + 1);
  } else {
    append_unsigned(static_cast<uint64_t>(value));
  }
}

}  // namespace detail
}  // namespace coproxy
