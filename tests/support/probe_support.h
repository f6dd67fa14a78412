// Small helpers the test plugins share (tests/probe, tests/coro): they log what happened as
// text a test can compare, on the native and the .wasm build alike.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "coproxy/coproxy.h"

namespace coproxy::probe {

inline std::string number(uint64_t value) { return std::to_string(value); }

// Digits only (no std::stoul: no exceptions in wasm).
inline uint64_t parse_number(std::string_view text) {
  uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
  return value;
}

inline std::string code(const Status& status) {
  return number(static_cast<uint32_t>(status.code()));
}

inline std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A request header's value, or `fallback` when it is absent.
inline std::string header_or(std::string_view name, std::string_view fallback) {
  Result<HostBytes> value = request_headers().get(name);
  return std::string(value.ok() ? value->view() : fallback);
}

// Logs "destroyed <name>" when the frame (or object) that holds it dies.
class Witness {
 public:
  explicit Witness(std::string name) : name_(std::move(name)) {}
  Witness(const Witness&) = delete;
  Witness& operator=(const Witness&) = delete;
  ~Witness() { log_info("destroyed ", name_); }

 private:
  std::string name_;
};

}  // namespace coproxy::probe
