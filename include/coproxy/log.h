// Logging through the host (proxy_log). The host drops messages below its level, as the
// official SDKs rely on: asking it first (proxy_get_log_level) would cost a second host call
// for every message that is kept. Ask log_enabled() before building an expensive message.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/status.h"

namespace coproxy {

// The host's current log level (proxy_get_log_level).
Result<LogLevel> host_log_level();
// True when the host would keep a message at `level`. If the host cannot say, true.
bool log_enabled(LogLevel level);
// Sends `message` to the host as is (proxy_log), whatever the host's level.
Status log(LogLevel level, std::string_view message);

namespace detail {

// A log line assembled on the stack: no heap, cut (marked "...") past kCapacity bytes.
class LogLine {
 public:
  static constexpr size_t kCapacity = 512;
  void append(std::string_view text);
  void append_signed(int64_t value);
  void append_unsigned(uint64_t value);
  std::string_view view() const { return {buffer_, size_}; }

 private:
  char buffer_[kCapacity];
  size_t size_ = 0;
};

template <class Part>
void append_part(LogLine& line, const Part& part) {
  if constexpr (std::same_as<Part, bool>) {
    line.append(part ? "true" : "false");
  } else if constexpr (std::signed_integral<Part>) {
    line.append_signed(part);
  } else if constexpr (std::unsigned_integral<Part>) {
    line.append_unsigned(part);
  } else if constexpr (std::is_enum_v<Part>) {
    line.append_unsigned(static_cast<uint64_t>(part));
  } else {
    line.append(std::string_view(part));
  }
}

template <class... Parts>
void log_parts(LogLevel level, const Parts&... parts) {
  if constexpr (sizeof...(Parts) == 1 && (std::is_convertible_v<Parts, std::string_view> && ...)) {
    (log(level, std::string_view(parts)), ...);
  } else {
    LogLine line;
    (append_part(line, parts), ...);
    log(level, line.view());
  }
}

}  // namespace detail

// log_info("upstream ", name, " answered ", status): the parts (strings and integers) are
// joined without separators, on the stack, and sent in one host call.
template <class... Parts>
void log_trace(const Parts&... parts) { detail::log_parts(LogLevel::Trace, parts...); }
template <class... Parts>
void log_debug(const Parts&... parts) { detail::log_parts(LogLevel::Debug, parts...); }
template <class... Parts>
void log_info(const Parts&... parts) { detail::log_parts(LogLevel::Info, parts...); }
template <class... Parts>
void log_warn(const Parts&... parts) { detail::log_parts(LogLevel::Warn, parts...); }
template <class... Parts>
void log_error(const Parts&... parts) { detail::log_parts(LogLevel::Error, parts...); }
template <class... Parts>
void log_critical(const Parts&... parts) { detail::log_parts(LogLevel::Critical, parts...); }

// A message written the first time a condition comes and not again until it clears: a poll
// that keeps failing logs once, not once per round; the line after it clears says how often.
//
//   coproxy::LogOnce unreachable;                                  // a member
//   if (!reply.ok()) unreachable.warn("no answer (", reply.status().name(), ")");
//   else if (uint64_t failed = unreachable.clear()) coproxy::log_info("back after ", failed);
class LogOnce {
 public:
  template <class... Parts>
  void log(LogLevel level, const Parts&... parts) {
    if (times_++ == 0) detail::log_parts(level, parts...);
  }
  template <class... Parts>
  void info(const Parts&... parts) { log(LogLevel::Info, parts...); }
  template <class... Parts>
  void warn(const Parts&... parts) { log(LogLevel::Warn, parts...); }
  template <class... Parts>
  void error(const Parts&... parts) { log(LogLevel::Error, parts...); }

  // The condition cleared: the next log() is written again. Answers how many times it came
  // since it was last cleared (written once, the rest not).
  uint64_t clear() {
    const uint64_t times = times_;
    times_ = 0;
    return times;
  }
  uint64_t times() const { return times_; }

 private:
  uint64_t times_ = 0;
};

}  // namespace coproxy
