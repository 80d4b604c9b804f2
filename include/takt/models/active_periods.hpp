// Shifting bottlenecks by the active-period method (Roser, Nakano and Tanaka, 2002). A unit (a
// station, an oven, a paced line; a station whose servers fail alone is one unit) is active
// while every member of it is: each piece of equipment says what its members watch (a slot
// that works, is down or changes over is active; one starved, blocked, off shift or not yet
// started is not; a station of several places and a paced line refine what starved means). At each
// moment the bottleneck is the unit whose uninterrupted active period around that moment is the
// longest. Where the periods of a bottleneck and of the next one overlap, both are shifting
// bottlenecks, and so are all the units whose periods around a moment are the longest alike
// (parallel copies that worked a whole shift without a wait); elsewhere the bottleneck is the
// sole one.
//
// The moments are sampled: the middle of every bucket of `bucket()` length (one minute, or
// longer for horizons beyond about two years, so that at most kMaxBuckets span the horizon).
// Periods are known once they end; each then claims the buckets it covers where it is the
// longest so far. A bucket is counted into its month's and the window's tallies, and let go,
// as soon as nothing can change what it counts: no period still to be painted covers it (every
// open period began after it), and every change of bottleneck whose overlap could make it a
// shifting moment has been seen. So memory is the tallies, the buckets since the earliest
// open period (about a day in a plant that stops at night; the whole run if some unit is
// active throughout), the periods that hold one of them, and the ties among periods over the
// buckets not yet counted (one per tied period and run of buckets). Where a unit is active
// throughout, nothing is counted until it stops; the ties under its open period, shorter than
// it already is, can never count and are dropped as they pile up (see prune_ties), so that
// what is held is at most about one bucket and one period a minute (the buckets are at most
// kMaxBuckets over any horizon). Not under a station of several places, which may tell its
// pace's edges late: ties under one active throughout still pile up (about 40 bytes a minute
// per tied copy).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "takt/sim/stats.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

class ActivePeriods final : public sim::EdgeListener {
 public:
  static constexpr std::size_t kMaxBuckets = std::size_t{1} << 20;
  static constexpr std::size_t kTieSlack = 4096;

  /// `month_starts`: the times the months the report counts begin (from time zero, in order).
  /// `tie_slack`: how many ties may pile up before the dead ones are dropped (and then twice as
  /// many as the last pruning kept, if more); a test makes it 1, so that pruning runs often.
  ActivePeriods(std::size_t units, sim::Time horizon, std::vector<sim::Time> month_starts,
                std::size_t tie_slack = kTieSlack);

  /// Unit `unit` gains a member (a watched StateTimer), `active` now or not: the unit is active
  /// while all its members are. `tells_late`: the member may log an edge after later edges of
  /// other units (a station's pace, told when the station next changes), so that until then
  /// the unit looks active after it stopped being so.
  void add_member(std::uint32_t unit, bool active, sim::Time now, bool tells_late = false);

  /// Bottleneck shares of one stretch of time: per unit, the share of the stretch's sampled
  /// moments that have a bottleneck (some unit active) at which it was the sole bottleneck,
  /// and at which it was a shifting one.
  struct Shares {
    std::vector<double> sole, shifting;
  };
  /// The window's stretch starts at `now` (the end of a warm-up; without a call, at time
  /// zero). Call it before any edge after `now` is logged.
  void start_window(sim::Time now);
  /// Over [window start, now) (`window`), and over each month [month_starts[m], next start
  /// or now) (`months`). The periods still open are painted in as if they ended now; that
  /// changes nothing later (see paint_open), so the run may go on and report again.
  struct Report {
    Shares window;
    std::vector<Shares> months;
  };
  Report report(sim::Time now);
  sim::Time bucket() const { return bucket_; }
  /// Buckets and periods held now: what the analysis's memory grows with.
  std::size_t held() const {
    return best_.size() + periods_.size() + count_.ties.size() + count_.scan_tied.size() +
           count_.to_tally.size() + count_.tied.size() + count_.last.size();
  }

 private:
  void on_edges(const Edge* edges, std::size_t n) override;
  /// A member of `unit` became active (`none`: none of its slots inactive) or inactive.
  void on_edge(sim::Time now, std::uint32_t unit, bool none);
  void end_for_good(sim::Time last_edge);
  static constexpr std::uint32_t kNone = UINT32_MAX;
  struct Period {
    std::uint32_t unit;
    sim::Time begin, end;
    bool operator==(const Period& o) const {
      return unit == o.unit && begin == o.begin && end == o.end;
    }
  };
  void paint(const Period& p) { paint(p, bucket_at(p.begin), bucket_at(p.end)); }
  // `first` and `last` are bucket_at(p.begin) and bucket_at(p.end).
  void paint(const Period& p, std::size_t first, std::size_t last);
  bool longer(const Period& a, const Period& b) const;
  void paint_open(sim::Time now);
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
  // The buckets are filled as time reaches them, kReach at a time.
  void reach(std::size_t end) {
    if (end > base_ + best_.size()) best_.resize(std::min(buckets_, end + kReach) - base_, kNone);
  }
  static constexpr std::size_t kReach = 4096;
  std::uint32_t& best(std::size_t bucket) { return best_[bucket - base_]; }
  std::uint32_t best(std::size_t bucket) const { return best_[bucket - base_]; }
  void compact();
  std::vector<std::uint32_t> renumber_;  // compact's scratch: old period index to new
  static constexpr std::size_t kCompactSlack = 1u << 16;
  std::size_t compact_at_ = kCompactSlack;

  sim::Time bucket_;
  std::size_t buckets_ = 0;  // over the whole horizon
  double per_bucket_ = 0;    // 1 / bucket_, in ticks
  // Per bucket from base_ on: the longest period so far covering its middle.
  std::vector<std::uint32_t> best_;
  std::size_t base_ = 0;
  std::vector<Period> periods_;  // those that won some bucket

  // Counting. A moment is shifting for the units of the two periods around each change of
  // bottleneck (between units) while it lies inside both: a Range. A moment is counted once
  // every change whose range could hold it is known (see advance).
  struct Range {
    std::size_t lo, hi;  // buckets [lo, hi)
    std::uint32_t unit;
  };
  // A period as long as the bottleneck period it met in buckets [lo, hi) when it was painted
  // (the earlier unit holds a bucket on a tie). It is one of the bottlenecks of those of the
  // buckets whose bottleneck period is still that long when they are scanned and counted: a
  // longer period painted later takes a bucket from both.
  struct Tie {
    std::size_t lo, hi;
    Period period;  // the tied one: its unit, and its length against the bottleneck period's
  };
  // The moments with a bottleneck in one stretch, and of them those at which each unit was
  // the sole bottleneck and those at which it was a shifting one.
  struct Tally {
    std::size_t with = 0;
    std::vector<std::size_t> sole, shifting;
  };
  // Everything counting carries from one bucket to the next: a report copies it to count the
  // buckets not yet final without changing it.
  struct Count {
    std::size_t scanned = 0;    // the changes between buckets b - 1 and b < scanned are found
    std::size_t next = 0;       // the buckets before it are counted
    std::size_t month = 0;      // the month of bucket `next`, if month_first_[month] <= next
    std::vector<Range> ranges;  // found, not yet reached by `next`: a heap, lowest lo on top
    std::vector<Range> inside;  // holding `next`
    std::vector<int> cover;     // per unit: the ranges in `inside` that are its
    std::vector<std::uint32_t> covered;  // the units whose cover is not 0
    std::vector<Tie> ties;               // painted, not yet scanned: a heap, lowest lo on top
    std::vector<Tie> scan_tied;          // holding bucket scanned - 1
    std::deque<Tie> to_tally;            // scanned, not yet reached by `next`, lowest lo first
    std::vector<Tie> tied;               // holding `next`
    // The bottleneck periods of bucket scanned - 1 when ties were among them, else empty.
    std::vector<Period> last;
    Tally window;
    std::vector<Tally> months;
  };
  void scan(Count& c, std::size_t end) const;
  // The shifting moments of a change of bottleneck from period p to period q.
  void add_change(Count& c, const Period& p, const Period& q) const;
  // Bucket b's bottleneck periods: the one holding it and the tied ones as long, into `out`.
  void bottlenecks_at(std::size_t b, const std::vector<Tie>& ties, std::vector<Period>& out) const;
  mutable std::vector<Period> now_, before_;  // scan's scratch
  // Counts the buckets before `end`; with `wait`, stops at the first whose count a change at
  // or after `end` could still alter.
  void tally(Count& c, std::size_t end, bool wait) const;
  // Where some other unit's period around bucket x is as long as the bottleneck period `p`:
  // those units and p's own, into tied_units_ (less the units a range already makes shifting
  // there); empty where none is. Drops the ties that end before x.
  void tied_at(Count& c, std::size_t x, const Period& p) const;
  mutable std::vector<std::uint32_t> tied_units_;  // tally's scratch
  void add_tie(std::size_t lo, std::size_t hi, const Period& tied);
  // Drops the ties not yet scanned that can never count: those lying under a unit's open
  // period that is already longer than they are. `latest`: the latest edge logged so far,
  // which every unit open and not telling late has been active through.
  void prune_ties(sim::Time latest);
  std::size_t tie_slack_;
  std::size_t prune_at_;
  struct Open {
    std::size_t first;    // the first bucket the open period holds
    std::int64_t length;  // its length so far, in ticks: it can only grow
  };
  std::vector<Open> open_;  // prune_ties' scratch
  void advance(sim::Time last_edge);
  Shares shares(const Tally& t) const;
  std::vector<std::size_t> month_first_;  // bucket_at(month start)
  std::size_t window_first_ = 0;
  Count count_;
  struct Unit {
    int inactive = 0;         // members not active
    bool open = false;        // in an active period since `begin`
    bool closing = false;     // its period ended at `end`, unless it goes on at that instant
    bool tells_late = false;  // some member may log its edges late (see add_member)
    sim::Time begin, end;
    std::size_t first = 0;  // bucket_at(begin): the period holds a middle if that one is before end
  };
  std::vector<Unit> units_;
  // The unit's period (closed at u.end) holds a sampled moment: the first middle after its
  // start is before its end. `&`, not `&&`: the operands have no side effects, and no branch
  // is wanted (whether it holds one is a coin toss on a busy line).
  bool holds_moment(const Unit& u) const {
    return (u.first < buckets_) &
           (static_cast<std::int64_t>(u.first) * bucket_.count() + bucket_.count() / 2 <
            u.end.count());
  }
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
