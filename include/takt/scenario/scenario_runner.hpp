// Runs every plant of a scenario for every replication, in parallel, and keeps the KPIs in
// (replication, plant) order so results never depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "takt/models/kpi.hpp"
#include "takt/scenario/scenario.hpp"
#include "takt/sim/summary.hpp"

namespace takt::scenario {

struct RunOptions {
  int replications = 0;               ///< 0: the scenario's own
  std::optional<std::uint64_t> seed;  ///< replaces the scenario's seed
  int jobs = 0;                       ///< threads; 0: one per hardware thread
  bool progress = false;              ///< a progress line on stderr once a run takes a second
};

struct PlantRuns {
  std::string name;
  double capacity = 0;
  std::vector<models::PlantKpis> replications;
};

struct RunResult {
  Scenario scenario;  ///< with replications and seed as run
  std::vector<PlantRuns> plants;
  double wall_seconds = 0;
  std::uint64_t events = 0;
};

/// Runs the scenario. Throws sim::SimulationError (a deadlock) with the plant and replication.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

/// One replication of one plant of a scenario, as run_scenario runs it; `on_progress` (if
/// any) is told the simulated days as they pass (models::RunSettings::on_progress).
models::PlantKpis run_replication(const Scenario& scenario, std::size_t plant,
                                  std::size_t replication,
                                  const std::function<void(std::uint64_t)>& on_progress = {});

/// Months from the start until the first calendar month whose output reaches `share` of the
/// monthly nameplate (capacity / 12), counting that month; -1 if no month does.
int months_to_reach(const models::PlantKpis& k, double share);

struct StationSummary {
  std::string name, shop, kind;
  std::array<double, models::kStateCount> shares{};  ///< means over replications
};

/// What a planner reads for one plant: figures summarised over replications.
struct PlantSummary {
  std::string name;
  double capacity = 0;
  sim::Summary throughput_per_hour, output, annual_output, capacity_ratio, wip, lead_time_hours;
  std::string bottleneck;  ///< highest mean active share (working + down + setup)
  std::string bottleneck_shop;
  std::vector<StationSummary> stations;
  std::vector<double> monthly_mean;  ///< mean output per calendar month
};

PlantSummary summarize_plant(const PlantRuns& runs);

}  // namespace takt::scenario
