// Streaming accumulators; see stats.hpp for why nothing is stored per observation.
#include "takt/sim/stats.hpp"

#include <cassert>
#include <cmath>

namespace takt::sim {

void Tally::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
  if (x < min_) min_ = x;
  if (x > max_) max_ = x;
}

double Tally::stddev() const { return std::sqrt(variance()); }

double TimeAverage::integral(Time now) const {
  return static_cast<double>(ticks(now)) / static_cast<double>(Time::kTicksPerSecond);
}

double time_average(WideTicks area, Time start, Time now, std::int64_t level) {
  const auto span = (now - start).count();
  if (span <= 0) return static_cast<double>(level);
  const double seconds = static_cast<double>(area) / static_cast<double>(Time::kTicksPerSecond);
  return seconds * static_cast<double>(Time::kTicksPerSecond) / static_cast<double>(span);
}

double TimeAverage::mean(Time now) const { return time_average(ticks(now), start_, now, level_); }

StateTimer::StateTimer(std::size_t states, Time start) : states_(states) {
  assert(states <= kMaxStates && "too many states for a StateTimer");
  reset(start);
}

void StateTimer::reset(Time now) {
  for (std::size_t s = 0; s < states_; ++s)
    entries_[s].offset = -static_cast<std::int64_t>(entries_[s].count) * now.count();
}

void StateTimer::watch(std::uint32_t state_mask, EdgeListener* listener, std::uint32_t id) {
  listener_ = listener;
  watched_mask_ = listener != nullptr ? state_mask : 0;
  watch_id_ = id;
  watched_ = 0;
  for (std::size_t s = 0; s < states_; ++s) {
    if ((state_mask >> s) & 1u) watched_ += entries_[s].count;
  }
}

double StateTimer::share(Time now, std::size_t state) const {
  std::int64_t total = 0;
  for (std::size_t s = 0; s < states_; ++s) total += ticks(now, s);
  return total > 0 ? static_cast<double>(ticks(now, state)) / static_cast<double>(total) : 0.0;
}

}  // namespace takt::sim
