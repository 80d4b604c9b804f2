// The hand loops' event list: a binary min-heap over a fixed array, ordered by (time, seq).
// `seq` makes simultaneous events run in scheduling order, never in an order that depends on
// the heap's layout. replace_top() exists because almost every event schedules a follow-up:
// "pop + push" as one sift-down saves a sift-up per event over std::priority_queue.
// Header-only and free of takt, so sl10_handloop.cpp still builds on its own with g++.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>

namespace takt::bench {

/// `Event` needs members `time` and `seq`; at most `kCapacity` events are pending.
template <class Event, std::size_t kCapacity>
class FixedHeap {
 public:
  bool is_empty() const { return size_ == 0; }
  const Event& top() const { return slots_[0]; }

  void push(const Event& e) {
    assert(size_ < kCapacity && "more pending events than the heap holds");
    std::size_t hole = size_++;
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / 2;
      if (!is_earlier(e, slots_[parent])) break;
      slots_[hole] = slots_[parent];
      hole = parent;
    }
    slots_[hole] = e;
  }
  void pop() { sift_down(slots_[--size_]); }
  void replace_top(const Event& e) { sift_down(e); }

 private:
  static bool is_earlier(const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  }
  // Places e in the hole at the root, moving earlier children up.
  void sift_down(const Event& e) {
    std::size_t hole = 0;
    for (;;) {
      std::size_t child = 2 * hole + 1;
      if (child >= size_) break;
      if (child + 1 < size_ && is_earlier(slots_[child + 1], slots_[child])) ++child;
      if (!is_earlier(slots_[child], e)) break;
      slots_[hole] = slots_[child];
      hole = child;
    }
    slots_[hole] = e;
  }

  std::array<Event, kCapacity> slots_{};
  std::size_t size_ = 0;
};

}  // namespace takt::bench
