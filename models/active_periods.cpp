// Active periods are painted into the sampled moments as they end; the shares are read from a
// copy with the periods still open painted in, so reading changes nothing.
#include "takt/models/active_periods.hpp"

#include <algorithm>
#include <utility>

namespace takt::models {

struct ActivePeriods::Timeline {
  std::vector<std::uint32_t> best;
  std::vector<Period> periods;
  std::vector<std::uint8_t> shifting;  // per bucket: inside an overlap of two bottlenecks
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> overlaps;  // per unit, merged
};

ActivePeriods::ActivePeriods(std::size_t units, sim::Time horizon) : units_(units) {
  periods_.reserve(compact_at_);
  const std::int64_t minute = sim::Time::minutes(1).count();
  const auto most = static_cast<std::int64_t>(kMaxBuckets);
  const std::int64_t wanted = (horizon.count() + most - 1) / most;
  std::int64_t b = std::max(minute, wanted);
  b += b % 2;  // an even length has a middle in whole ticks
  bucket_ = sim::Time::ticks(b);
  best_.assign(static_cast<std::size_t>((horizon.count() + b - 1) / b), kNone);
}

std::size_t ActivePeriods::bucket_at(sim::Time t) const {
  const std::int64_t b = bucket_.count(), half = b / 2;
  if (t.count() <= half) return 0;
  return std::min(best_.size(), static_cast<std::size_t>((t.count() - half + b - 1) / b));
}

void ActivePeriods::add_member(std::uint32_t unit, bool active, sim::Time now) {
  Unit& u = units_[unit];
  if (!active) ++u.inactive;
  u.open = u.inactive == 0;
  u.begin = now;
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
  if (u.closing) {
    paint(best_, periods_, {unit, u.begin, u.end});
    if (periods_.size() >= compact_at_) compact();
  }
  u.closing = false;
  u.open = true;
  u.begin = now;
}

// Longer wins; of two as long, the unit first in flow order, so the result does not depend on
// the order the periods end in.
bool ActivePeriods::longer(const Period& a, const Period& b) const {
  const std::int64_t la = (a.end - a.begin).count(), lb = (b.end - b.begin).count();
  if (la != lb) return la > lb;
  return a.unit < b.unit;
}

void ActivePeriods::paint(std::vector<std::uint32_t>& best, std::vector<Period>& periods,
                          const Period& p) const {
  const std::size_t first = bucket_at(p.begin), last = bucket_at(p.end);
  if (first >= last) return;
  const auto id = static_cast<std::uint32_t>(periods.size());
  periods.push_back(p);
  bool won = false;
  for (std::size_t b = first; b < last; ++b) {
    if (best[b] != kNone && !longer(p, periods[best[b]])) continue;
    best[b] = id;
    won = true;
  }
  if (!won) periods.pop_back();
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

ActivePeriods::Timeline ActivePeriods::timeline(sim::Time now) const {
  Timeline t{best_,
             periods_,
             {},
             std::vector<std::vector<std::pair<std::size_t, std::size_t>>>(units_.size())};
  for (std::size_t i = 0; i < units_.size(); ++i) {
    const Unit& u = units_[i];
    const auto unit = static_cast<std::uint32_t>(i);
    if (u.closing) paint(t.best, t.periods, {unit, u.begin, u.end});
    if (u.open) paint(t.best, t.periods, {unit, u.begin, now});
  }
  const std::size_t end = bucket_at(now);
  t.shifting.assign(end, 0);
  // Where the bottleneck changes from one period to the next, the moments inside both are
  // shifting, for both units.
  for (std::size_t b = 1; b < end; ++b) {
    const std::uint32_t from = t.best[b - 1], to = t.best[b];
    if (from == to || from == kNone || to == kNone) continue;
    const Period& p = t.periods[from];
    const Period& q = t.periods[to];
    if (p.unit == q.unit) continue;
    const std::size_t lo = bucket_at(sim::max(p.begin, q.begin));
    const std::size_t hi = std::min(end, bucket_at(sim::min(p.end, q.end)));
    if (lo >= hi) continue;
    for (std::size_t k = lo; k < hi; ++k) t.shifting[k] = 1;
    t.overlaps[p.unit].emplace_back(lo, hi);
    t.overlaps[q.unit].emplace_back(lo, hi);
  }
  for (auto& ranges : t.overlaps) {
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<std::size_t, std::size_t>> merged;
    for (const auto& r : ranges) {
      if (!merged.empty() && r.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, r.second);
      } else {
        merged.push_back(r);
      }
    }
    ranges = std::move(merged);
  }
  return t;
}

ActivePeriods::Shares ActivePeriods::count(const Timeline& t, std::size_t first,
                                           std::size_t last) const {
  Shares s{std::vector<double>(units_.size(), 0.0), std::vector<double>(units_.size(), 0.0)};
  last = std::min(last, t.shifting.size());
  // Shares of the moments that have a bottleneck: off shift, before the start of production,
  // or with every unit waiting, the plant has none.
  std::size_t with = 0;
  for (std::size_t b = first; b < last; ++b) with += t.best[b] != kNone;
  if (with == 0) return s;
  const auto n = static_cast<double>(with);
  for (std::size_t b = first; b < last; ++b) {
    if (t.best[b] == kNone || t.shifting[b]) continue;
    s.sole[t.periods[t.best[b]].unit] += 1.0 / n;
  }
  for (std::size_t u = 0; u < units_.size(); ++u) {
    std::size_t inside = 0;
    for (const auto& [lo, hi] : t.overlaps[u]) {
      for (std::size_t b = std::max(lo, first); b < std::min(hi, last); ++b)
        inside += t.best[b] != kNone;
    }
    s.shifting[u] = static_cast<double>(inside) / n;
  }
  return s;
}

ActivePeriods::Report ActivePeriods::report(sim::Time from,
                                            const std::vector<sim::Time>& month_starts,
                                            sim::Time now) const {
  const Timeline t = timeline(now);
  Report r{count(t, bucket_at(from), bucket_at(now)), {}};
  for (std::size_t m = 0; m < month_starts.size(); ++m) {
    const sim::Time begin = month_starts[m];
    const sim::Time end = m + 1 < month_starts.size() ? sim::min(month_starts[m + 1], now) : now;
    r.months.push_back(count(t, bucket_at(begin), bucket_at(sim::max(begin, end))));
  }
  return r;
}

}  // namespace takt::models
