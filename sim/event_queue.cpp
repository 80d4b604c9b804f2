// Indexed binary heap: each slot knows its heap position, so cancellation is O(log n) and
// leaves no tombstones behind to slow later pops.
#include "takt/sim/event_queue.hpp"

#include <cassert>

namespace takt::sim {
namespace {

// Priorities take the top 16 bits of the order key, sequence numbers the remaining 47: 1.4e14
// events per run before the sequence would spill into the priority, far beyond any run.
constexpr int kSequenceBits = 47;

std::int64_t order_key(int priority, std::int64_t sequence) {
  assert(priority >= -16384 && priority < 16384 && "event priority out of range");
  return (static_cast<std::int64_t>(priority) * (std::int64_t{1} << kSequenceBits)) + sequence;
}

}  // namespace

EventHandle EventQueue::push(Time time, int priority, EventHandler* handler, std::uint32_t tag) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot];
  s.handler = handler;
  s.tag = tag;
  heap_.emplace_back();
  sift_up(heap_.size() - 1, Entry{time, order_key(priority, sequence_++), slot});
  return EventHandle{slot, s.generation};
}

bool EventQueue::is_pending(EventHandle h) const {
  return h.slot < slots_.size() && slots_[h.slot].generation == h.generation &&
         slots_[h.slot].heap_index != UINT32_MAX;
}

Time EventQueue::time_of(EventHandle h) const {
  assert(is_pending(h) && "time_of() needs a pending event");
  return heap_[slots_[h.slot].heap_index].time;
}

bool EventQueue::cancel(EventHandle h) {
  if (!is_pending(h)) return false;
  remove_at(slots_[h.slot].heap_index);
  return true;
}

EventQueue::Fired EventQueue::pop() {
  assert(!heap_.empty() && "pop() on an empty event queue");
  const Entry top = heap_.front();
  const Slot& s = slots_[top.slot];
  const Fired fired{top.time, s.handler, s.tag};
  remove_at(0);
  return fired;
}

void EventQueue::clear() {
  for (const Entry& e : heap_) {
    slots_[e.slot].heap_index = UINT32_MAX;
    ++slots_[e.slot].generation;
    free_slots_.push_back(e.slot);
  }
  heap_.clear();
}

void EventQueue::place(std::size_t index, const Entry& e) {
  heap_[index] = e;
  slots_[e.slot].heap_index = static_cast<std::uint32_t>(index);
}

void EventQueue::sift_up(std::size_t index, Entry e) {
  while (index > 0) {
    const std::size_t parent = (index - 1) / 2;
    if (!before(e, heap_[parent])) break;
    place(index, heap_[parent]);
    index = parent;
  }
  place(index, e);
}

void EventQueue::sift_down(std::size_t index, Entry e) {
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * index + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], e)) break;
    place(index, heap_[child]);
    index = child;
  }
  place(index, e);
}

void EventQueue::remove_at(std::size_t index) {
  const std::uint32_t slot = heap_[index].slot;
  slots_[slot].heap_index = UINT32_MAX;
  ++slots_[slot].generation;  // invalidates outstanding handles
  free_slots_.push_back(slot);
  const Entry last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;
  if (index > 0 && before(last, heap_[(index - 1) / 2])) {
    sift_up(index, last);
  } else {
    sift_down(index, last);
  }
}

}  // namespace takt::sim
