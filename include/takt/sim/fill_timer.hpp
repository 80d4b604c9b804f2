// The time a bounded count (the jobs in a queue of some capacity) spends empty, partly filled
// and full, updated by the count's own steps of one. Nothing stored per step.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "takt/sim/time.hpp"

namespace takt::sim {

/// Like a StateTimer over the three fill states, for a count that moves by one. Only two
/// edges matter, leaving or entering empty and entering or leaving full, and which of them a
/// step crosses is known from the size before it: a step adds `now` to an edge's offset when
/// it crosses it and 0 when it does not, masked rather than branched, because on a busy line
/// whether a step crosses an edge is a coin toss that a branch predictor loses. The partly
/// filled time is what is left of the span. Exact in integer ticks.
///
/// The count is the owner's (a buffer's size); it passes it in, so it is never kept twice.
/// Full means at least max(capacity, 1): a hand-off place of capacity 0 holding its one job
/// for an instant counts as full, as the fill state of its size would say.
class FillTimer {
 public:
  enum Fill : std::size_t { kEmpty = 0, kPartial = 1, kFull = 2 };

  /// Starts empty at `start`.
  explicit FillTimer(std::size_t capacity, Time start = Time::zero())
      : full_at_(std::max<std::size_t>(capacity, 1)), start_(start) {}

  /// One job came in; the count was `before`.
  void entered(Time now, std::size_t before) {
    const std::int64_t t = now.count();
    empty_offset_ += t & mask(before == 0);
    full_offset_ -= t & mask(before + 1 == full_at_);
  }
  /// One job left; the count was `before`.
  void left(Time now, std::size_t before) {
    const std::int64_t t = now.count();
    empty_offset_ -= t & mask(before == 1);
    full_offset_ += t & mask(before == full_at_);
  }
  /// Forgets the past (end of warm-up); the count is now `size`.
  void reset(Time now, std::size_t size);
  /// Share of the time since the reset spent in `f`, the count being `size` now (0 when no
  /// time has passed).
  double share(Time now, std::size_t size, Fill f) const;

 private:
  // Ticks spent in `f` since the reset.
  std::int64_t ticks(Time now, std::size_t size, Fill f) const;
  static std::int64_t mask(bool b) { return -static_cast<std::int64_t>(b); }

  std::size_t full_at_;
  Time start_;
  // (ticks in the state so far) - (1 if in the state now) x now, as in StateTimer: a step
  // into the state subtracts now, a step out adds it.
  std::int64_t empty_offset_ = 0, full_offset_ = 0;
};

}  // namespace takt::sim
