// The future event list: a 4-ary heap ordered by (time, priority, sequence number), so the
// order of events is total and never depends on addresses. Slots are recycled, so scheduling
// allocates nothing once the queue has grown to its working size.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "takt/sim/time.hpp"

namespace takt::sim {

/// Receives events; `tag` lets one object tell its kinds of event apart without allocation.
class EventHandler {
 public:
  virtual void on_event(std::uint32_t tag) = 0;

 protected:
  ~EventHandler() = default;
};

/// Refers to a scheduled event; stays safe to use after the event fired or was cancelled.
struct EventHandle {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  bool is_null() const { return slot == UINT32_MAX; }
};

class EventQueue {
 public:
  struct Fired {
    Time time;
    EventHandler* handler;
    std::uint32_t tag;
  };

  /// Schedules an event; lower `priority` fires first among events at the same time.
  EventHandle push(Time time, int priority, EventHandler* handler, std::uint32_t tag);
  /// Removes a pending event; false when it already fired or was cancelled.
  bool cancel(EventHandle handle);
  bool is_pending(EventHandle handle) const {
    return handle.slot < slots_.size() && slots_[handle.slot].generation == handle.generation;
  }
  /// The time of a pending event (asserts that it is pending).
  Time time_of(EventHandle handle) const {
    assert(is_pending(handle) && "time_of() needs a pending event");
    return slots_[handle.slot].time;
  }

  bool empty() const { return live_ == 0; }
  /// Pending events (a fired event still held at the root is not one).
  std::size_t size() const { return live_; }
  /// Time of the earliest pending event; Time::max() when empty.
  Time next_time();
  /// Removes and returns the earliest event (asserts non-empty).
  Fired pop() {
    const Fired fired = fire();
    retire();
    return fired;
  }
  /// The run loop's pop, in two halves. fire() returns the earliest event and makes it no
  /// longer pending (its handle goes stale) but leaves its entry at the root; the first push()
  /// before retire() takes over the root with one sift-down instead of a sift-down (the pop)
  /// plus a sift-up (the push). Almost every event schedules a follow-up, so this saves about
  /// a third of the heap work. retire() removes the root if no push took it over.
  Fired fire();
  void retire() {
    if (!has_fired_root_) return;
    free_slots_.push_back(heap_.front().slot);
    remove_root();
  }
  void clear();

 private:
  // Priorities take the top 16 bits of the order key, sequence numbers the remaining 47: 1.4e14
  // events per run before the sequence would spill into the priority, far beyond any run.
  static constexpr int kSequenceBits = 47;
  static constexpr std::size_t kArity = 4;

  // An entry is live while its slot still has the entry's generation. Cancelling bumps the
  // generation and leaves the entry where it is, to be dropped when it reaches the root: the
  // sift loops then move entries only and never write back where each one went, which is
  // most of what an indexed heap costs.
  // The key is stored as the comparisons use it: time and order with their sign bits flipped,
  // so that unsigned order is signed order. Building it at each comparison cost a sixth of
  // the sift-down's instructions; the time is flipped back only when an event fires.
  struct Entry {
    std::uint64_t time_key;   // the time's ticks, sign bit flipped
    std::uint64_t order_key;  // priority in the high bits, sequence in the low bits, sign flipped
    std::uint32_t slot;
    std::uint32_t generation;
    Time time() const { return Time::ticks(static_cast<std::int64_t>(time_key ^ kSign)); }
  };
  static constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  static std::uint64_t flipped(std::int64_t v) { return static_cast<std::uint64_t>(v) ^ kSign; }
  struct Slot {
    EventHandler* handler = nullptr;
    Time time;
    std::uint32_t tag = 0;
    std::uint32_t generation = 0;  // bumped when the event fires or is cancelled
  };

#if defined(__SIZEOF_INT128__) && !defined(TAKT_NO_INT128)
  // (time, order) as one 128-bit number: the comparison compiles to a compare and a
  // subtract-with-borrow, with no branch.
  // (unsigned __int128 is a GCC and Clang extension; TAKT_NO_INT128 builds the fallback below,
  // which tests/CMakeLists.txt tests too.)
  __extension__ using Key = unsigned __int128;
  static Key key_of(const Entry& e) { return (Key{e.time_key} << 64) | e.order_key; }
  // For the tournament among children, whose outcome is a coin toss.
  static bool before_branchless(const Entry& a, const Entry& b) { return key_of(a) < key_of(b); }
#else
  // The same order in two words, with non-short-circuit operators so that a compiler can
  // still do without a branch.
  static bool before_branchless(const Entry& a, const Entry& b) {
    return (a.time_key < b.time_key) | ((a.time_key == b.time_key) & (a.order_key < b.order_key));
  }
#endif
  // For decisions that usually go one way (does e sink further?): a branch predicted right
  // costs less than the 128-bit compare.
  static bool before(const Entry& a, const Entry& b) {
    return a.time_key < b.time_key || (a.time_key == b.time_key && a.order_key < b.order_key);
  }
  static std::int64_t order_key(int priority, std::int64_t sequence) {
    assert(priority >= -16384 && priority < 16384 && "event priority out of range");
    return (static_cast<std::int64_t>(priority) * (std::int64_t{1} << kSequenceBits)) + sequence;
  }
  bool is_live(const Entry& e) const { return slots_[e.slot].generation == e.generation; }
  std::uint32_t new_slot();
  /// The slot's event is no longer pending (fired or cancelled); the slot is not yet free.
  void invalidate(std::uint32_t slot);
  /// invalidate(), and the slot goes onto the free list.
  void release(std::uint32_t slot);
  void sift_up(std::size_t index, Entry e);
  static std::size_t earliest_child(const Entry* heap, std::size_t first, std::size_t n);
  void sift_down(std::size_t index, Entry e);
  void remove_root();
  void drop_dead_roots();
  void compact();

  std::vector<Entry> heap_;  // live entries and dead ones (cancelled, not yet at the root)
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::int64_t sequence_ = 0;
  std::size_t live_ = 0;
  // Invariant: when set, heap_[0] is the event fire() returned, its slot's generation is
  // already bumped (but the slot is not on free_slots_: the next push() or retire() takes
  // it), and every other entry orders after it.
  bool has_fired_root_ = false;
};

inline EventHandle EventQueue::push(Time time, int priority, EventHandler* handler,
                                    std::uint32_t tag) {
  // The handler's first schedule takes over the fired event's slot with its root: no trip
  // through the free list.
  const std::uint32_t slot = has_fired_root_ ? heap_.front().slot : new_slot();
  Slot& s = slots_[slot];
  s.handler = handler;
  s.time = time;
  s.tag = tag;
  ++live_;
  const Entry e{flipped(time.count()), flipped(order_key(priority, sequence_++)), slot,
                s.generation};
  if (has_fired_root_) {
    // Replacing the root and sifting down restores the heap whatever e's key is.
    has_fired_root_ = false;
    sift_down(0, e);
  } else {
    heap_.emplace_back();
    sift_up(heap_.size() - 1, e);
  }
  return EventHandle{slot, s.generation};
}

inline std::uint32_t EventQueue::new_slot() {
  if (free_slots_.empty()) {
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  const std::uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

inline void EventQueue::invalidate(std::uint32_t slot) {
  ++slots_[slot].generation;  // invalidates outstanding handles and the slot's heap entry
  --live_;
}

inline void EventQueue::release(std::uint32_t slot) {
  invalidate(slot);
  free_slots_.push_back(slot);
}

inline EventQueue::Fired EventQueue::fire() {
  assert(!has_fired_root_ && live_ > 0 && "fire() needs a pending event and no fired root");
  if (!is_live(heap_.front())) drop_dead_roots();
  const Entry& top = heap_.front();
  const Slot& s = slots_[top.slot];
  const Fired fired{top.time(), s.handler, s.tag};
  // No longer pending, but not yet free: the handler's first push() reuses the slot, retire()
  // frees it.
  invalidate(top.slot);
  has_fired_root_ = true;
  return fired;
}

inline Time EventQueue::next_time() {
  assert(!has_fired_root_ && "next_time() between fire() and retire()");
  if (live_ == 0) return Time::max();
  if (!is_live(heap_.front())) drop_dead_roots();
  return heap_.front().time();
}

// Inline: every schedule() from a handler (almost every event) ends in a sift-down.
// The earliest of the children first, first + 1, ... (those below n).
inline std::size_t EventQueue::earliest_child(const Entry* heap, std::size_t first, std::size_t n) {
  static_assert(kArity == 4, "the tournament picks one of four children");
  if (first + kArity <= n) {
    const std::size_t a =
        first + static_cast<std::size_t>(before_branchless(heap[first + 1], heap[first]));
    const std::size_t b =
        first + 2 + static_cast<std::size_t>(before_branchless(heap[first + 3], heap[first + 2]));
    return before_branchless(heap[b], heap[a]) ? b : a;
  }
  std::size_t child = first;
  for (std::size_t c = first + 1; c < n; ++c) {
    if (before(heap[c], heap[child])) child = c;
  }
  return child;
}

inline void EventQueue::sift_down(std::size_t index, Entry e) {
  Entry* const heap = heap_.data();
  const std::size_t n = heap_.size();
  for (;;) {
    const std::size_t first = kArity * index + 1;
    if (first >= n) break;
    const std::size_t child = earliest_child(heap, first, n);
    if (!before(heap[child], e)) break;
    heap[index] = heap[child];
    index = child;
  }
  heap[index] = e;
}

}  // namespace takt::sim
