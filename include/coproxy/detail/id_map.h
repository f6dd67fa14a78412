// IdMap: uint32_t id -> V, open addressing with linear probing and backward-shift deletion.
// Context ids and callout tokens are dense small integers; lookups stay O(1) at 100k entries
// and erase leaves no tombstones, so a long-running VM does not degrade.
//
// A slot is empty when its id is 0, so a lookup reads one word to know both whether the slot
// is used and whether it is the id's (no separate flag: a memory access less per lookup,
// which an interpreter pays for on every event). Id 0 itself, which the ABI does not promise
// never to use, lives in a side slot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace coproxy::detail {

template <class V>
class IdMap {
 public:
  IdMap() = default;
  // table_ points into slots_: a copy or a move would leave it pointing at the other's slots.
  IdMap(const IdMap&) = delete;
  IdMap& operator=(const IdMap&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Inline: an id is almost always in its home slot (ids are handed out in sequence), so a
  // lookup is a multiply, a compare and no call. Further along its probe run, out of line.
  [[gnu::always_inline]] V* find(uint32_t id) {
    Slot& slot = table_[home(id)];
    if (slot.id == id && id != 0) return &slot.value;
    return slot.id != 0 || id == 0 ? find_further(id) : nullptr;
  }
  const V* find(uint32_t id) const { return const_cast<IdMap*>(this)->find(id); }

  // Inserts id -> value; returns false (and changes nothing) when id is present.
  // Inline: the id's home slot is almost always free and the table big enough.
  [[gnu::always_inline]] bool insert(uint32_t id, V value) {
    if (id != 0 && !over_load(size_ + 1)) {
      Slot& slot = table_[home(id)];
      if (slot.id == 0) {
        place(slot, id, std::move(value));
        return true;
      }
    }
    return insert_further(id, std::move(value));
  }

  // Removes id; returns false when it was absent.
  bool erase(uint32_t id) {
    V* found = find(id);
    if (found != nullptr) erase(found);
    return found != nullptr;
  }

  // Removes the entry `found` (from find(), no insert or erase since) points to.
  void erase(V* found) {
    erase_slot(reinterpret_cast<Slot*>(reinterpret_cast<char*>(found) - offsetof(Slot, value)));
  }

  template <class F>
  void for_each(F&& visit) {
    // The table's slots, then zero_: one call of `visit`, which the compiler then inlines.
    const size_t count = slots_.size();
    for (size_t i = 0; i <= count; ++i) {
      Slot& slot = i < count ? slots_[i] : zero_;
      if (i < count ? slot.id != 0 : zero_used_) visit(slot.id, slot.value);
    }
  }

 private:
  struct Slot {
    uint32_t id = 0;  // 0: empty (id 0 is in zero_)
    V value{};
  };

  // At most 7/8 full. Ids are mostly sequential and the multiplicative hash spreads a run of
  // them evenly, so probe runs stay short even this full; fuller tables keep 100,000 streams
  // in half the slots (bench/: bytes per suspended stream).
  bool over_load(size_t count) const { return count * 8 > (mask_ + 1) * 7; }
  size_t home(uint32_t id) const { return (id * 2654435769u) & mask_; }
  size_t next(size_t i) const { return (i + 1) & mask_; }

  [[gnu::always_inline]] void place(Slot& slot, uint32_t id, V&& value) {
    slot.id = id;
    slot.value = std::move(value);
    ++size_;
  }

  // A value that owns nothing (an id's context, a call) is left as it is.
  static void clear(Slot& slot) {
    if constexpr (!std::is_trivially_destructible_v<V>) slot.value = V{};
  }

  // Empties `slot` (zero_, or one of the table's), shifting back later entries of its probe
  // run whose home is not after it. By pointer: an index would cost a division by the slot
  // size. Out of line: at -O2 clang inlined it into every erase, 1.3 KB of hello.wasm.
  [[gnu::noinline]] void erase_slot(Slot* slot) {
    --size_;
    if (slot == &zero_) {
      zero_used_ = false;
      clear(zero_);
      return;
    }
    Slot* const end = table_ + mask_ + 1;
    Slot* hole = slot;
    for (Slot* later = hole + 1;; ++later) {
      if (later == end) later = table_;
      if (later->id == 0) break;
      const Slot* home_slot = table_ + home(later->id);
      const bool stays = hole < later ? (hole < home_slot && home_slot <= later)
                                      : (hole < home_slot || home_slot <= later);
      if (stays) continue;
      *hole = std::move(*later);
      hole = later;
    }
    hole->id = 0;
    clear(*hole);
  }

  [[gnu::noinline]] bool insert_further(uint32_t id, V value) {
    if (id == 0) {
      if (zero_used_) return false;
      zero_used_ = true;
      place(zero_, 0, std::move(value));
      return true;
    }
    if (over_load(size_ + 1)) grow();
    for (size_t i = home(id);; i = next(i)) {
      Slot& slot = table_[i];
      if (slot.id == 0) {
        place(slot, id, std::move(value));
        return true;
      }
      if (slot.id == id) return false;
    }
  }

  [[gnu::noinline]] V* find_further(uint32_t id) {
    if (id == 0) return zero_used_ ? &zero_.value : nullptr;
    for (size_t i = next(home(id));; i = next(i)) {
      Slot& slot = table_[i];
      if (slot.id == 0) return nullptr;
      if (slot.id == id) return &slot.value;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_ = std::vector<Slot>(old.empty() ? 16 : old.size() * 2);
    table_ = slots_.data();
    mask_ = slots_.size() - 1;
    size_ = zero_used_ ? 1 : 0;
    for (Slot& slot : old) {
      if (slot.id != 0) insert_further(slot.id, std::move(slot.value));
    }
  }

  // Before the first insert, table_ is this one empty slot (never written: a table that
  // small is over its load, so the first insert grows it), so that a lookup needs no test
  // for a missing table.
  static inline constinit Slot no_slots_[1] = {};

  std::vector<Slot> slots_;
  // slots_.data(), or no_slots_ before the first insert. Kept apart: testing slots_.empty()
  // instead loads two pointers, 164 more instructions per hello cycle (bench/).
  Slot* table_ = no_slots_;
  size_t mask_ = 0;        // slots_.size() - 1, or 0 for no_slots_
  size_t size_ = 0;        // with id 0
  Slot zero_;              // id 0's value, when zero_used_
  bool zero_used_ = false;
};

}  // namespace coproxy::detail
