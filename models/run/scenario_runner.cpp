// Replications x plants as independent tasks: each builds its own Plant (its own Simulation
// and random streams), so tasks share nothing and any thread count gives the same numbers.
#include "takt/run/scenario_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/models/plant.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/hash.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::run {

namespace {

// The biggest plants' replications go first, so no thread is left with a long task at the end;
// results still land in their (plant, replication) slot.
std::vector<std::size_t> biggest_first(const Scenario& s) {
  std::vector<std::size_t> order(s.plants.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return s.plants[a].capacity > s.plants[b].capacity;
  });
  return order;
}

// Replications [from, to) of every plant, in parallel, into their slots.
void run_batch(RunResult& result, std::size_t from, std::size_t to, const RunOptions& options,
               std::vector<std::unique_ptr<TraceRecorder>>& recorders,
               experiment::Progress& progress) {
  const Scenario& s = result.scenario;
  for (PlantRuns& p : result.plants) p.replications.resize(to);
  const std::size_t reps = to - from, plants = s.plants.size();
  const std::vector<std::size_t> order = biggest_first(s);
  const auto horizon_days =
      static_cast<std::size_t>(s.horizon.count() / sim::Time::days(1).count());
  experiment::parallel_for(reps * plants, options.jobs, [&](std::size_t task) {
    const std::size_t plant = order[task / reps], rep = from + task % reps;
    std::size_t told = 0;
    std::function<void(std::uint64_t)> tell;
    if (options.progress) {
      tell = [&](std::uint64_t days) {
        told += static_cast<std::size_t>(days);
        progress.advance(static_cast<std::size_t>(days));
      };
    }
    TraceRecorder* recorder =
        options.trace && rep == options.trace->replication ? recorders[plant].get() : nullptr;
    result.plants[plant].replications[rep] = run_replication(s, plant, rep, tell, recorder);
    if (told < horizon_days) progress.advance(horizon_days - told);  // the days after the last look
    sim::interrupt_point();
  });
}

PrecisionReport judge_precision(const RunResult& r, const scenario::PrecisionRule& rule) {
  PrecisionReport report{rule, r.scenario.replications, true, {}};
  for (const PlantRuns& p : r.plants) {
    const double reached = relative_half_width(p.replications);
    report.reached.push_back({p.name, reached});
    report.met = report.met && reached <= rule.half_width;
  }
  return report;
}

// Each traced plant's intervals, closed at the end of its run.
void finish_traces(RunResult& result, std::vector<std::unique_ptr<TraceRecorder>>& recorders) {
  for (std::size_t p = 0; p < recorders.size(); ++p) {
    if (recorders[p] == nullptr) continue;
    const models::PlantKpis& k = result.plants[p].replications[result.trace->replication];
    const sim::Time end = result.scenario.warmup + sim::Time::seconds(k.measured_hours * 3600.0);
    result.trace_by_plant.push_back(recorders[p]->finish(end));
  }
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result;
  result.scenario = scenario;
  if (options.replications > 0) {
    result.scenario.replications = options.replications;
    result.scenario.precision.reset();  // a count asked for replaces the file's rule
  }
  if (options.seed) result.scenario.seed = *options.seed;
  if (options.precision) result.scenario.precision = options.precision;
  const std::optional<scenario::PrecisionRule> rule = result.scenario.precision;
  if (rule) result.scenario.replications = rule->min;
  const Scenario& s = result.scenario;
  for (const models::PlantSpec& p : s.plants) {
    result.plants.push_back({p.name, p.capacity, {}, p.prices, p.investment});
  }
  // One recorder per plant for the traced replication; each is used by one task only.
  result.trace = options.trace;
  std::vector<std::unique_ptr<TraceRecorder>> recorders(s.plants.size());
  if (options.trace) {
    for (auto& r : recorders)
      r = std::make_unique<TraceRecorder>(options.trace->from, options.trace->to);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto horizon_days =
      static_cast<std::size_t>(s.horizon.count() / sim::Time::days(1).count());
  const auto most = static_cast<std::size_t>(rule ? rule->max : s.replications);
  // Counted in simulated plant-days, so that one long replication shows its progress too
  // (with a precision rule the total is its maximum: the line ends early when it stops).
  experiment::Progress progress(most * s.plants.size() * horizon_days, options.progress,
                                "plant-days", std::chrono::seconds(1));
  std::size_t done = 0;
  for (auto target = static_cast<std::size_t>(s.replications);;) {
    run_batch(result, done, target, options, recorders, progress);
    done = target;
    result.scenario.replications = static_cast<int>(done);
    if (!rule) break;
    // Looked at only after whole batches: the count depends on the seeds alone.
    result.precision = judge_precision(result, *rule);
    if (result.precision->met || done >= most) break;
    target = std::min(most, done + static_cast<std::size_t>(rule->step));
  }
  progress.finish();
  // A stop asked for after the last run began is honoured too: nothing half-done is reported.
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const PlantRuns& p : result.plants) {
    for (const models::PlantKpis& k : p.replications) result.events += k.events;
  }
  if (options.trace && options.trace->replication >= done) {
    for (auto& r : recorders) r.reset();
  }
  finish_traces(result, recorders);
  return result;
}

double relative_half_width(const std::vector<models::PlantKpis>& replications) {
  std::vector<double> annual;
  for (const models::PlantKpis& k : replications) annual.push_back(k.annual_rate);
  return relative_half_width(annual);
}

double relative_half_width(const std::vector<double>& values) {
  // Values all alike have no spread, whatever the rounding of their mean says.
  if (std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) == values.end())
    return 0;
  const experiment::Summary a = experiment::summarize(values);
  const double half = (a.ci_high - a.ci_low) / 2;
  if (half == 0) return 0;
  return a.mean == 0 ? std::numeric_limits<double>::infinity() : half / std::abs(a.mean);
}

std::string run_id(const Scenario& s) {
  return sim::fnv1a_hex(s.resolved_hash + "\nseed " + std::to_string(s.seed) + "\nreplications " +
                        std::to_string(s.replications));
}

namespace {

models::PlantKpis run_one(const Scenario& s, std::size_t plant, std::size_t rep,
                          const std::function<void(std::uint64_t)>& on_progress,
                          models::StateObserver* observer, bool bottlenecks) {
  models::RunSettings run;
  run.bottlenecks = bottlenecks;
  run.seed = s.seed;
  run.replication = rep;
  run.start = s.start;
  run.warmup = s.warmup;
  run.horizon = s.horizon;
  run.stop_after = s.stop_after;
  run.on_progress = on_progress;
  run.observer = observer;
  models::Plant p(s.plants[plant], run);
  try {
    p.run();
    if (const std::string broken = p.broken_invariant(); !broken.empty()) {
      throw sim::SimulationError(p.simulation().now(),
                                 "internal check failed, no result written: " + broken);
    }
  } catch (sim::SimulationError& e) {
    e.place().plant = s.plants[plant].name;
    e.place().replication = rep;
    throw;
  }
  return p.kpis();
}

}  // namespace

models::PlantKpis run_replication(const Scenario& s, std::size_t plant, std::size_t rep,
                                  const std::function<void(std::uint64_t)>& on_progress,
                                  models::StateObserver* observer) {
  return run_one(s, plant, rep, on_progress, observer, true);
}

models::PlantKpis run_replication_output_only(const Scenario& s, std::size_t plant,
                                              std::size_t rep) {
  return run_one(s, plant, rep, {}, nullptr, false);
}

int months_to_reach(const models::PlantKpis& k, double share) {
  const std::size_t n = std::min(k.monthly.size(), k.monthly_nameplate.size());
  const std::size_t first = k.first_production_month;
  for (std::size_t m = first; m < n; ++m) {
    double built = 0, nameplate = 0;
    for (std::size_t i = m > 0 ? m - 1 : 0; i <= std::min(n - 1, m + 1); ++i) {
      built += static_cast<double>(k.monthly[i]);
      nameplate += k.monthly_nameplate[i];
    }
    if (nameplate > 0 && built >= share * nameplate) return static_cast<int>(m - first) + 1;
  }
  return -1;
}

namespace {

// The p-quantile by linear interpolation between order statistics, where the values after
// `reached` sorted ones are "not reached": undefined if it needs one of them.
std::optional<double> censored_percentile(const std::vector<double>& sorted, std::size_t total,
                                          double p) {
  const double position = p * static_cast<double>(total - 1);
  const auto low = static_cast<std::size_t>(position);
  const std::size_t high = std::min(total - 1, low + 1);
  const double fraction = position - static_cast<double>(low);
  if (low >= sorted.size() || (fraction > 0 && high >= sorted.size())) return std::nullopt;
  if (fraction == 0) return sorted[low];
  return sorted[low] + fraction * (sorted[high] - sorted[low]);
}

}  // namespace

ReachSummary summarize_reach(const std::vector<int>& months) {
  ReachSummary r;
  std::vector<double> reached;
  for (const int m : months) {
    if (m > 0) reached.push_back(m);
  }
  r.reached = reached.size();
  r.not_reached = months.size() - reached.size();
  if (reached.empty()) return r;
  std::sort(reached.begin(), reached.end());
  r.p10 = censored_percentile(reached, months.size(), 0.1);
  r.p50 = censored_percentile(reached, months.size(), 0.5);
  r.p90 = censored_percentile(reached, months.size(), 0.9);
  if (r.not_reached > 0) return r;
  const experiment::Summary s = experiment::summarize(reached);
  r.mean = s.mean;
  if (s.n < 2) return r;  // one replication: no interval
  r.ci_low = s.ci_low;
  r.ci_high = s.ci_high;
  return r;
}

std::array<double, models::kStateCount> scheduled_shares(
    const std::array<double, models::kStateCount>& calendar) {
  std::array<double, models::kStateCount> out{};
  const double scheduled = 1.0 - calendar[models::kOffShift] - calendar[models::kNotStarted];
  if (scheduled <= 1e-12) return out;
  for (std::size_t s = 0; s < models::kStateCount; ++s) {
    if (models::is_scheduled(static_cast<models::StationState>(s)))
      out[s] = calendar[s] / scheduled;
  }
  return out;
}

namespace {

MonthSummary summarize_month(const PlantRuns& runs, std::size_t m) {
  using K = models::PlantKpis;
  MonthSummary s;
  const K& first = runs.replications.front();
  const auto at = [m](const std::vector<std::uint64_t>& v) {
    return m < v.size() ? static_cast<double>(v[m]) : 0.0;
  };
  if (m < first.monthly_orders.size()) s.orders = first.monthly_orders[m];
  s.output = over_replications(runs, [&](const K& k) { return at(k.monthly); });
  s.backlog = over_replications(runs, [&](const K& k) { return at(k.monthly_backlog); });
  s.lost = over_replications(runs, [&](const K& k) { return at(k.monthly_lost); });
  s.shipped = over_replications(runs, [&](const K& k) { return at(k.monthly_shipped); });
  s.stock = over_replications(runs, [&](const K& k) { return at(k.monthly_stock); });
  for (std::size_t v = 0; v < first.product_months.size(); ++v) {
    const auto of = [&](auto field) {
      return over_replications(runs, [&](const K& k) { return at(k.product_months[v].*field); });
    };
    s.products.push_back({first.products[v].name, first.product_months[v].orders[m],
                          of(&models::ProductMonths::output), of(&models::ProductMonths::backlog),
                          of(&models::ProductMonths::lost)});
  }
  // The most frequent limit; ties go to the earlier in MonthLimit's order.
  std::array<std::size_t, models::kMonthLimitCount> votes{};
  for (const K& k : runs.replications) {
    if (m < k.monthly_limit.size()) ++votes[static_cast<std::size_t>(k.monthly_limit[m])];
  }
  const auto best = std::max_element(votes.begin(), votes.end());
  s.limited_by = static_cast<models::MonthLimit>(best - votes.begin());
  s.limited_share = static_cast<double>(*best) / static_cast<double>(runs.replications.size());
  return s;
}

// Per station its shares as sole and shifting bottleneck over replications, and how often it
// led; the leader names the plant's bottleneck, with the stations within noise of it.
void add_shifting_bottleneck(const PlantRuns& runs, PlantSummary& s) {
  using K = models::PlantKpis;
  const auto both = [](const models::StationKpi& st) {
    return st.bottleneck_sole + st.bottleneck_shifting;
  };
  for (std::size_t i = 0; i < s.stations.size(); ++i) {
    StationSummary& st = s.stations[i];
    st.sole = over_replications(runs, [i](const K& k) { return k.stations[i].bottleneck_sole; });
    st.shifting =
        over_replications(runs, [i](const K& k) { return k.stations[i].bottleneck_shifting; });
    st.bottleneck = over_replications(runs, [&](const K& k) { return both(k.stations[i]); });
  }
  for (const K& k : runs.replications) {
    double most = 0;
    for (const models::StationKpi& st : k.stations) most = std::max(most, both(st));
    if (most <= 0) continue;
    // Every station whose share is the largest led (the first of tied copies alone was said
    // to). Shares are counts of moments over their number n, the sole share summed 1/n at a
    // time, so equal counts split otherwise between sole and shifting may differ in the last
    // bits (14 x 0.02 against 0.28); counts that differ are 1/n apart, and n stays below 2^21
    // (the window's moments), far above the tolerance.
    for (std::size_t i = 0; i < k.stations.size() && i < s.stations.size(); ++i) {
      if (both(k.stations[i]) >= most - 1e-9) ++s.stations[i].led;
    }
  }
  const StationSummary* leader = nullptr;
  for (const StationSummary& st : s.stations) {
    if (leader == nullptr || st.bottleneck.mean > leader->bottleneck.mean) leader = &st;
  }
  if (leader == nullptr || leader->bottleneck.mean <= 0) leader = models::most_active(s.stations);
  if (leader == nullptr) return;
  s.bottleneck = leader->name;
  s.bottleneck_shop = leader->shop;
  if (leader->bottleneck.n < 2) return;
  std::vector<const StationSummary*> close{leader};
  for (const StationSummary& st : s.stations) {
    // Within noise: its interval reaches the leader's, or it led some replication itself.
    const bool overlaps = st.bottleneck.ci_high >= leader->bottleneck.ci_low;
    if (&st != leader && st.bottleneck.mean > 0 && (overlaps || st.led > 0)) close.push_back(&st);
  }
  std::stable_sort(close.begin() + 1, close.end(), [](const auto* a, const auto* b) {
    return a->bottleneck.mean > b->bottleneck.mean;
  });
  if (close.size() < 2) return;
  for (const StationSummary* st : close) s.within_noise.push_back(st->name);
}

}  // namespace

double mean_price(const PlantRuns& runs, const models::PlantKpis& k) {
  if (runs.prices.empty() || runs.prices.size() != k.products.size()) return 0;
  double built = 0, value = 0;
  for (std::size_t v = 0; v < k.products.size(); ++v) {
    built += static_cast<double>(k.products[v].output);
    value += static_cast<double>(k.products[v].output) * runs.prices[v];
  }
  if (built > 0) return value / built;
  double sum = 0;  // nothing built: the prices at face value, equally
  for (const double p : runs.prices) sum += p;
  return sum / static_cast<double>(runs.prices.size());
}

namespace {

// The jobs the bottleneck completed per hour it worked, in one replication: one of several line
// copies builds its own share of the plant's output, not all of it.
double bottleneck_jobs_per_hour(const PlantSummary& s, const models::PlantKpis& k) {
  for (const models::StationKpi& st : k.stations) {
    if (st.name != s.bottleneck) continue;
    const double hours = st.shares[models::kWorking] * k.measured_hours;
    return hours > 0 ? static_cast<double>(st.completed) / hours : 0.0;
  }
  return 0;
}

MoneySummary summarize_money(const PlantRuns& runs, const PlantSummary& s) {
  MoneySummary m;
  m.has_prices = !runs.prices.empty();
  m.investment = runs.investment;
  using K = models::PlantKpis;
  if (m.has_prices) {
    m.annual_value =
        over_replications(runs, [&](const K& k) { return k.annual_rate * mean_price(runs, k); });
    for (std::size_t y = 0; y < s.years.size(); ++y) {
      m.year_value.push_back(over_replications(runs, [&](const K& k) {
        return static_cast<double>(k.years[y].output) * mean_price(runs, k);
      }));
    }
    m.bottleneck_hour_value = over_replications(
        runs, [&](const K& k) { return bottleneck_jobs_per_hour(s, k) * mean_price(runs, k); });
  }
  if (m.investment) {
    m.investment_per_capacity = s.capacity > 0 ? *m.investment / s.capacity : 0;
    m.investment_per_vehicle = s.annual_rate.mean > 0 ? *m.investment / s.annual_rate.mean : 0;
  }
  return m;
}

}  // namespace

PlantSummary summarize_plant(const PlantRuns& runs) {
  PlantSummary s;
  s.name = runs.name;
  s.capacity = runs.capacity;
  using K = models::PlantKpis;
  s.throughput_per_hour = over_replications(runs, [](const K& k) { return k.throughput_per_hour; });
  s.output = over_replications(runs, [](const K& k) { return static_cast<double>(k.output); });
  s.annual_rate = over_replications(runs, [](const K& k) { return k.annual_rate; });
  s.capacity_ratio = over_replications(runs, [](const K& k) { return k.capacity_ratio; });
  s.wip = over_replications(runs, [](const K& k) { return k.wip; });
  s.lead_time_hours = over_replications(runs, [](const K& k) { return k.lead_time_hours; });
  if (runs.replications.empty()) return s;
  const auto n = static_cast<double>(runs.replications.size());
  const K& first = runs.replications.front();
  for (std::size_t i = 0; i < first.stations.size(); ++i) {
    StationSummary st;
    st.name = first.stations[i].name;
    st.shop = first.stations[i].shop;
    st.kind = first.stations[i].kind;
    for (const K& k : runs.replications) {
      const auto scheduled = scheduled_shares(k.stations[i].shares);
      for (std::size_t state = 0; state < models::kStateCount; ++state) {
        st.shares[state] += k.stations[i].shares[state] / n;
        st.scheduled[state] += scheduled[state] / n;
      }
    }
    s.stations.push_back(st);
  }
  add_shifting_bottleneck(runs, s);
  std::vector<int> m80, m90;
  for (const K& k : runs.replications) {
    m80.push_back(months_to_reach(k, 0.8));
    m90.push_back(months_to_reach(k, 0.9));
  }
  s.months_to_80 = summarize_reach(m80);
  s.months_to_90 = summarize_reach(m90);
  for (std::size_t y = 0; y < first.years.size(); ++y) {
    const models::YearKpi& year = first.years[y];
    s.years.push_back(
        {year.year, year.whole,
         over_replications(runs,
                           [y](const K& k) { return static_cast<double>(k.years[y].output); }),
         year.nameplate});
  }
  s.has_orders = !first.monthly_orders.empty();
  s.has_storage = !first.monthly_shipped.empty();
  for (std::size_t m = 0; m < first.monthly.size(); ++m)
    s.months.push_back(summarize_month(runs, m));
  s.monthly_mean.assign(first.monthly.size(), 0.0);
  for (const K& k : runs.replications) {
    for (std::size_t m = 0; m < k.monthly.size(); ++m)
      s.monthly_mean[m] += static_cast<double>(k.monthly[m]) / n;
  }
  s.money = summarize_money(runs, s);
  return s;
}

}  // namespace takt::run
