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
  const double ticks = area_ + level_ * static_cast<double>((now - since_).count());
  return ticks / static_cast<double>(Time::kTicksPerSecond);
}

double TimeAverage::mean(Time now) const {
  const auto span = (now - start_).count();
  if (span <= 0) return level_;
  return integral(now) * static_cast<double>(Time::kTicksPerSecond) / static_cast<double>(span);
}

StateTimer::StateTimer(std::size_t states, Time start) : entries_(states) {
  for (Entry& e : entries_) e.since = start;
}

void StateTimer::reset(Time now) {
  for (Entry& e : entries_) {
    e.area = 0;
    e.since = now;
  }
}

double StateTimer::area(Time now, std::size_t state) const {
  const Entry& e = entries_[state];
  return e.area + static_cast<double>(e.count) * static_cast<double>((now - e.since).count());
}

double StateTimer::share(Time now, std::size_t state) const {
  double total = 0;
  for (std::size_t s = 0; s < entries_.size(); ++s) total += area(now, s);
  return total > 0 ? area(now, state) / total : 0.0;
}

}  // namespace takt::sim
