// Streaming statistics: nothing is stored per observation, so memory stays flat however long
// the run. Each accumulator can be reset at the end of a warm-up.
#pragma once

#include <array>
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

/// An integral of a level over time, in level x ticks. 128 bits where the compiler has them:
/// a million vehicles over a hundred years is 3e21, beyond 64 bits.
#if defined(__SIZEOF_INT128__)
__extension__ using WideTicks = __int128;
#else
using WideTicks = long double;
#endif

/// The time average over [start, now] of a level whose integral there is `area` (level x
/// ticks); `level` itself when no time has passed. TimeAverage::mean and anything that knows
/// its area another way (a buffer sums its jobs' waits) compute it alike, to the last bit.
double time_average(WideTicks area, Time start, Time now, std::int64_t level);

/// Time-weighted average of a piecewise-constant whole-number level (WIP, queue length).
/// Like StateTimer it keeps `offset` = (area so far) - level * t, so a change of level is one
/// integer multiply-add and the area at t' is offset + level * t'; exact in integer ticks.
class TimeAverage {
 public:
  explicit TimeAverage(Time start = Time::zero(), std::int64_t level = 0)
      : start_(start), level_(level), max_(level), offset_(-WideTicks(level) * start.count()) {}
  /// The level changes to `level` at `now` (now never decreases).
  void set(Time now, std::int64_t level) {
    offset_ += WideTicks(level_ - level) * now.count();
    level_ = level;
    if (level > max_) max_ = level;
  }
  void add(Time now, std::int64_t delta) { set(now, level_ + delta); }
  /// Forgets the past (end of warm-up) but keeps the current level.
  void reset(Time now) {
    start_ = now;
    offset_ = -WideTicks(level_) * now.count();
    max_ = level_;
  }
  std::int64_t level() const { return level_; }
  std::int64_t max() const { return max_; }
  /// Average level over [reset time, now]; the current level when no time has passed.
  double mean(Time now) const;
  /// Integral of the level over [reset time, now], in level x seconds.
  double integral(Time now) const;

 private:
  WideTicks ticks(Time now) const { return offset_ + WideTicks(level_) * now.count(); }
  Time start_;
  std::int64_t level_ = 0, max_ = 0;
  WideTicks offset_ = 0;  // area so far minus level * now, in level x ticks
};

/// Told when a StateTimer's watched states go from holding no member to holding some, or back.
/// The edges are logged and handed over in batches, in the order they came, so that a
/// station's hot path makes no call at an edge and a pair that changes nothing is dropped
/// before any work is done on it.
class EdgeListener {
 public:
  /// Edges handed over at a time. Long batches let a listener work each unit's edges together
  /// (ActivePeriods groups them by unit): a plant of 30 units gets about 30 edges a unit.
  static constexpr std::size_t kLog = 1024;
  struct Edge {
    Time at;
    std::uint32_t id;
    bool none;  // the watched states hold no member from `at` on
  };
  /// Logs an edge; on_edges sees it at the latest when the log is full or drain() is called.
  void edge(Time now, std::uint32_t id, bool none) {
    // An edge that undoes the last one at the same instant cancels it: a station starved or
    // blocked for no time (a line of equal constant cycles, whose neighbours finish at one
    // instant, makes about 18 such pairs per job) changed nothing a listener could see.
    if (logged_ > 0) {
      const Edge& last = log_[logged_ - 1];
      if (last.at == now && last.id == id && last.none != none) {
        --logged_;
        return;
      }
    }
    log_[logged_++] = {now, id, none};
    if (logged_ == kLog) drain();
  }
  /// Hands every logged edge to on_edges: call before reading what they change.
  void drain() {
    const std::size_t n = logged_;
    logged_ = 0;
    on_edges(log_.data(), n);
  }

 protected:
  ~EdgeListener() = default;
  virtual void on_edges(const Edge* edges, std::size_t n) = 0;

 private:
  std::array<Edge, kLog> log_;
  std::size_t logged_ = 0;
};

/// Time spent in each of a fixed set of states by a group of members (the servers of a
/// station, say): updates touch only the states that change, so each costs O(1).
///
/// Each state keeps its member count and `offset` = (area so far) - count * t, so that the
/// area at any later time t' is offset + count * t'. A member entering at t then costs
/// `offset -= t` and leaving `offset += t`: no multiplication and no read of when the state
/// last changed, on the hottest path of every station. All in integer ticks, hence exact (the
/// products stay below 2^63 up to about 290,000 member-years: the limits of 2,000 servers or
/// positions and 100-year horizons in docs/reliability.md keep them below 200,000).
class StateTimer {
 public:
  /// At most kMaxStates states: they live inside the object, not behind a pointer, since a
  /// station touches them at every job.
  static constexpr std::size_t kMaxStates = 8;
  explicit StateTimer(std::size_t states = 0, Time start = Time::zero());
  /// Moves `n` members from state `from` to state `to` at `now` (n < 0: -n from `to` to `from`).
  void move(Time now, std::size_t from, std::size_t to, int n = 1) {
    if (from == to) return;
    shift(now, from, -n);
    shift(now, to, n);
    // One test for the watch, not one per side: most moves cross between a watched and an
    // unwatched state, and the mask is zero without a listener.
    const int watched = static_cast<int>((watched_mask_ >> to) & 1u) -
                        static_cast<int>((watched_mask_ >> from) & 1u);
    if (watched != 0) watch_step(now, watched * n);
  }
  /// Adds `n` (possibly negative) members to `state` at `now`.
  void add(Time now, std::size_t state, int n) {
    shift(now, state, n);
    if (((watched_mask_ >> state) & 1u) != 0) watch_step(now, n);
  }
  /// Tells `listener` (with `id`) whenever the states in `state_mask` (bit s for state s)
  /// together go from no member to some or back; nullptr stops it.
  void watch(std::uint32_t state_mask, EdgeListener* listener, std::uint32_t id);
  /// Members in the watched states now.
  int watched() const { return watched_; }
  int count(std::size_t state) const { return entries_[state].count; }
  void reset(Time now);
  /// Member-time in `state` since the reset, in member x ticks.
  double area(Time now, std::size_t state) const { return static_cast<double>(ticks(now, state)); }
  /// Share of all member-time spent in `state` since the reset (0 when no time has passed).
  double share(Time now, std::size_t state) const;
  std::size_t states() const { return states_; }

 private:
  struct Entry {
    int count = 0;
    std::int64_t offset = 0;  // area so far minus count * now, in member x ticks
  };
  std::int64_t ticks(Time now, std::size_t state) const {
    const Entry& e = entries_[state];
    return e.offset + static_cast<std::int64_t>(e.count) * now.count();
  }
  void shift(Time now, std::size_t state, int n) {
    assert(state < states_ && "no such state");
    Entry& e = entries_[state];
    e.offset -= static_cast<std::int64_t>(n) * now.count();
    e.count += n;
    assert(e.count >= 0 && "a state cannot hold fewer than zero members");
  }
  // Inline: only an edge is logged, which most steps of a station with several slots are not.
  void watch_step(Time now, int n) {
    const bool none_before = watched_ == 0;
    watched_ += n;
    if ((watched_ == 0) != none_before) listener_->edge(now, watch_id_, watched_ == 0);
  }
  std::array<Entry, kMaxStates> entries_{};
  std::size_t states_ = 0;
  // The watch: the mask is zero while no listener is set, so one test covers both.
  EdgeListener* listener_ = nullptr;
  std::uint32_t watched_mask_ = 0, watch_id_ = 0;
  int watched_ = 0;  // members in the watched states
};

}  // namespace takt::sim
