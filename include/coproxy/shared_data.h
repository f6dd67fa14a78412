// Shared data: a key-value store shared by every plugin instance of one VM id (in Envoy: by
// every worker thread's VM of that vm_config), with compare-and-swap.
//
//   Result<SharedValue> v = get_shared_data("config");        // bytes and their cas
//   set_shared_data("config", "v2", v->cas);                  // CasMismatch if it changed
//   update_shared_data("seen", [](std::optional<std::string_view> now) { ... });  // retries
//   SharedCounter hits("hits");  hits.add(1);                 // an atomic-style counter
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "coproxy/host_bytes.h"
#include "coproxy/status.h"

namespace coproxy {

struct SharedValue {
  HostBytes value;
  uint32_t cas = 0;  // pass back to set_shared_data to write only if nobody wrote since
};

// NotFound when the key has never been set.
Result<SharedValue> get_shared_data(std::string_view key);
// Writes `value`. With cas != 0 the write happens only if the key's cas is still `cas`
// (CasMismatch otherwise); cas == 0 writes unconditionally.
Status set_shared_data(std::string_view key, std::string_view value, uint32_t cas = 0);

// A number as shared data holds it: decimal text ("42"), readable by any plugin and SDK.
struct SharedNumber {
  int64_t value = 0;
  uint32_t cas = 0;
};
// NotFound when never set; ParseFailure when the value is not a decimal number.
Result<SharedNumber> get_shared_number(std::string_view key);
Status set_shared_number(std::string_view key, int64_t value, uint32_t cas = 0);

// How many times an update is tried when other writers keep winning the race.
inline constexpr int kSharedUpdateAttempts = 16;

// Read-modify-write with compare-and-swap, retried while another writer got in between:
// `update(std::optional<std::string_view> current)` (nullopt: the key was never set) returns
// the new value, or std::nullopt to leave the key as it is. It may be called several times,
// so it must only compute. Errors: the host's; CasMismatch when every attempt lost the race.
template <class Update>
Status update_shared_data(std::string_view key, Update&& update,
                          int attempts = kSharedUpdateAttempts) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    Result<SharedValue> current = get_shared_data(key);
    if (!current.ok() && current.status().code() != StatusCode::NotFound) return current.status();
    std::optional<std::string> next =
        current.ok() ? update(std::optional<std::string_view>(current->value.view()))
                     : update(std::optional<std::string_view>());
    if (!next) return StatusCode::Ok;
    // A key never set is written with cas 0, unconditionally: the ABI has no
    // create-if-absent, so two first writers of a key may both win, once.
    const Status written = set_shared_data(key, *next, current.ok() ? current->cas : 0);
    if (written.code() != StatusCode::CasMismatch) return written;
  }
  return StatusCode::CasMismatch;
}

// A counter in shared data, shared across VMs and threads: add() is a compare-and-swap loop
// on the decimal value; it allocates nothing of its own (the host hands the value in). As
// with update_shared_data, the very first write of a key is unconditional (cas 0), so two
// first adders racing on a new key may lose one increment, once.
class SharedCounter {
 public:
  explicit SharedCounter(std::string key) : key_(std::move(key)) {}
  const std::string& key() const { return key_; }

  // Adds `delta` and returns the new value (a key never set counts from 0); BadArgument when
  // the sum would overflow int64_t.
  Result<int64_t> add(int64_t delta = 1, int attempts = kSharedUpdateAttempts) const;
  // The current value; 0 when never set.
  Result<int64_t> get() const;

  // A quota on this counter, shared by every VM: adds `amount` only if the count stays within
  // `limit` (count + amount <= limit), in the same compare-and-swap loop as add(). `taken`
  // says whether it did; `remaining` is what is left under the limit afterwards (0 when full).
  //   Result<QuotaTake> take = SharedCounter("quota:" + client).take_if_below(100);
  //   if (take.ok() && !take->taken) return send_local_response(429, "quota spent");
  struct QuotaTake {
    bool taken = false;
    int64_t remaining = 0;
  };
  Result<QuotaTake> take_if_below(int64_t limit, int64_t amount = 1,
                                  int attempts = kSharedUpdateAttempts) const;
  Status set(int64_t value) const { return set_shared_number(key_, value); }

 private:
  std::string key_;
};

}  // namespace coproxy
