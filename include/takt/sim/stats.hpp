// Streaming statistics: nothing is stored per observation, so memory stays flat however long
// the run. Each accumulator can be reset at the end of a warm-up.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

#include "takt/sim/time.hpp"

namespace takt::sim {

/// Mean, variance (Welford), min and max of observations.
class Tally {
 public:
  void add(double x);
  void reset() { *this = Tally(); }
  std::uint64_t count() const { return n_; }
  double mean() const { return n_ > 0 ? mean_ : 0.0; }
  /// Sample variance (n - 1); 0 with fewer than two observations.
  double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
  double stddev() const;
  double min() const { return min_; }
  double max() const { return max_; }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0, m2_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

/// Time-weighted average of a piecewise-constant level (WIP, queue length, utilisation).
class TimeAverage {
 public:
  explicit TimeAverage(Time start = Time::zero(), double level = 0) : since_(start), level_(level), max_(level) {}
  /// The level changes to `level` at `now` (now never decreases).
  void set(Time now, double level) {
    area_ += level_ * static_cast<double>((now - since_).count());
    since_ = now;
    level_ = level;
    if (level > max_) max_ = level;
  }
  void add(Time now, double delta) { set(now, level_ + delta); }
  /// Forgets the past (end of warm-up) but keeps the current level.
  void reset(Time now) {
    area_ = 0;
    start_ = since_ = now;
    max_ = level_;
  }
  double level() const { return level_; }
  double max() const { return max_; }
  /// Average level over [reset time, now]; the current level when no time has passed.
  double mean(Time now) const;
  /// Integral of the level over [reset time, now], in level x seconds.
  double integral(Time now) const;

 private:
  Time start_, since_;
  double level_ = 0, area_ = 0, max_ = 0;
};

/// Time spent in each of a fixed set of states by a group of members (the servers of a
/// station, say): updates touch only the states that change, so each costs O(1).
class StateTimer {
 public:
  explicit StateTimer(std::size_t states = 0, Time start = Time::zero());
  /// Moves `n` members from state `from` to state `to` at `now`.
  void move(Time now, std::size_t from, std::size_t to, int n = 1) {
    if (from == to) return;
    add(now, from, -n);
    add(now, to, n);
  }
  /// Adds `n` (possibly negative) members to `state` at `now`.
  void add(Time now, std::size_t state, int n) {
    Entry& e = entries_[state];
    flush(now, e);
    e.count += n;
    assert(e.count >= 0 && "a state cannot hold fewer than zero members");
  }
  int count(std::size_t state) const { return entries_[state].count; }
  void reset(Time now);
  /// Member-time in `state` since the reset, in member x ticks.
  double area(Time now, std::size_t state) const;
  /// Share of all member-time spent in `state` since the reset (0 when no time has passed).
  double share(Time now, std::size_t state) const;
  std::size_t states() const { return entries_.size(); }

 private:
  struct Entry {
    int count = 0;
    Time since;
    double area = 0;
  };
  void flush(Time now, Entry& e) {
    e.area += static_cast<double>(e.count) * static_cast<double>((now - e.since).count());
    e.since = now;
  }
  std::vector<Entry> entries_;
};

}  // namespace takt::sim
