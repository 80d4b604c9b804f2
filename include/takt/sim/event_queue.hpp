// The future event list: a binary heap ordered by (time, priority, sequence number), so the
// order of events is total and never depends on addresses. Slots are recycled, so scheduling
// allocates nothing once the queue has grown to its working size.
#pragma once

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
  bool is_pending(EventHandle handle) const;
  /// The time of a pending event (asserts that it is pending).
  Time time_of(EventHandle handle) const;

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  /// Time of the earliest event; Time::max() when empty.
  Time next_time() const { return heap_.empty() ? Time::max() : heap_.front().time; }
  /// Removes and returns the earliest event (asserts non-empty).
  Fired pop();
  void clear();

 private:
  struct Entry {
    Time time;
    std::int64_t order;  // priority in the high bits, sequence in the low bits
    std::uint32_t slot;
  };
  struct Slot {
    EventHandler* handler = nullptr;
    std::uint32_t tag = 0;
    std::uint32_t heap_index = UINT32_MAX;  // UINT32_MAX when not pending
    std::uint32_t generation = 0;
  };

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  void place(std::size_t index, const Entry& e);
  void sift_up(std::size_t index, Entry e);
  void sift_down(std::size_t index, Entry e);
  void remove_at(std::size_t index);

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::int64_t sequence_ = 0;
};

}  // namespace takt::sim
