// Shifting bottlenecks by the active-period method (Roser, Nakano and Tanaka, 2002). A unit (a
// station, an oven, a paced line; a station whose servers fail alone is one unit) is active
// while every slot of it works, is down or changes over, and inactive while any slot is
// starved, blocked, off shift or not yet started. At each moment the bottleneck is the unit
// whose uninterrupted active period around that moment is the longest. Where the periods of a
// bottleneck and of the next one overlap, both are shifting bottlenecks; elsewhere the
// bottleneck is the sole one.
//
// The moments are sampled: the middle of every bucket of `bucket()` length (one minute, or
// longer for horizons beyond about two years, so that at most kMaxBuckets are kept). Periods
// are known once they end; each then claims the buckets it covers where it is the longest so
// far, so memory is one period index per bucket and the periods that won some bucket.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "takt/sim/stats.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

class ActivePeriods final : public sim::EdgeListener {
 public:
  static constexpr std::size_t kMaxBuckets = std::size_t{1} << 20;

  ActivePeriods(std::size_t units, sim::Time horizon);

  /// Unit `unit` gains a member (a watched StateTimer), `active` now or not: the unit is active
  /// while all its members are.
  void add_member(std::uint32_t unit, bool active, sim::Time now);

  /// Bottleneck shares of one stretch of time: per unit, the share of the stretch's sampled
  /// moments that have a bottleneck (some unit active) at which it was the sole bottleneck,
  /// and at which it was a shifting one.
  struct Shares {
    std::vector<double> sole, shifting;
  };
  /// Over [from, now) (`window`), and over each month [month_starts[m], next start or now)
  /// (`months`, each from time zero), from one pass over the buckets. The periods still open
  /// are painted in as if they ended now; that changes nothing later (see paint_open), so the
  /// run may go on and report again.
  struct Report {
    Shares window;
    std::vector<Shares> months;
  };
  Report report(sim::Time from, const std::vector<sim::Time>& month_starts, sim::Time now);
  sim::Time bucket() const { return bucket_; }

 private:
  void on_edges(const Edge* edges, std::size_t n) override;
  /// A member of `unit` became active (`none`: none of its slots inactive) or inactive.
  void on_edge(sim::Time now, std::uint32_t unit, bool none);
  static constexpr std::uint32_t kNone = UINT32_MAX;
  struct Period {
    std::uint32_t unit;
    sim::Time begin, end;
  };
  struct Overlaps;
  void paint(const Period& p) { paint(p, bucket_at(p.begin), bucket_at(p.end)); }
  // `first` and `last` are bucket_at(p.begin) and bucket_at(p.end).
  void paint(const Period& p, std::size_t first, std::size_t last);
  bool longer(const Period& a, const Period& b) const;
  void paint_open(sim::Time now);
  Overlaps overlaps(std::size_t end) const;
  // The middles before t (at most buckets_): ceil((t - half) / bucket), by a multiplication
  // with the reciprocal, corrected to the exact quotient. Ticks stay below 2^53 (a 100-year
  // horizon is 3.2e15), where doubles hold them exactly and the estimate is off by one at most.
  std::size_t bucket_at(sim::Time t) const {
    const std::int64_t b = bucket_.count();
    if (t.count() <= b / 2) return 0;
    const std::int64_t x = t.count() - b / 2 + b - 1;
    auto q = static_cast<std::int64_t>(static_cast<double>(x) * per_bucket_);
    if (q * b > x) {
      --q;
    } else if ((q + 1) * b <= x) {
      ++q;
    }
    return std::min(buckets_, static_cast<std::size_t>(q));
  }
  // The buckets are reserved for the whole horizon but filled as time reaches them, so only
  // the pages of the time simulated become resident (a run that stops early, at stop_after,
  // touches a few), and no memset of up to 4 MB precedes every replication.
  void reach(std::size_t end) {
    if (end > best_.size()) best_.resize(std::min(buckets_, end + kReach), kNone);
  }
  static constexpr std::size_t kReach = 4096;
  void compact();
  static constexpr std::size_t kCompactSlack = 1u << 16;
  std::size_t compact_at_ = kCompactSlack;

  sim::Time bucket_;
  std::size_t buckets_ = 0;          // over the whole horizon
  double per_bucket_ = 0;            // 1 / bucket_, in ticks
  std::vector<std::uint32_t> best_;  // per bucket: the longest period so far covering its middle
  std::vector<Period> periods_;      // those that won some bucket
  struct Unit {
    int inactive = 0;      // members not active
    bool open = false;     // in an active period since `begin`
    bool closing = false;  // its period ended at `end`, unless it goes on at that instant
    sim::Time begin, end;
    std::size_t first = 0;  // bucket_at(begin): the period holds a middle if that one is before end
  };
  std::vector<Unit> units_;
  // on_edges' scratch: a batch's edges grouped by unit, and where each unit's group starts.
  std::vector<Edge> by_unit_;
  std::vector<std::uint32_t> unit_start_;
  // The periods of the batch that hold a sampled moment, painted once it is worked through.
  struct Ended {
    Period period;
    std::size_t first;  // bucket_at(period.begin)
  };
  std::vector<Ended> ended_;
  std::size_t ended_count_ = 0;
};

}  // namespace takt::models
