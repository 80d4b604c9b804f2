// The cold half of FillTimer: resets and read-outs.
#include "takt/sim/fill_timer.hpp"

namespace takt::sim {

void FillTimer::reset(Time now, std::size_t size) {
  start_ = now;
  empty_offset_ = -(now.count() & mask(size == 0));
  full_offset_ = -(now.count() & mask(size >= full_at_));
}

std::int64_t FillTimer::ticks(Time now, std::size_t size, Fill f) const {
  const std::int64_t empty = empty_offset_ + (now.count() & mask(size == 0));
  const std::int64_t full = full_offset_ + (now.count() & mask(size >= full_at_));
  if (f == kEmpty) return empty;
  if (f == kFull) return full;
  return (now - start_).count() - empty - full;
}

double FillTimer::share(Time now, std::size_t size, Fill f) const {
  const std::int64_t span = (now - start_).count();
  if (span <= 0) return 0.0;
  return static_cast<double>(ticks(now, size, f)) / static_cast<double>(span);
}

}  // namespace takt::sim
