// Indexed binary heap: each slot knows its heap position, so cancellation is O(log n) and
// leaves no tombstones behind to slow later pops.
#include "takt/sim/event_queue.hpp"

namespace takt::sim {

Time EventQueue::time_of(EventHandle h) const {
  assert(is_pending(h) && "time_of() needs a pending event");
  return heap_[slots_[h.slot].heap_index].time;
}

bool EventQueue::cancel(EventHandle h) {
  if (!is_pending(h)) return false;
  // A fired root is never pending, so this never removes it; and since every other entry
  // orders after it, re-sifting the moved entry never passes it.
  remove_at(slots_[h.slot].heap_index);
  return true;
}

void EventQueue::clear() {
  for (std::size_t i = has_fired_root_ ? 1 : 0; i < heap_.size(); ++i) {
    Slot& s = slots_[heap_[i].slot];
    s.heap_index = kNotPending;
    ++s.generation;
    free_slots_.push_back(heap_[i].slot);
  }
  heap_.clear();
  has_fired_root_ = false;
}

// The sift loops work on raw pointers: the vectors do not change size inside them, and the
// compiler then need not reload the vectors' data pointers after every store.
void EventQueue::sift_up(std::size_t index, Entry e) {
  Entry* const heap = heap_.data();
  Slot* const slots = slots_.data();
  while (index > 0) {
    const std::size_t parent = (index - 1) / 2;
    if (!before(e, heap[parent])) break;
    heap[index] = heap[parent];
    slots[heap[index].slot].heap_index = static_cast<std::uint32_t>(index);
    index = parent;
  }
  heap[index] = e;
  slots[e.slot].heap_index = static_cast<std::uint32_t>(index);
}

void EventQueue::sift_down(std::size_t index, Entry e) {
  Entry* const heap = heap_.data();
  Slot* const slots = slots_.data();
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * index + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap[child + 1], heap[child])) ++child;
    if (!before(heap[child], e)) break;
    heap[index] = heap[child];
    slots[heap[index].slot].heap_index = static_cast<std::uint32_t>(index);
    index = child;
  }
  heap[index] = e;
  slots[e.slot].heap_index = static_cast<std::uint32_t>(index);
}

void EventQueue::remove_at(std::size_t index) {
  const std::uint32_t slot = heap_[index].slot;
  slots_[slot].heap_index = kNotPending;
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

// The fired root's slot was released by fire(); only its heap place is left to fill.
void EventQueue::remove_fired_root() {
  has_fired_root_ = false;
  const Entry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
}

}  // namespace takt::sim
