#include "coproxy/shared_data.h"

#include <charconv>
#include <optional>

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

namespace {

// What one compare-and-swap loop over a shared number ended with.
struct NumberUpdate {
  int64_t value = 0;     // the value written, or the one left as it was
  bool written = false;
};

// Reads the number at `key` (0 when never set), asks `decide(now)` for the value to write
// (std::nullopt: write nothing), and writes it with the cas it read, again while another
// writer gets in between.
template <class Decide>
Result<NumberUpdate> update_number(std::string_view key, int attempts, Decide&& decide) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    Result<SharedNumber> current = get_shared_number(key);
    if (!current.ok() && current.status().code() != StatusCode::NotFound) {
      return current.status();
    }
    const SharedNumber now = current.ok() ? *current : SharedNumber{};
    const std::optional<int64_t> next = decide(now.value);
    if (!next) return NumberUpdate{now.value, false};
    const Status written = set_shared_number(key, *next, now.cas);
    if (written.ok()) return NumberUpdate{*next, true};
    if (written.code() != StatusCode::CasMismatch) return written;
  }
  return StatusCode::CasMismatch;
}

}  // namespace

Result<int64_t> SharedCounter::add(int64_t delta, int attempts) const {
  bool overflow = false;
  Result<NumberUpdate> update =
      update_number(key_, attempts, [&](int64_t now) -> std::optional<int64_t> {
        int64_t next = 0;
        overflow = __builtin_add_overflow(now, delta, &next);
        return overflow ? std::nullopt : std::optional<int64_t>(next);
      });
  if (!update.ok()) return update.status();
  if (overflow) return StatusCode::BadArgument;
  return update->value;
}

Result<SharedCounter::QuotaTake> SharedCounter::take_if_below(int64_t limit, int64_t amount,
                                                              int attempts) const {
  if (amount < 0) return StatusCode::BadArgument;
  Result<NumberUpdate> update =
      update_number(key_, attempts, [&](int64_t now) -> std::optional<int64_t> {
        int64_t next = 0;
        if (__builtin_add_overflow(now, amount, &next) || next > limit) return std::nullopt;
        return next;
      });
  if (!update.ok()) return update.status();
  const int64_t count = update->value;
  return QuotaTake{update->written, count < limit ? limit - count : 0};
}

Result<int64_t> SharedCounter::get() const {
  Result<SharedNumber> current = get_shared_number(key_);
  if (current.ok()) return current->value;
  if (current.status().code() == StatusCode::NotFound) return int64_t{0};
  return current.status();
}

}  // namespace coproxy
