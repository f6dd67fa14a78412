#include "coproxy/shared_lease.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "coproxy/shared_data.h"
#include "coproxy/time.h"

namespace coproxy {
namespace {

struct LeaseValue {
  std::string_view holder;
  uint64_t expiry = 0;  // host clock, nanoseconds
};

// "HOLDER EXPIRY", or nullopt for anything else (then the lease counts as free).
std::optional<LeaseValue> parse_lease(std::string_view text) {
  const size_t space = text.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  LeaseValue lease{text.substr(0, space)};
  const std::string_view expiry = text.substr(space + 1);
  auto [end, error] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), lease.expiry);
  if (error != std::errc() || end != expiry.data() + expiry.size()) return std::nullopt;
  return lease;
}

}  // namespace

Status SharedLease::name_holder() {
  if (!holder_.empty()) return StatusCode::Ok;
  Result<int64_t> number = SharedCounter(key_ + ".holders").add(1);
  if (!number.ok()) return number.status();
  Result<uint64_t> now = current_time_nanoseconds();
  if (!now.ok()) return now.status();
  // The clock too: two VMs that add to a counter never written may both get 1, once.
  holder_ = std::to_string(*number) + "." + std::to_string(*now);
  return StatusCode::Ok;
}

Result<bool> SharedLease::hold() {
  if (Status named = name_holder(); !named.ok()) return named;
  Result<uint64_t> now = current_time_nanoseconds();
  if (!now.ok()) return now.status();
  const uint64_t expiry =
      *now + static_cast<uint64_t>(std::chrono::nanoseconds(ttl_).count());
  bool mine = false;
  Status written = update_shared_data(key_, [&](std::optional<std::string_view> current) {
    const std::optional<LeaseValue> lease = current ? parse_lease(*current) : std::nullopt;
    mine = !lease || lease->holder == holder_ || lease->expiry <= *now;
    return mine ? std::optional<std::string>(holder_ + " " + std::to_string(expiry))
                : std::nullopt;
  });
  if (!written.ok()) return written;
  return mine;
}

Status SharedLease::release() {
  if (holder_.empty()) return StatusCode::Ok;
  return update_shared_data(key_, [&](std::optional<std::string_view> current) {
    const std::optional<LeaseValue> lease = current ? parse_lease(*current) : std::nullopt;
    if (!lease || lease->holder != holder_) return std::optional<std::string>();
    return std::optional<std::string>(holder_ + " 0");  // expired: free for the next
  });
}

}  // namespace coproxy
