// 4-ary heap with lazy cancellation: a cancelled entry stays in the heap, dead, until it
// reaches the root, where it is dropped; the heap is compacted when the dead outnumber the live.
// Four children a node halve the depth of a binary heap; the earliest of the four is found by a
// branch-free tournament (which of two entries is earlier is a coin toss the branch predictor
// would lose half the time), so a level costs three such comparisons and one predictable one.
#include "takt/sim/event_queue.hpp"

#include <algorithm>

namespace takt::sim {

bool EventQueue::cancel(EventHandle h) {
  if (!is_pending(h)) return false;
  release(h.slot);
  // Dead entries cost memory and sift work until they surface; a far-future event cancelled
  // again and again (a clock re-planned at every ramp step) must not let them pile up.
  if (heap_.size() > 2 * live_ + 64) compact();
  return true;
}

void EventQueue::clear() {
  if (has_fired_root_) free_slots_.push_back(heap_.front().slot);
  for (std::size_t i = has_fired_root_ ? 1 : 0; i < heap_.size(); ++i) {
    if (is_live(heap_[i])) release(heap_[i].slot);
  }
  heap_.clear();
  has_fired_root_ = false;
}

// The sift loops work on raw pointers: the vector does not change size inside them, and the
// compiler then need not reload its data pointer after every store.
void EventQueue::sift_up(std::size_t index, Entry e) {
  Entry* const heap = heap_.data();
  while (index > 0) {
    const std::size_t parent = (index - 1) / kArity;
    if (!before(e, heap[parent])) break;
    heap[index] = heap[parent];
    index = parent;
  }
  heap[index] = e;
}

// Removes heap_[0], whatever it is (the fired root or a dead entry). (Floyd's bottom-up way,
// sinking the hole to a leaf and letting the last entry rise, measured slower on SERES.)
void EventQueue::remove_root() {
  has_fired_root_ = false;
  const Entry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
}

void EventQueue::drop_dead_roots() {
  while (!heap_.empty() && !is_live(heap_.front())) remove_root();
}

// Keeps the live entries only. Their keys are unique, so the order in which they will pop
// does not depend on how the heap is laid out afterwards.
void EventQueue::compact() {
  const std::size_t first = has_fired_root_ ? 1 : 0;
  const auto dead = [this](const Entry& e) { return !is_live(e); };
  heap_.erase(std::remove_if(heap_.begin() + static_cast<std::ptrdiff_t>(first), heap_.end(), dead),
              heap_.end());
  for (std::size_t i = first; i < heap_.size(); ++i) sift_up(i, heap_[i]);
}

}  // namespace takt::sim
