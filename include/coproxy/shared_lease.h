// SharedLease: one VM, of all that share the host's data, does a piece of work, and the others
// read what it wrote. In Envoy each worker thread runs its own VM of a plugin: a poller written
// as a background loop makes one callout per worker per period, unless a lease elects one.
//
//   coproxy::SharedLease lease{"config_poller", std::chrono::seconds(3)};  // a member
//   Result<bool> mine = lease.hold();               // each round, before the work
//   if (mine.ok() && *mine) { ...fetch, then set_shared_data("config", body)... }
//   ...every VM, holder or not, reads get_shared_data("config")...
//
// The lease is one shared value, "HOLDER EXPIRY": this VM's holder name and when, on the host's
// clock, the lease runs out. hold() takes a lease that is free or expired and renews one this
// VM holds, by compare-and-swap, so that of VMs asking together one wins. A holder that stops
// renewing (its loop ended, its VM went away) loses the lease after `ttl`, and the next VM to
// ask takes it: choose `ttl` longer than two rounds, so that one slow round does not hand it
// over. The ABI has no create-if-absent: VMs asking for a lease never written, at the same
// instant, may each hold it for that one round; the next renewal leaves one.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "coproxy/status.h"

namespace coproxy {

class SharedLease {
 public:
  SharedLease(std::string key, std::chrono::milliseconds ttl) : key_(std::move(key)), ttl_(ttl) {}

  // True when this VM holds the lease now (taken or renewed for `ttl` from now); false when
  // another VM holds it. Errors: the host's, or CasMismatch when other writers kept winning.
  Result<bool> hold();
  // Gives the lease up now if this VM holds it: the next VM to ask takes it at once.
  Status release();

  const std::string& key() const { return key_; }
  // This VM's name in the lease (empty before the first hold): "N.T", a number shared data
  // hands out and the host's clock at that moment.
  const std::string& holder() const { return holder_; }

 private:
  Status name_holder();

  std::string key_;
  std::chrono::milliseconds ttl_;
  std::string holder_;
};

}  // namespace coproxy
