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
  /// A member of `unit` became active (`none`: none of its slots inactive) or inactive.
  void on_edge(sim::Time now, std::uint32_t unit, bool none) override;

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
  static constexpr std::uint32_t kNone = UINT32_MAX;
  struct Period {
    std::uint32_t unit;
    sim::Time begin, end;
  };
  struct Overlaps;
  void paint(std::vector<std::uint32_t>& best, std::vector<Period>& periods, const Period& p) const;
  bool longer(const Period& a, const Period& b) const;
  void paint_open(sim::Time now);
  Overlaps overlaps(std::size_t end) const;
  std::size_t bucket_at(sim::Time t) const;
  void compact();
  static constexpr std::size_t kCompactSlack = 1u << 16;
  std::size_t compact_at_ = kCompactSlack;

  sim::Time bucket_;
  std::vector<std::uint32_t> best_;  // per bucket: the longest period so far covering its middle
  std::vector<Period> periods_;      // those that won some bucket
  struct Unit {
    int inactive = 0;      // members not active
    bool open = false;     // in an active period since `begin`
    bool closing = false;  // its period ended at `end`, unless it goes on at that instant
    sim::Time begin, end;
  };
  std::vector<Unit> units_;
};

}  // namespace takt::models
