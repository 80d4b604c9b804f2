// The busy slots of a station that finishes its jobs in the order it started them (an oven:
// several places, one fixed time), oldest first. Only the oldest needs a completion event, so
// an oven of fifty bodies puts one event on the event list instead of fifty. A ring of
// `servers` places: no allocation per job. Its three fields are the ones the station held
// before the ring had a type, in the same order, so the station's layout did not change.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace takt::models {

class InOrderRing {
 public:
  /// Room for `places` slots (call once, when the station knows it finishes in order).
  void reserve(std::size_t places) { ring_.resize(places); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// The slot index of the k-th oldest busy slot.
  std::uint32_t at(std::size_t k) const { return ring_[(head_ + k) % ring_.size()]; }
  std::uint32_t oldest() const { return ring_[head_]; }
  /// A slot started a job: it is the newest. Returns whether it is the only one (and so
  /// needs the completion event).
  bool push(std::uint32_t slot) {
    ring_[(head_ + size_++) % ring_.size()] = slot;
    return size_ == 1;
  }
  /// The oldest slot finished; returns whether another is left (whose event is then due).
  bool pop_oldest() {
    assert(size_ > 0);
    head_ = (head_ + 1) % ring_.size();
    return --size_ > 0;
  }

 private:
  std::vector<std::uint32_t> ring_;
  std::size_t head_ = 0, size_ = 0;
};

}  // namespace takt::models
