// Replications x plants as independent tasks: each builds its own Plant (its own Simulation
// and random streams), so tasks share nothing and any thread count gives the same numbers.
#include "takt/scenario/scenario_runner.hpp"

#include <algorithm>
#include <chrono>

#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/models/plant.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::scenario {

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result;
  result.scenario = scenario;
  if (options.replications > 0) result.scenario.replications = options.replications;
  if (options.seed) result.scenario.seed = *options.seed;
  const Scenario& s = result.scenario;
  const auto reps = static_cast<std::size_t>(s.replications);
  const std::size_t plants = s.plants.size();
  for (const models::PlantSpec& p : s.plants) {
    result.plants.push_back({p.name, p.capacity, std::vector<models::PlantKpis>(reps)});
  }
  const auto start = std::chrono::steady_clock::now();
  // The biggest plants' replications go first, so no thread is left with a long task at the
  // end; results still land in their (plant, replication) slot.
  std::vector<std::size_t> order(plants);
  for (std::size_t i = 0; i < plants; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return s.plants[a].capacity > s.plants[b].capacity;
  });
  // Counted in simulated plant-days, so that one long replication shows its progress too.
  const auto horizon_days =
      static_cast<std::size_t>(s.horizon.count() / sim::Time::days(1).count());
  experiment::Progress progress(reps * plants * horizon_days, options.progress, "plant-days",
                                std::chrono::seconds(1));
  experiment::parallel_for(reps * plants, options.jobs, [&](std::size_t task) {
    const std::size_t plant = order[task / reps], rep = task % reps;
    std::size_t told = 0;
    std::function<void(std::uint64_t)> tell;
    if (options.progress) {
      tell = [&](std::uint64_t days) {
        told += static_cast<std::size_t>(days);
        progress.advance(static_cast<std::size_t>(days));
      };
    }
    result.plants[plant].replications[rep] = run_replication(s, plant, rep, tell);
    if (told < horizon_days) progress.advance(horizon_days - told);  // the days after the last look
    sim::interrupt_point();
  });
  progress.finish();
  // A stop asked for after the last run began is honoured too: nothing half-done is reported.
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const PlantRuns& p : result.plants) {
    for (const models::PlantKpis& k : p.replications) result.events += k.events;
  }
  return result;
}

models::PlantKpis run_replication(const Scenario& s, std::size_t plant, std::size_t rep,
                                  const std::function<void(std::uint64_t)>& on_progress) {
  models::RunSettings run;
  run.seed = s.seed;
  run.replication = rep;
  run.start = s.start;
  run.warmup = s.warmup;
  run.horizon = s.horizon;
  run.stop_after = s.stop_after;
  run.on_progress = on_progress;
  models::Plant p(s.plants[plant], run);
  const std::string where =
      " (plant '" + s.plants[plant].name + "', replication " + std::to_string(rep) + ")";
  try {
    p.run();
  } catch (const sim::SimulationError& e) {
    throw sim::SimulationError(e.when(), std::string(e.what()) + where);
  }
  if (const std::string broken = p.broken_invariant(); !broken.empty()) {
    throw sim::SimulationError(p.simulation().now(),
                               "internal check failed, no result written: " + broken + where);
  }
  return p.kpis();
}

int months_to_reach(const models::PlantKpis& k, double share) {
  const double target = share * k.capacity / 12.0;
  for (std::size_t m = 0; m < k.monthly.size(); ++m) {
    if (static_cast<double>(k.monthly[m]) >= target) return static_cast<int>(m) + 1;
  }
  return -1;
}

namespace {

template <class Figure>
sim::Summary over_replications(const PlantRuns& runs, Figure figure) {
  std::vector<double> v;
  for (const models::PlantKpis& k : runs.replications) v.push_back(figure(k));
  return sim::summarize(v);
}

}  // namespace

PlantSummary summarize_plant(const PlantRuns& runs) {
  PlantSummary s;
  s.name = runs.name;
  s.capacity = runs.capacity;
  using K = models::PlantKpis;
  s.throughput_per_hour = over_replications(runs, [](const K& k) { return k.throughput_per_hour; });
  s.output = over_replications(runs, [](const K& k) { return static_cast<double>(k.output); });
  s.annual_output = over_replications(runs, [](const K& k) { return k.annual_output; });
  s.capacity_ratio = over_replications(runs, [](const K& k) { return k.capacity_ratio; });
  s.wip = over_replications(runs, [](const K& k) { return k.wip; });
  s.lead_time_hours = over_replications(runs, [](const K& k) { return k.lead_time_hours; });
  if (runs.replications.empty()) return s;
  const auto n = static_cast<double>(runs.replications.size());
  const K& first = runs.replications.front();
  for (std::size_t i = 0; i < first.stations.size(); ++i) {
    StationSummary st{first.stations[i].name, first.stations[i].shop, first.stations[i].kind, {}};
    for (const K& k : runs.replications) {
      for (std::size_t state = 0; state < models::kStateCount; ++state) {
        st.shares[state] += k.stations[i].shares[state] / n;
      }
    }
    s.stations.push_back(st);
  }
  double best = -1;
  for (const StationSummary& st : s.stations) {
    const double active =
        st.shares[models::kWorking] + st.shares[models::kDown] + st.shares[models::kSetup];
    if (active > best) {
      best = active;
      s.bottleneck = st.name;
      s.bottleneck_shop = st.shop;
    }
  }
  s.monthly_mean.assign(first.monthly.size(), 0.0);
  for (const K& k : runs.replications) {
    for (std::size_t m = 0; m < k.monthly.size(); ++m)
      s.monthly_mean[m] += static_cast<double>(k.monthly[m]) / n;
  }
  return s;
}

}  // namespace takt::scenario
