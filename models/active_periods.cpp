// Active periods are painted into the sampled moments once the batch of edges they ended in is
// worked through; a report paints the periods still open as if they ended then (harmless: see
// paint_open) and counts every stretch in one pass over the buckets.
#include "takt/models/active_periods.hpp"

#include <algorithm>
#include <utility>

namespace takt::models {

// Per unit, the merged bucket ranges [lo, hi) where its bottleneck period overlaps the next
// or the previous bottleneck's: there it is a shifting bottleneck.
struct ActivePeriods::Overlaps {
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> by_unit;
  std::vector<std::pair<std::size_t, std::size_t>> all;  // their union, merged
};

namespace {

using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

void merge(Ranges& ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  ranges = std::move(merged);
}

}  // namespace

ActivePeriods::ActivePeriods(std::size_t units, sim::Time horizon) : units_(units) {
  periods_.reserve(compact_at_);
  const std::int64_t minute = sim::Time::minutes(1).count();
  const auto most = static_cast<std::int64_t>(kMaxBuckets);
  const std::int64_t wanted = (horizon.count() + most - 1) / most;
  std::int64_t b = std::max(minute, wanted);
  b += b % 2;  // an even length has a middle in whole ticks
  bucket_ = sim::Time::ticks(b);
  buckets_ = static_cast<std::size_t>((horizon.count() + b - 1) / b);
  per_bucket_ = 1.0 / static_cast<double>(b);
  best_.reserve(buckets_);
}

void ActivePeriods::add_member(std::uint32_t unit, bool active, sim::Time now) {
  drain();
  Unit& u = units_[unit];
  if (!active) ++u.inactive;
  u.open = u.inactive == 0;
  u.begin = now;
  u.first = bucket_at(now);
}

// One unit at a time: whether an edge opens or closes a period, whether a gap had no length,
// are coin tosses to the branch predictor while the units' edges interleave, and follow a
// unit's own rhythm when its edges come together (a unit's edges stay in time order; the
// units' periods are independent of one another): SL10-B5 EXP and FAIL ran about 4 %
// faster so.
void ActivePeriods::on_edges(const Edge* edges, std::size_t n) {
  unit_start_.assign(units_.size() + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++unit_start_[edges[i].id + 1];
  for (std::size_t u = 0; u < units_.size(); ++u) unit_start_[u + 1] += unit_start_[u];
  by_unit_.resize(n);
  for (std::size_t i = 0; i < n; ++i) by_unit_[unit_start_[edges[i].id]++] = edges[i];
  ended_.resize(n);
  ended_count_ = 0;
  for (const Edge& e : by_unit_) on_edge(e.at, e.id, e.none);
  // Painted after the batch, in the order they ended (the result does not depend on it).
  for (std::size_t i = 0; i < ended_count_; ++i) {
    const Ended& p = ended_[i];
    paint(p.period, p.first, bucket_at(p.period.end));
    if (periods_.size() >= compact_at_) compact();
  }
}

void ActivePeriods::on_edge(sim::Time now, std::uint32_t unit, bool none) {
  Unit& u = units_[unit];
  if (!none) {
    if (u.inactive++ > 0) return;
    u.open = false;
    u.closing = true;
    u.end = now;
    return;
  }
  if (--u.inactive > 0) return;
  // Inactive for no time at all (a job handed on and the next taken at one instant): the
  // period goes on.
  if (u.closing && u.end == now) {
    u.closing = false;
    u.open = true;
    return;
  }
  // Most periods of a busy line are shorter than a bucket and hold no sampled moment: one
  // comparison with the first middle after their start drops them. Whether it does is a coin
  // toss, so the period is written down always and kept by adding the comparison's outcome
  // (`&`, not `&&`: the operands have no side effects, and no branch is wanted).
  const bool holds =
      u.closing & (u.first < buckets_) &
      (static_cast<std::int64_t>(u.first) * bucket_.count() + bucket_.count() / 2 < u.end.count());
  ended_[ended_count_] = {{unit, u.begin, u.end}, u.first};
  ended_count_ += holds;
  u.closing = false;
  u.open = true;
  u.begin = now;
  u.first = bucket_at(now);
}

// Longer wins; of two as long, the unit first in flow order, so the result does not depend on
// the order the periods end in.
bool ActivePeriods::longer(const Period& a, const Period& b) const {
  const std::int64_t la = (a.end - a.begin).count(), lb = (b.end - b.begin).count();
  if (la != lb) return la > lb;
  return a.unit < b.unit;
}

void ActivePeriods::paint(const Period& p, std::size_t first, std::size_t last) {
  if (first >= last) return;
  reach(last);
  const auto id = static_cast<std::uint32_t>(periods_.size());
  bool won = false;
  // Neighbouring buckets are mostly held by one period: compare with it once per run of them.
  std::uint32_t seen = kNone;
  bool beats = true;
  for (std::size_t b = first; b < last; ++b) {
    const std::uint32_t held = best_[b];
    if (held != seen) {
      seen = held;
      beats = held == kNone || longer(p, periods_[held]);
    }
    if (!beats) continue;
    best_[b] = id;
    won = true;
  }
  if (won) periods_.push_back(p);  // kept only if it holds some bucket
}

// Periods that lost every bucket they won are dropped, and the buckets renumbered: a short
// period painted early often wins empty buckets that a longer one takes later.
void ActivePeriods::compact() {
  std::vector<std::uint32_t> renumber(periods_.size(), kNone);
  std::vector<Period> live;
  for (std::uint32_t& b : best_) {
    if (b == kNone) continue;
    if (renumber[b] == kNone) {
      renumber[b] = static_cast<std::uint32_t>(live.size());
      live.push_back(periods_[b]);
    }
    b = renumber[b];
  }
  compact_at_ = 2 * live.size() + kCompactSlack;
  live.reserve(compact_at_);  // no reallocation until the next compaction
  periods_ = std::move(live);
}

// The open periods (and one that closed at the last instant) are painted as if they ended
// now. Painting them changes no later result: a period that goes on is painted again, longer,
// when it ends, and it then beats its own prefix in every bucket the prefix won.
void ActivePeriods::paint_open(sim::Time now) {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    const Unit& u = units_[i];
    const auto unit = static_cast<std::uint32_t>(i);
    if (u.closing) paint({unit, u.begin, u.end});
    if (u.open) paint({unit, u.begin, now});
  }
}

ActivePeriods::Overlaps ActivePeriods::overlaps(std::size_t end) const {
  Overlaps o{std::vector<Ranges>(units_.size()), {}};
  // Where the bottleneck changes from one period to the next, the moments inside both are
  // shifting, for both units.
  for (std::size_t b = 1; b < end; ++b) {
    const std::uint32_t from = best_[b - 1], to = best_[b];
    if (from == to || from == kNone || to == kNone) continue;
    const Period& p = periods_[from];
    const Period& q = periods_[to];
    if (p.unit == q.unit) continue;
    const std::size_t lo = bucket_at(sim::max(p.begin, q.begin));
    const std::size_t hi = std::min(end, bucket_at(sim::min(p.end, q.end)));
    if (lo >= hi) continue;
    o.by_unit[p.unit].emplace_back(lo, hi);
    o.by_unit[q.unit].emplace_back(lo, hi);
    o.all.emplace_back(lo, hi);
  }
  for (Ranges& r : o.by_unit) merge(r);
  merge(o.all);
  return o;
}

ActivePeriods::Report ActivePeriods::report(sim::Time from,
                                            const std::vector<sim::Time>& month_starts,
                                            sim::Time now) {
  drain();
  paint_open(now);
  const std::size_t end = bucket_at(now);
  reach(end);
  const Overlaps o = overlaps(end);
  // The stretches asked for, as bucket ranges: the window, then each month.
  std::vector<std::pair<std::size_t, std::size_t>> asked{{bucket_at(from), end}};
  for (std::size_t m = 0; m < month_starts.size(); ++m) {
    const sim::Time begin = month_starts[m];
    const sim::Time stop = m + 1 < month_starts.size() ? sim::min(month_starts[m + 1], now) : now;
    asked.emplace_back(bucket_at(begin), std::min(end, bucket_at(sim::max(begin, stop))));
  }
  // The moments with a bottleneck before each bucket (uint32: at most 2^20 buckets), from
  // which any stretch's count of them, and of a unit's shifting ones, follow by subtraction;
  // and one pass over the buckets cut at the stretches' ends for each piece's sole moments.
  // Kept per block of kBlock buckets, the rest counted from the buckets themselves: a count
  // per bucket would be another 4 bytes a minute of the horizon at the run's peak.
  constexpr std::size_t kBlock = 64;
  std::vector<std::uint32_t> with_before((end + kBlock - 1) / kBlock + 1, 0);
  for (std::size_t b = 0; b < end; ++b) {
    if (best_[b] != kNone) ++with_before[b / kBlock + 1];
  }
  for (std::size_t k = 1; k < with_before.size(); ++k) with_before[k] += with_before[k - 1];
  const auto with_up_to = [&](std::size_t bucket) {
    const std::size_t b = std::min(bucket, end);
    auto n = static_cast<std::size_t>(with_before[b / kBlock]);
    for (std::size_t i = b - b % kBlock; i < b; ++i) n += best_[i] != kNone;
    return n;
  };
  std::vector<std::size_t> cuts;
  for (const auto& [lo, hi] : asked) {
    cuts.push_back(lo);
    cuts.push_back(std::max(lo, hi));
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const std::size_t pieces = cuts.size() - 1;  // at least one cut: the window's start
  std::vector<std::vector<std::size_t>> sole(pieces, std::vector<std::size_t>(units_.size(), 0));
  auto shift = o.all.begin();
  for (std::size_t c = 0; c < pieces; ++c) {
    for (std::size_t b = cuts[c]; b < std::min(cuts[c + 1], end); ++b) {
      const std::uint32_t best = best_[b];
      if (best == kNone) continue;
      while (shift != o.all.end() && shift->second <= b) ++shift;
      if (shift != o.all.end() && shift->first <= b) continue;  // a shifting moment
      ++sole[c][periods_[best].unit];
    }
  }
  // Per unit, the moments with a bottleneck inside its overlaps before each of them, so that a
  // stretch's count takes two searches instead of a walk over every overlap.
  std::vector<std::vector<std::size_t>> inside_before(units_.size());
  for (std::size_t u = 0; u < units_.size(); ++u) {
    std::vector<std::size_t>& sums = inside_before[u];
    sums.push_back(0);
    for (const auto& [lo, hi] : o.by_unit[u])
      sums.push_back(sums.back() + with_up_to(hi) - with_up_to(lo));
  }
  // The moments with a bottleneck inside unit u's overlaps and [first, last), all cuts or marks.
  const auto inside = [&](std::size_t u, std::size_t first, std::size_t last) {
    const Ranges& ranges = o.by_unit[u];
    // The overlaps that reach into the stretch: from the first ending after `first` to the
    // last starting before `last` (they are disjoint and sorted, so their ends are too).
    const auto j0 = static_cast<std::size_t>(
        std::upper_bound(ranges.begin(), ranges.end(), first,
                         [](std::size_t x, const auto& r) { return x < r.second; }) -
        ranges.begin());
    const auto j1 = static_cast<std::size_t>(
        std::lower_bound(ranges.begin(), ranges.end(), last,
                         [](const auto& r, std::size_t x) { return r.first < x; }) -
        ranges.begin());
    if (j0 >= j1) return std::size_t{0};
    std::size_t n = inside_before[u][j1] - inside_before[u][j0];
    // Less the parts of the two end overlaps outside the stretch.
    if (ranges[j0].first < first) n -= with_up_to(first) - with_up_to(ranges[j0].first);
    if (ranges[j1 - 1].second > last) n -= with_up_to(ranges[j1 - 1].second) - with_up_to(last);
    return n;
  };
  const auto shares = [&](std::size_t first, std::size_t last) {
    Shares s{std::vector<double>(units_.size(), 0.0), std::vector<double>(units_.size(), 0.0)};
    if (first >= last) return s;
    // Shares of the moments that have a bottleneck: off shift, before the start of production,
    // or with every unit waiting, the plant has none.
    const std::size_t with_here = with_up_to(last) - with_up_to(first);
    if (with_here == 0) return s;
    const auto n = static_cast<double>(with_here);
    const auto from_piece =
        static_cast<std::size_t>(std::lower_bound(cuts.begin(), cuts.end(), first) - cuts.begin());
    for (std::size_t u = 0; u < units_.size(); ++u) {
      std::size_t k = 0;
      for (std::size_t c = from_piece; c < pieces && cuts[c] < last; ++c) k += sole[c][u];
      // Added one moment at a time, as the shares always were: the same bits.
      for (std::size_t i = 0; i < k; ++i) s.sole[u] += 1.0 / n;
      s.shifting[u] = static_cast<double>(inside(u, first, last)) / n;
    }
    return s;
  };
  Report r{shares(asked[0].first, asked[0].second), {}};
  for (std::size_t m = 1; m < asked.size(); ++m)
    r.months.push_back(shares(asked[m].first, asked[m].second));
  return r;
}

}  // namespace takt::models
