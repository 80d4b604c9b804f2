// The shifting-bottleneck analysis (ActivePeriods) against a brute-force oracle: every sampled
// moment looked at on its own, every unit's period around it found by a search, no painting,
// no log and no block counts. The edges come from real watched state timers, with many
// changes at one instant (periods and gaps of no length) and reports made mid-run.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdint>
#include <utility>
#include <vector>

#include "takt/models/active_periods.hpp"
#include "takt/sim/stats.hpp"

using takt::models::ActivePeriods;
using takt::sim::StateTimer;
using takt::sim::Time;

namespace {

constexpr std::size_t kActive = 0, kInactive = 1;

struct Period {
  std::uint32_t unit;
  std::int64_t begin, end;  // ticks
};

// Each unit's active periods, as ActivePeriods defines them: inactive for no time, a period
// goes on.
class Oracle {
 public:
  explicit Oracle(std::size_t units) : periods_(units), open_(units, false), begin_(units, 0) {}
  void set(std::uint32_t unit, bool active, std::int64_t now) {
    if (active == open_[unit]) return;
    open_[unit] = active;
    if (!active) {
      periods_[unit].push_back({unit, begin_[unit], now});
      return;
    }
    std::vector<Period>& p = periods_[unit];
    if (!p.empty() && p.back().end == now) {  // the gap had no length
      begin_[unit] = p.back().begin;
      p.pop_back();
      return;
    }
    begin_[unit] = now;
  }
  // The periods as they stand at `now`, the open ones ending then.
  std::vector<std::vector<Period>> at(std::int64_t now) const {
    std::vector<std::vector<Period>> all = periods_;
    for (std::uint32_t u = 0; u < all.size(); ++u) {
      if (open_[u]) all[u].push_back({u, begin_[u], now});
    }
    return all;
  }

 private:
  std::vector<std::vector<Period>> periods_;
  std::vector<bool> open_;
  std::vector<std::int64_t> begin_;
};

struct Expected {
  std::vector<double> sole, shifting;
};

// The shares of [from, now) and of each month, moment by moment.
std::vector<Expected> brute_force(const std::vector<std::vector<Period>>& periods, std::int64_t B,
                                  std::size_t buckets, std::int64_t from,
                                  const std::vector<std::int64_t>& months, std::int64_t now) {
  const std::size_t units = periods.size();
  const auto middle = [&](std::size_t k) { return static_cast<std::int64_t>(k) * B + B / 2; };
  // The moments before t: k * B + B / 2 < t.
  const auto bucket_at = [&](std::int64_t t) {
    if (t <= B / 2) return std::size_t{0};
    return std::min(buckets, static_cast<std::size_t>((t - B / 2 + B - 1) / B));
  };
  const std::size_t end = bucket_at(now);
  // The bottleneck period at each moment: the longest around it, the earlier unit on a tie;
  // and all the periods around it that are as long (its bottlenecks). Each unit's periods are
  // disjoint and in time order, so one cursor per unit finds them.
  std::vector<const Period*> best(end, nullptr);
  std::vector<std::vector<const Period*>> longest(end);
  std::vector<std::size_t> next(units, 0);
  // Where several units' periods around a moment are the longest alike, each of them is a
  // shifting bottleneck there.
  std::vector<std::vector<bool>> shifting(units, std::vector<bool>(end, false));
  std::vector<bool> any(end, false);
  for (std::size_t k = 0; k < end; ++k) {
    const std::int64_t m = middle(k);
    std::vector<const Period*> around;
    for (std::size_t u = 0; u < units; ++u) {
      const std::vector<Period>& ps = periods[u];
      while (next[u] < ps.size() && ps[next[u]].end <= m) ++next[u];
      if (next[u] == ps.size() || ps[next[u]].begin > m) continue;
      const Period& p = ps[next[u]];
      around.push_back(&p);
      const std::int64_t len = p.end - p.begin;
      if (best[k] == nullptr || len > best[k]->end - best[k]->begin) best[k] = &p;
    }
    for (const Period* p : around) {
      if (p->end - p->begin == best[k]->end - best[k]->begin) longest[k].push_back(p);
    }
    if (longest[k].size() < 2) continue;
    for (const Period* p : longest[k]) shifting[p->unit][k] = any[k] = true;
  }
  // Where the bottlenecks change from one moment to the next, the moments inside both of a
  // period that ended being one and a period that began being one (of another unit) are
  // shifting.
  const auto holds = [](const std::vector<const Period*>& set, const Period* p) {
    return std::find(set.begin(), set.end(), p) != set.end();
  };
  for (std::size_t k = 1; k < end; ++k) {
    for (const Period* p : longest[k - 1]) {
      if (holds(longest[k], p)) continue;
      for (const Period* q : longest[k]) {
        if (holds(longest[k - 1], q) || p->unit == q->unit) continue;
        const std::size_t lo = bucket_at(std::max(p->begin, q->begin));
        const std::size_t hi = std::min(end, bucket_at(std::min(p->end, q->end)));
        for (std::size_t i = lo; i < hi; ++i) {
          shifting[p->unit][i] = shifting[q->unit][i] = any[i] = true;
        }
      }
    }
  }
  const auto shares = [&](std::size_t first, std::size_t last) {
    Expected e{std::vector<double>(units, 0.0), std::vector<double>(units, 0.0)};
    std::size_t n = 0;
    for (std::size_t k = first; k < last; ++k) n += best[k] != nullptr;
    if (n == 0) return e;
    for (std::size_t k = first; k < last; ++k) {
      if (best[k] == nullptr) continue;
      if (!any[k]) e.sole[best[k]->unit] += 1.0;
      for (std::size_t u = 0; u < units; ++u) e.shifting[u] += shifting[u][k] ? 1.0 : 0.0;
    }
    for (std::size_t u = 0; u < units; ++u) {
      e.sole[u] /= static_cast<double>(n);
      e.shifting[u] /= static_cast<double>(n);
    }
    return e;
  };
  std::vector<Expected> out{shares(bucket_at(from), end)};
  for (std::size_t m = 0; m < months.size(); ++m) {
    const std::int64_t begin = months[m];
    const std::int64_t stop = m + 1 < months.size() ? std::min(months[m + 1], now) : now;
    out.push_back(shares(bucket_at(begin), std::min(end, bucket_at(std::max(begin, stop)))));
  }
  return out;
}

// `epsilon`: a sole share is 1/n added once per moment (as it always was: the same bits), which
// drifts from k/n by up to about k times the double's epsilon (2.2e-16): 1e-12 holds up to
// some thousands of moments per unit, a run of 400,000 needs 1e-10.
void check_shares(const ActivePeriods::Shares& got, const Expected& want, double epsilon = 1e-12) {
  REQUIRE(got.sole.size() == want.sole.size());
  for (std::size_t u = 0; u < want.sole.size(); ++u) {
    CHECK(got.sole[u] == doctest::Approx(want.sole[u]).epsilon(epsilon));
    CHECK(got.shifting[u] == doctest::Approx(want.shifting[u]).epsilon(1e-12));
  }
}

// The final report from time zero to `horizon`, checked against the oracle: the window and
// every month. `epsilon` as check_shares takes it.
ActivePeriods::Report report_and_check(ActivePeriods& periods, const Oracle& oracle, Time horizon,
                                       const std::vector<Time>& months, double epsilon) {
  const ActivePeriods::Report r = periods.report(horizon);
  const std::int64_t B = periods.bucket().count();
  const auto buckets = static_cast<std::size_t>((horizon.count() + B - 1) / B);
  std::vector<std::int64_t> month_ticks;
  for (const Time m : months) month_ticks.push_back(m.count());
  const std::vector<Expected> want =
      brute_force(oracle.at(horizon.count()), B, buckets, 0, month_ticks, horizon.count());
  check_shares(r.window, want[0], epsilon);
  REQUIRE(r.months.size() == months.size());
  for (std::size_t m = 0; m < months.size(); ++m) check_shares(r.months[m], want[m + 1], epsilon);
  return r;
}

// Units of one member each, watched by `periods` and mirrored in `oracle`.
class OneMemberUnits {
 public:
  OneMemberUnits(ActivePeriods& periods, Oracle& oracle, const std::vector<bool>& active)
      : oracle_(oracle), timers_(active.size(), StateTimer(2)) {
    for (std::uint32_t u = 0; u < active.size(); ++u) {
      timers_[u].add(Time::zero(), active[u] ? kActive : kInactive, 1);
      timers_[u].watch(1u << kInactive, &periods, u);
      periods.add_member(u, active[u], Time::zero());
      oracle_.set(u, active[u], 0);
    }
  }
  void set(std::uint32_t u, bool active, Time t) {
    timers_[u].move(t, active ? kInactive : kActive, active ? kActive : kInactive);
    oracle_.set(u, active, t.count());
  }

 private:
  Oracle& oracle_;
  std::vector<StateTimer> timers_;  // not moved once watched
};

// A member of a unit and its state timer (a unit is active while all its members are).
struct Member {
  std::uint32_t unit;
  StateTimer timer{2};
};

struct Toggle {
  std::int64_t at;
  std::uint32_t order;  // random: changes at one instant come in any order
  std::size_t member;
};

// `units` units of 1 to `most_members` members, each member toggled at random on a grid of
// half a moment / `per_half` (so that changes land on sampled moments, on the boundaries between
// them and in between, many at one instant), each stay 0 to `longest` steps; reported mid-run
// and at the end, both at a moment's middle.
struct Outcome {
  std::size_t holding = 0;    // periods that hold a moment
  std::size_t buckets = 0;    // moments over the horizon
  std::size_t most_held = 0;  // the most buckets and periods held at once
};
// `tie_slack` as ActivePeriods takes it (1: each edge is handed over alone, and the dead ties
// are dropped as soon as they outnumber those the last pruning kept);
// `first_longest`, if not 0, the longest stay of the members of the first `long_units` units
// instead (long periods, under which the other units' ties pile up).
Outcome run_case(std::uint32_t seed, std::size_t units, int most_members, Time horizon,
                 int per_half, int longest, std::size_t tie_slack = ActivePeriods::kTieSlack,
                 int first_longest = 0, std::uint32_t long_units = 1) {
  boost::random::mt19937 rng(seed);
  boost::random::uniform_int_distribution<int> stay(0, longest), coin(0, 1), size(1, most_members);
  boost::random::uniform_int_distribution<int> stay_first(0, first_longest);
  boost::random::uniform_int_distribution<std::uint32_t> shuffle;
  const std::int64_t H = horizon.count();
  std::vector<std::int64_t> months;  // on middles and on boundaries between moments, below
  const auto as_times = [](const std::vector<std::int64_t>& ticks) {
    std::vector<Time> out;
    for (const std::int64_t t : ticks) out.push_back(Time::ticks(t));
    return out;
  };
  const std::int64_t B = ActivePeriods(units, horizon, {}).bucket().count();
  for (int m = 0; m < 7; ++m) months.push_back(H * m / 7 / (B / 2) * (B / 2));
  ActivePeriods periods(units, horizon, as_times(months), tie_slack);
  REQUIRE(B % (2 * per_half) == 0);
  const std::int64_t step = B / 2 / per_half;
  Oracle oracle(units);
  std::vector<Member> members;
  for (std::uint32_t u = 0; u < units; ++u) {
    for (int m = size(rng); m > 0; --m) members.push_back({u, StateTimer(2)});
  }
  const auto unit_active = [&](std::uint32_t u) {
    for (const Member& m : members) {
      if (m.unit == u && m.timer.count(kActive) == 0) return false;
    }
    return true;
  };
  std::vector<Toggle> toggles;
  for (std::size_t i = 0; i < members.size(); ++i) {
    Member& m = members[i];
    const bool active = coin(rng) == 1;
    m.timer.add(Time::zero(), active ? kActive : kInactive, 1);
    m.timer.watch(1u << kInactive, &periods, m.unit);
    periods.add_member(m.unit, active, Time::zero());
    auto& draw = m.unit < long_units && first_longest > 0 ? stay_first : stay;
    for (std::int64_t t = draw(rng) * step; t < H; t += draw(rng) * step)
      toggles.push_back({t, shuffle(rng), i});
  }
  for (std::uint32_t u = 0; u < units; ++u) oracle.set(u, unit_active(u), 0);
  std::sort(toggles.begin(), toggles.end(), [](const Toggle& a, const Toggle& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  const auto buckets = static_cast<std::size_t>((H + B - 1) / B);
  const auto middle = [&](std::size_t k) { return static_cast<std::int64_t>(k) * B + B / 2; };
  const std::int64_t from = middle(buckets / 10), mid = middle(buckets / 2);
  const auto report_and_check = [&](std::int64_t now) {
    const ActivePeriods::Report r = periods.report(Time::ticks(now));
    const std::vector<Expected> want = brute_force(oracle.at(now), B, buckets, from, months, now);
    check_shares(r.window, want[0]);
    REQUIRE(r.months.size() + 1 == want.size());
    for (std::size_t m = 0; m < r.months.size(); ++m) check_shares(r.months[m], want[m + 1]);
  };
  bool reported_mid = false, window_started = false;
  std::size_t most_held = 0;
  for (const Toggle& t : toggles) {
    if (!window_started && t.at > from) {
      periods.start_window(Time::ticks(from));  // as a plant does at the end of its warm-up
      window_started = true;
    }
    if (!reported_mid && t.at > mid) {
      report_and_check(mid);  // mid-run: the open periods are painted as if they ended now
      reported_mid = true;
    }
    Member& m = members[t.member];
    const bool active = m.timer.count(kActive) == 0;
    m.timer.move(Time::ticks(t.at), active ? kInactive : kActive, active ? kActive : kInactive);
    oracle.set(m.unit, unit_active(m.unit), t.at);
    if (tie_slack == 1) periods.drain();  // a batch of one edge: every edge prunes
    most_held = std::max(most_held, periods.held());
  }
  if (!window_started) periods.start_window(Time::ticks(from));  // no edge came after it
  report_and_check(H);
  std::size_t holding = 0;
  for (const auto& unit : oracle.at(H)) {
    for (const Period& p : unit) {
      const auto first =
          static_cast<std::size_t>(std::max<std::int64_t>(0, p.begin - B / 2 + B - 1) / B);
      holding += p.end > middle(first) && first < buckets;
    }
  }
  return {holding, buckets, most_held};
}

}  // namespace

TEST_CASE("Shifting bottlenecks equal a moment-by-moment search, with one-minute moments") {
  // Two days: one-minute moments; steps of 10 s, so periods start and end on moments, between
  // them and at one instant with others, and last no time at all; units of up to 3 members.
  for (std::uint32_t seed = 1; seed <= 4; ++seed) run_case(seed, 5, 3, Time::days(2), 3, 12);
}

TEST_CASE("Shifting bottlenecks equal a moment-by-moment search, dead ties dropped at once") {
  // As above, with the ties that can no longer count (under a longer open period) dropped
  // after every batch of edges instead of once thousands have piled up.
  for (std::uint32_t seed = 1; seed <= 4; ++seed) run_case(seed, 5, 3, Time::days(2), 3, 12, 1);
  // Unit 0 active for hours at a time, while the others' periods tie under it.
  for (std::uint32_t seed = 5; seed <= 8; ++seed)
    run_case(seed, 6, 2, Time::days(4), 3, 12, 1, 3000);
  // Units 0 to 3 active for tens of minutes at a time, on a coarse grid: their periods tie
  // with one another, some begun before the open period they lie under and longer than it is.
  for (std::uint32_t seed = 9; seed <= 16; ++seed)
    run_case(seed, 6, 1, Time::days(4), 1, 4, 1, 60, 4);
}

TEST_CASE("Shifting bottlenecks equal a moment-by-moment search, with longer moments") {
  // Three years: beyond 2^20 minutes, so a moment stands for about 90 s; stays up to half an
  // hour.
  run_case(11, 4, 2, Time::days(3 * 365), 1, 40);
}

TEST_CASE("Shifting bottlenecks equal a moment-by-moment search past a compaction") {
  // 300 days of short periods: far more than the 65,536 kept periods after which the list is
  // compacted and the buckets renumbered.
  const Outcome o = run_case(21, 4, 1, Time::days(300), 1, 6);
  CHECK(o.holding > 200000);
  // Memory: every unit is inactive now and then, so the buckets behind its open periods are
  // counted and let go; what is held stays far below the horizon's 432,000 buckets (it would
  // hold them all, and the periods that won them, if none were let go).
  CHECK(o.buckets == 432000);
  CHECK(o.most_held < o.buckets / 4);
}

TEST_CASE("A unit stopped for good holds back no counting") {
  // 300 days: unit 0 works and waits by turns, 3 and 7 minutes; unit 1 works for an hour and
  // then waits for ever (a station whose supply ended). Nothing after its period's end says
  // that the period will not go on, but the time passing: the analysis must not keep every
  // bucket since, waiting for it.
  const Time horizon = Time::days(300);
  const std::vector<Time> months{Time::zero(), Time::days(100), Time::days(200)};
  ActivePeriods periods(2, horizon, months);
  Oracle oracle(2);
  OneMemberUnits units(periods, oracle, {true, true});
  const auto set = [&](std::uint32_t u, bool active, Time t) { units.set(u, active, t); };
  set(1, false, Time::hours(1));
  std::size_t most_held = 0;
  bool active = true;
  for (Time t = Time::minutes(3); t < horizon; t += Time::minutes(active ? 7 : 3)) {
    active = !active;
    set(0, active, t);
    most_held = std::max(most_held, periods.held());
  }
  // Unit 0 is the sole bottleneck 430,000 times.
  const ActivePeriods::Report r = report_and_check(periods, oracle, horizon, months, 1e-10);
  const std::int64_t B = periods.bucket().count();
  const auto buckets = static_cast<std::size_t>((horizon.count() + B - 1) / B);
  CHECK(r.window.sole[1] > 0.0);  // its hour was a bottleneck's
  CHECK(most_held < buckets / 4);
}

TEST_CASE("Ties under a unit active throughout are let go") {
  // 100 days: unit 0 is active all the time (a station never starved, blocked or down), so
  // nothing can be counted until the end. Units 1 to 8, copies of one line, work 90 s and wait
  // 30 s, each 15 s after the one before: at every moment several of their periods are as long
  // and overlap, so nearly every period painted ties, four a minute. Those ties can never count
  // (unit 0's period will be longer) and are let go: what is held stays near one bucket and
  // one period a minute, where keeping them held about six entries a minute.
  const Time horizon = Time::days(100);
  const std::vector<Time> months{Time::zero(), Time::days(50)};
  constexpr std::uint32_t kUnits = 9;
  ActivePeriods periods(kUnits, horizon, months);
  Oracle oracle(kUnits);
  std::vector<bool> active(kUnits, false);
  active[0] = active[1] = true;  // unit k > 1 starts 15 s after unit k - 1
  OneMemberUnits units(periods, oracle, active);
  const auto set = [&](std::uint32_t u, bool on, Time t) { units.set(u, on, t); };
  std::size_t most_held = 0;
  const Time step = Time::seconds(15);
  for (std::int64_t q = 1; q * step.count() < horizon.count(); ++q) {
    for (std::uint32_t u = 1; u < kUnits; ++u) {
      // Unit u works [u - 1 + 8k, u + 5 + 8k) steps.
      const std::int64_t phase = (q - (u - 1)) % 8;
      if (q < u - 1) continue;
      if (phase == 0) set(u, true, Time::ticks(q * step.count()));
      if (phase == 6) set(u, false, Time::ticks(q * step.count()));
    }
    most_held = std::max(most_held, periods.held());
  }
  const ActivePeriods::Report r = report_and_check(periods, oracle, horizon, months, 1e-10);
  const std::int64_t B = periods.bucket().count();
  const auto buckets = static_cast<std::size_t>((horizon.count() + B - 1) / B);
  CHECK(r.window.sole[0] == doctest::Approx(1.0));
  // The buckets (one a minute), the periods holding them (and those not yet compacted away),
  // and the ties of the last few thousand periods painted.
  CHECK(most_held < 3 * buckets);
}

TEST_CASE("A unit that tells its edges late keeps the ties under it") {
  // A station of several places tells its pace's edge only at its next change, after later
  // edges of other units. Here unit 0's pace ran out at 5 minutes but says so only after the
  // batch with units 1 and 2's tie over [30, 40) minutes: taken for active throughout, unit 0
  // would have made that tie look dead (its period seemingly 50 minutes long), and units 1 and
  // 2 the sole bottleneck by turns instead of shifting ones together.
  for (const std::size_t slack : {ActivePeriods::kTieSlack, std::size_t{1}}) {
    INFO("tie slack ", slack);
    ActivePeriods p(4, Time::days(1), {Time::zero()}, slack);
    p.add_member(0, true, Time::zero(), true);
    for (std::uint32_t u = 1; u < 4; ++u) p.add_member(u, false, Time::zero());
    p.edge(Time::minutes(30), 1, true);
    p.edge(Time::minutes(30), 2, true);
    p.edge(Time::minutes(40), 1, false);
    p.edge(Time::minutes(40), 2, false);
    p.edge(Time::minutes(50), 3, true);
    p.edge(Time::minutes(50) + Time::seconds(10), 3, false);  // 1 and 2 closed for good
    p.drain();
    p.edge(Time::minutes(5), 0, false);  // unit 0's pace ran out at 5 minutes, told now
    p.drain();
    const ActivePeriods::Report r = p.report(Time::minutes(60));
    // Moments with a bottleneck: 0 to 4 (unit 0) and 30 to 39 (units 1 and 2 alike).
    CHECK(r.window.shifting[1] == doctest::Approx(10.0 / 15));
    CHECK(r.window.shifting[2] == doctest::Approx(10.0 / 15));
    CHECK(r.window.sole[1] == 0.0);
  }
}
