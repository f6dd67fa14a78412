#include "coproxy/shared_data.h"

#include <charconv>

#include "host_call.h"

namespace coproxy {

Result<SharedValue> get_shared_data(std::string_view key) {
  internal::HostOut out;
  uint32_t cas = 0;
  Status status = internal::to_status(
      proxy_get_shared_data(key.data(), key.size(), out.out_data(), out.out_size(), &cas));
  if (!status.ok()) return status;
  return SharedValue{out.take(), cas};
}

Status set_shared_data(std::string_view key, std::string_view value, uint32_t cas) {
  return internal::to_status(
      proxy_set_shared_data(key.data(), key.size(), value.data(), value.size(), cas));
}

Result<SharedNumber> get_shared_number(std::string_view key) {
  Result<SharedValue> current = get_shared_data(key);
  if (!current.ok()) return current.status();
  const std::string_view text = current->value.view();
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return StatusCode::ParseFailure;
  return SharedNumber{value, current->cas};
}

Status set_shared_number(std::string_view key, int64_t value, uint32_t cas) {
  char text[24];
  auto [end, error] = std::to_chars(text, text + sizeof(text), value);
  (void)error;  // 24 bytes hold every int64_t
  return set_shared_data(key, std::string_view(text, static_cast<size_t>(end - text)), cas);
}

Result<int64_t> SharedCounter::add(int64_t delta, int attempts) const {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    Result<SharedNumber> current = get_shared_number(key_);
    if (!current.ok() && current.status().code() != StatusCode::NotFound) {
      return current.status();
    }
    const SharedNumber now = current.ok() ? *current : SharedNumber{};
    int64_t next = 0;
    if (__builtin_add_overflow(now.value, delta, &next)) return StatusCode::BadArgument;
    const Status written = set_shared_number(key_, next, now.cas);
    if (written.ok()) return next;
    if (written.code() != StatusCode::CasMismatch) return written;
  }
  return StatusCode::CasMismatch;
}

Result<int64_t> SharedCounter::get() const {
  Result<SharedNumber> current = get_shared_number(key_);
  if (current.ok()) return current->value;
  if (current.status().code() == StatusCode::NotFound) return int64_t{0};
  return current.status();
}

}  // namespace coproxy
