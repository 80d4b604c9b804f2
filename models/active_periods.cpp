// Active periods are painted into the sampled moments once the batch of edges they ended in is
// worked through; after each batch the buckets no period can change any more are counted and
// let go. A report counts the rest on a copy, with the periods still open painted as if they
// ended then (harmless: see paint_open).
#include "takt/models/active_periods.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace takt::models {

namespace {
// The heaps of ties and ranges keep the lowest first bucket on top.
struct LowestLoOnTop {
  template <class T>
  bool operator()(const T& a, const T& b) const {
    return a.lo > b.lo;
  }
};
}  // namespace

ActivePeriods::ActivePeriods(std::size_t units, sim::Time horizon,
                             std::vector<sim::Time> month_starts, std::size_t tie_slack)
    : tie_slack_(tie_slack), prune_at_(tie_slack), units_(units) {
  periods_.reserve(compact_at_);
  const std::int64_t minute = sim::Time::minutes(1).count();
  const auto most = static_cast<std::int64_t>(kMaxBuckets);
  const std::int64_t wanted = (horizon.count() + most - 1) / most;
  std::int64_t b = std::max(minute, wanted);
  b += b % 2;  // an even length has a middle in whole ticks
  bucket_ = sim::Time::ticks(b);
  buckets_ = static_cast<std::size_t>((horizon.count() + b - 1) / b);
  per_bucket_ = 1.0 / static_cast<double>(b);
  for (const sim::Time start : month_starts) month_first_.push_back(bucket_at(start));
  count_.cover.assign(units, 0);
  const Tally zero{0, std::vector<std::size_t>(units, 0), std::vector<std::size_t>(units, 0)};
  count_.window = zero;
  count_.months.assign(month_first_.size(), zero);
}

void ActivePeriods::start_window(sim::Time now) {
  drain();
  window_first_ = bucket_at(now);
  // Only buckets before the last edge are counted, and no edge came after `now`: every bucket
  // counted so far lies before the window.
  assert(count_.next <= window_first_ && "time already counted reaches into the window");
  for (std::size_t& n : count_.window.sole) n = 0;
  for (std::size_t& n : count_.window.shifting) n = 0;
  count_.window.with = 0;
}

void ActivePeriods::add_member(std::uint32_t unit, bool active, sim::Time now, bool tells_late) {
  drain();
  Unit& u = units_[unit];
  u.tells_late = u.tells_late || tells_late;
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
  ended_.resize(n + units_.size());
  ended_count_ = 0;
  for (const Edge& e : by_unit_) on_edge(e.at, e.id, e.none);
  if (n > 0) end_for_good(edges[n - 1].at);
  // Painted after the batch, in the order they ended (the result does not depend on it).
  for (std::size_t i = 0; i < ended_count_; ++i) {
    const Ended& p = ended_[i];
    paint(p.period, p.first, bucket_at(p.period.end));
    if (periods_.size() >= compact_at_) compact();
  }
  if (n == 0) return;
  // Here, not in advance: where a unit is active throughout, advance counts nothing.
  if (count_.ties.size() >= prune_at_) {
    // Edges told late come after later ones of other units: the batch's last is not always
    // its latest.
    sim::Time latest = edges[n - 1].at;
    for (std::size_t i = 0; i < n; ++i) latest = sim::max(latest, edges[i].at);
    prune_ties(latest);
  }
  advance(edges[n - 1].at);
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
  // toss, so the period is written down always and kept by adding the comparison's outcome.
  ended_[ended_count_] = {{unit, u.begin, u.end}, u.first};
  ended_count_ += static_cast<std::size_t>(u.closing & holds_moment(u));
  u.closing = false;
  u.open = true;
  u.begin = now;
  u.first = bucket_at(now);
}

// A unit whose period closed before `last_edge` (the batch's last) cannot go on at that end
// any more: the period is final, and written down now rather than when the unit is next
// active, which may be never (a station stopped for good), so that it holds back no counting.
void ActivePeriods::end_for_good(sim::Time last_edge) {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    Unit& u = units_[i];
    if (!u.closing || u.end >= last_edge) continue;
    ended_[ended_count_] = {{static_cast<std::uint32_t>(i), u.begin, u.end}, u.first};
    ended_count_ += holds_moment(u);
    u.closing = false;
  }
}

// Longer wins; of two as long, the unit first in flow order holds the bucket, so the result
// does not depend on the order the periods end in (the other is a tie there: see paint).
bool ActivePeriods::longer(const Period& a, const Period& b) const {
  const std::int64_t la = (a.end - a.begin).count(), lb = (b.end - b.begin).count();
  if (la != lb) return la > lb;
  return a.unit < b.unit;
}

void ActivePeriods::paint(const Period& p, std::size_t first, std::size_t last) {
  if (first >= last) return;
  reach(last);
  const auto id = static_cast<std::uint32_t>(periods_.size());
  const std::int64_t length = (p.end - p.begin).count();
  bool won = false;
  // Neighbouring buckets are mostly held by one period: compare with it once per run of them.
  std::uint32_t seen = kNone;
  bool beats = true;
  // A run of buckets where p is as long as the period holding them: the one of the two that
  // does not hold them ties there.
  bool ties = false, in_run = false;
  Period tied{}, run{};
  std::size_t run_lo = 0, run_hi = 0;
  for (std::size_t b = first; b < last; ++b) {
    const std::uint32_t held = best(b);
    if (held != seen) {
      seen = held;
      beats = held == kNone || longer(p, periods_[held]);
      ties = false;
      if (held != kNone) {
        const Period& h = periods_[held];
        // A unit's own period again (an open one painted by a report, then closed as long) is
        // no tie.
        ties = h.unit != p.unit && (h.end - h.begin).count() == length;
        if (ties) tied = beats ? h : p;
      }
    }
    if (ties) {
      if (!in_run || !(tied == run) || run_hi != b) {
        if (in_run) add_tie(run_lo, run_hi, run);
        in_run = true;
        run = tied;
        run_lo = b;
      }
      run_hi = b + 1;
    }
    if (!beats) continue;
    best(b) = id;
    won = true;
  }
  if (in_run) add_tie(run_lo, run_hi, run);
  if (won) periods_.push_back(p);  // kept only if it holds some bucket
}

void ActivePeriods::add_tie(std::size_t lo, std::size_t hi, const Period& tied) {
  // Only buckets not yet scanned are painted (see advance).
  assert(lo >= count_.scanned && "a tie reached back into scanned moments");
  count_.ties.push_back({lo, hi, tied});
  std::push_heap(count_.ties.begin(), count_.ties.end(), LowestLoOnTop{});
}

// A tie counts only at buckets whose bottleneck period, once every period over them is
// painted, is exactly as long as the tied one. A unit open since `begin` whose edges come in
// time order has been active through the latest edge logged (else its closing edge would have
// come before that one): its period will be at least latest - begin long and will cover every
// bucket from its first up to bucket_at(latest), where every tie lies. No tie there that is
// shorter can ever count. A unit that may tell its edges late may have stopped since `begin`
// and is left out. Where a unit is active throughout, nothing is scanned until it stops, and
// without this its copies' ties would pile up for the whole run (about 40 bytes a minute per
// tied copy). Dropping them changes no result.
void ActivePeriods::prune_ties(sim::Time latest) {
  open_.clear();
  for (const Unit& u : units_) {
    if (u.open && !u.tells_late) open_.push_back({u.first, (latest - u.begin).count()});
  }
  // By first bucket, each with the longest of the open periods starting there or before.
  std::sort(open_.begin(), open_.end(),
            [](const Open& a, const Open& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < open_.size(); ++i) {
    open_[i].length = std::max(open_[i].length, open_[i - 1].length);
  }
  [[maybe_unused]] const std::size_t reached = bucket_at(latest);
  const auto dead = [&](const Tie& t) {
    // Painted from periods that ended by the latest edge, or by a report before it (edges
    // told after a report are later than it: it settles what is owed).
    assert(t.hi <= reached && "a tie reaches past the latest edge");
    const auto after = std::upper_bound(open_.begin(), open_.end(), t.lo,
                                        [](std::size_t lo, const Open& o) { return lo < o.first; });
    if (after == open_.begin()) return false;
    return (t.period.end - t.period.begin).count() < std::prev(after)->length;
  };
  auto& ties = count_.ties;
  ties.erase(std::remove_if(ties.begin(), ties.end(), dead), ties.end());
  std::make_heap(ties.begin(), ties.end(), LowestLoOnTop{});
  prune_at_ = std::max(tie_slack_, 2 * ties.size());
}

// Periods that lost every bucket they won are dropped, and the buckets renumbered: a short
// period painted early often wins empty buckets that a longer one takes later. In place, in
// the storage the periods already have: a new list at every compaction let a long run's
// resident memory creep up (glibc raises its mmap threshold to the size of a freed block, so
// later lists came from the heap, each in a new place), 1.27 times from 1 to 10 years.
void ActivePeriods::compact() {
  renumber_.assign(periods_.size(), kNone);
  for (const std::uint32_t b : best_) {
    if (b != kNone) renumber_[b] = 0;  // kept
  }
  std::uint32_t live = 0;
  for (std::size_t i = 0; i < periods_.size(); ++i) {
    if (renumber_[i] == kNone) continue;
    renumber_[i] = live;
    periods_[live++] = periods_[i];  // live <= i: nothing is overwritten before it is read
  }
  periods_.resize(live);
  for (std::uint32_t& b : best_) {
    if (b != kNone) b = renumber_[b];
  }
  compact_at_ = 2 * periods_.size() + kCompactSlack;
  periods_.reserve(compact_at_);  // no reallocation until the next compaction
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

// The buckets before `end` are final: every period still to be painted (an open one, one
// that closed at the last edge's instant and may go on, one still to begin) begins after the
// middle of bucket end - 1, so covers none of them. The changes of bottleneck among them are
// scanned and the buckets counted as far as that decides them, and the buckets counted are
// let go (all but the last, which the next change is scanned from). A unit active through the
// whole run holds them all: its period is not known until it ends.
void ActivePeriods::advance(sim::Time last_edge) {
  std::size_t end = bucket_at(last_edge);
  for (const Unit& u : units_) {
    if (u.open || u.closing) end = std::min(end, u.first);
  }
  if (end <= count_.next) return;
  reach(end);
  scan(count_, end);
  tally(count_, end, true);
  if (count_.next == 0) return;
  // Let go in large steps, so that moving the kept buckets to the front costs little per bucket.
  const std::size_t done = count_.next - 1;
  if (done - base_ >= kReach && done - base_ >= best_.size() / 2) {
    best_.erase(best_.begin(), best_.begin() + static_cast<std::ptrdiff_t>(done - base_));
    base_ = done;
  }
}

// Where the bottleneck changes from one period to the next (of another unit), the moments
// inside both are shifting, for both units. Where ties make several periods a bucket's
// bottlenecks, each that ends being one with each that begins being one.
void ActivePeriods::scan(Count& c, std::size_t end) const {
  for (std::size_t b = c.scanned; b < end; ++b) {
    while (!c.ties.empty() && c.ties.front().lo <= b) {
      c.scan_tied.push_back(c.ties.front());
      c.to_tally.push_back(c.ties.front());
      std::pop_heap(c.ties.begin(), c.ties.end(), LowestLoOnTop{});
      c.ties.pop_back();
    }
    for (std::size_t i = 0; i < c.scan_tied.size();) {
      if (c.scan_tied[i].hi > b) {
        ++i;
        continue;
      }
      c.scan_tied[i] = c.scan_tied.back();
      c.scan_tied.pop_back();
    }
    const std::uint32_t from = b > 0 ? best(b - 1) : kNone, to = best(b);
    // Without ties on either side, one period each: compare them by their place.
    if (c.scan_tied.empty() && c.last.empty()) {
      if (from == to || from == kNone || to == kNone) continue;
      add_change(c, periods_[from], periods_[to]);
      continue;
    }
    before_.clear();
    if (!c.last.empty()) {
      before_ = c.last;
    } else if (from != kNone) {
      before_.push_back(periods_[from]);
    }
    bottlenecks_at(b, c.scan_tied, now_);
    const auto holds = [](const std::vector<Period>& set, const Period& p) {
      return std::find(set.begin(), set.end(), p) != set.end();
    };
    for (const Period& p : before_) {
      if (holds(now_, p)) continue;
      for (const Period& q : now_) {
        if (!holds(before_, q) && p.unit != q.unit) add_change(c, p, q);
      }
    }
    if (c.scan_tied.empty()) {
      c.last.clear();
    } else {
      c.last = now_;
    }
  }
  c.scanned = std::max(c.scanned, end);
}

void ActivePeriods::add_change(Count& c, const Period& p, const Period& q) const {
  const std::size_t lo = bucket_at(sim::max(p.begin, q.begin));
  const std::size_t hi = bucket_at(sim::min(p.end, q.end));
  if (lo >= hi) return;
  // tally's wait keeps every bucket inside p or q uncounted until this change is scanned.
  assert(lo >= c.next && "a change of bottleneck reached back into counted moments");
  for (const std::uint32_t unit : {p.unit, q.unit}) {
    c.ranges.push_back({lo, hi, unit});
    std::push_heap(c.ranges.begin(), c.ranges.end(), LowestLoOnTop{});
  }
}

void ActivePeriods::bottlenecks_at(std::size_t b, const std::vector<Tie>& ties,
                                   std::vector<Period>& out) const {
  out.clear();
  const std::uint32_t held = best(b);
  if (held == kNone) return;
  const Period& h = periods_[held];
  out.push_back(h);
  const std::int64_t length = (h.end - h.begin).count();
  for (const Tie& t : ties) {
    const Period& p = t.period;
    if ((p.end - p.begin).count() != length) continue;
    // One period a unit (a tie painted twice, by a report and at its end, is one).
    const bool seen =
        std::any_of(out.begin(), out.end(), [&](const Period& q) { return q.unit == p.unit; });
    if (!seen) out.push_back(p);
  }
}

// A bucket's count is final once every change of bottleneck that could make it shifting is
// scanned. Such a change, from bucket b - 1 to b, is between two periods that both cover the
// bucket's middle m, and the later of them covers the middle of b too; it is no longer than
// the bucket's own bottleneck period (of length L), so it ends by m + L, and b is before
// bucket_at(m + L). Waiting until that bucket is scanned too leaves one to spare.
void ActivePeriods::tally(Count& c, std::size_t end, bool wait) const {
  const std::int64_t b = bucket_.count();
  for (; c.next < end; ++c.next) {
    const std::size_t x = c.next;
    const std::uint32_t held = best(x);
    if (held == kNone) continue;  // no bottleneck: not a moment of any share
    const Period& p = periods_[held];
    if (wait) {
      const std::int64_t middle = static_cast<std::int64_t>(x) * b + b / 2;
      if (bucket_at(sim::Time::ticks(middle) + (p.end - p.begin)) >= c.scanned) return;
    }
    // The ranges that hold x: those that begin by it in, those that ended before it out.
    while (!c.ranges.empty() && c.ranges.front().lo <= x) {
      const Range r = c.ranges.front();
      std::pop_heap(c.ranges.begin(), c.ranges.end(), LowestLoOnTop{});
      c.ranges.pop_back();
      if (c.cover[r.unit]++ == 0) c.covered.push_back(r.unit);
      c.inside.push_back(r);
    }
    for (std::size_t i = 0; i < c.inside.size();) {
      if (c.inside[i].hi > x) {
        ++i;
        continue;
      }
      const std::uint32_t unit = c.inside[i].unit;
      c.inside[i] = c.inside.back();
      c.inside.pop_back();
      if (--c.cover[unit] > 0) continue;
      c.covered.erase(std::find(c.covered.begin(), c.covered.end(), unit));
    }
    tied_at(c, x, p);
    while (c.month + 1 < month_first_.size() && month_first_[c.month + 1] <= x) ++c.month;
    Tally* month =
        c.month < month_first_.size() && month_first_[c.month] <= x ? &c.months[c.month] : nullptr;
    Tally* window = x >= window_first_ ? &c.window : nullptr;
    for (Tally* t : {month, window}) {
      if (t == nullptr) continue;
      ++t->with;
      if (c.covered.empty() && tied_units_.empty()) ++t->sole[p.unit];
      for (const std::uint32_t unit : c.covered) ++t->shifting[unit];
      for (const std::uint32_t unit : tied_units_) ++t->shifting[unit];
    }
  }
}

// The tied units not already counted as shifting at x (through a range), the bottleneck's
// own among them when any other ties with it.
void ActivePeriods::tied_at(Count& c, std::size_t x, const Period& p) const {
  tied_units_.clear();
  // scan has passed x, so every tie that begins by x is in to_tally.
  while (!c.to_tally.empty() && c.to_tally.front().lo <= x) {
    c.tied.push_back(c.to_tally.front());
    c.to_tally.pop_front();
  }
  if (c.tied.empty()) return;
  const std::int64_t length = (p.end - p.begin).count();
  const auto add = [&](std::uint32_t unit) {
    if (c.cover[unit] > 0) return;
    if (std::find(tied_units_.begin(), tied_units_.end(), unit) != tied_units_.end()) return;
    tied_units_.push_back(unit);
  };
  for (std::size_t i = 0; i < c.tied.size();) {
    const Tie& t = c.tied[i];
    if (t.hi <= x) {
      c.tied[i] = c.tied.back();
      c.tied.pop_back();
      continue;
    }
    if ((t.period.end - t.period.begin).count() == length && t.period.unit != p.unit) {
      if (tied_units_.empty()) add(p.unit);
      add(t.period.unit);
    }
    ++i;
  }
}

ActivePeriods::Shares ActivePeriods::shares(const Tally& t) const {
  Shares s{std::vector<double>(units_.size(), 0.0), std::vector<double>(units_.size(), 0.0)};
  // Shares of the moments that have a bottleneck: off shift, before the start of production,
  // or with every unit waiting, the plant has none.
  if (t.with == 0) return s;
  const auto n = static_cast<double>(t.with);
  for (std::size_t u = 0; u < units_.size(); ++u) {
    // Added one moment at a time, as the shares always were: the same bits.
    for (std::size_t i = 0; i < t.sole[u]; ++i) s.sole[u] += 1.0 / n;
    s.shifting[u] = static_cast<double>(t.shifting[u]) / n;
  }
  return s;
}

ActivePeriods::Report ActivePeriods::report(sim::Time now) {
  drain();
  paint_open(now);
  const std::size_t end = bucket_at(now);
  reach(end);
  // The buckets from count_.next on, counted as they stand now, on a copy: the open periods
  // painted in may still grow.
  Count c = count_;
  scan(c, end);
  tally(c, end, false);
  Report r{shares(c.window), {}};
  for (const Tally& month : c.months) r.months.push_back(shares(month));
  return r;
}

}  // namespace takt::models
