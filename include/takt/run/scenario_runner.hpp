// Runs every plant of a scenario for every replication, in parallel, and keeps the KPIs in
// (replication, plant) order so results never depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "takt/experiment/summary.hpp"
#include "takt/models/kpi.hpp"
#include "takt/models/state_observer.hpp"
#include "takt/run/trace_recorder.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::run {

using scenario::Scenario;

/// Which replication an event trace follows, and the window of simulated time it covers.
struct TraceRequest {
  std::size_t replication = 0;
  sim::Time from, to = sim::Time::days(1);
};

struct RunOptions {
  int replications = 0;               ///< 0: the scenario's own
  std::optional<std::uint64_t> seed;  ///< replaces the scenario's seed
  int jobs = 0;                       ///< threads; 0: one per hardware thread
  bool progress = false;              ///< a progress line on stderr once a run takes a second
  std::optional<TraceRequest> trace;  ///< record an event trace of one replication
  /// Replications until a precision (replaces the scenario's rule or count).
  std::optional<scenario::PrecisionRule> precision;
};

/// How a precision rule ended: the replications it ran and, per plant, the 95 % half-width of
/// the annual output as a share of its mean (0 for a plant that never varies).
struct PrecisionReport {
  scenario::PrecisionRule rule;
  int replications = 0;
  bool met = false;  ///< every plant within the rule's share (else `max` was reached)
  std::vector<std::pair<std::string, double>> reached;
};

struct PlantRuns {
  std::string name;
  double capacity = 0;
  std::vector<models::PlantKpis> replications;
  std::vector<double> prices;        ///< yuan per vehicle by product (empty: none given)
  std::optional<double> investment;  ///< yuan (nullopt: not given)
};

/// A replication's mean price per vehicle: its products' prices weighted by what it built of
/// each (all alike when it built nothing); 0 without prices.
double mean_price(const PlantRuns& runs, const models::PlantKpis& k);

struct RunResult {
  Scenario scenario;  ///< with replications and seed as run
  std::vector<PlantRuns> plants;
  std::optional<TraceRequest> trace;
  std::vector<std::vector<TraceInterval>> trace_by_plant;  ///< when a trace was asked for
  std::optional<PrecisionReport> precision;                ///< with a precision rule
  double wall_seconds = 0;
  std::uint64_t events = 0;
};

/// Runs the scenario: its replications, or with a precision rule (the options' or the
/// scenario's) batches of them until every plant's annual output is known to the rule's share
/// (scenario::PrecisionRule); `scenario.replications` of the result is the count run. Throws
/// sim::SimulationError (a deadlock) with the plant and replication.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

/// The share of its mean that the 95 % half-width of a plant's annual output over these
/// replications is: what a precision rule judges (0 when it does not vary; infinite when its
/// mean is 0 and it varies).
double relative_half_width(const std::vector<models::PlantKpis>& replications);
/// The same for any figure's values over replications.
double relative_half_width(const std::vector<double>& values);

/// What identifies a run in every output row: a hash of the resolved scenario (its tree with
/// every edit made, Scenario::resolved_hash), the seed and the replication count, 16 hex
/// digits. Identical runs share it; a comment changes nothing.
std::string run_id(const Scenario& scenario);

/// One replication of one plant of a scenario, as run_scenario runs it; `on_progress` (if
/// any) is told the simulated days as they pass (models::RunSettings::on_progress), and
/// `observer` (if any) every state change.
models::PlantKpis run_replication(const Scenario& scenario, std::size_t plant,
                                  std::size_t replication,
                                  const std::function<void(std::uint64_t)>& on_progress = {},
                                  models::StateObserver* observer = nullptr);
/// run_replication() for callers that read only what was built (output, monthly figures,
/// annual rate): without the shifting-bottleneck analysis (models::RunSettings::bottlenecks),
/// so its station bottleneck shares are zero and its leader the most active station.
models::PlantKpis run_replication_output_only(const Scenario& scenario, std::size_t plant,
                                              std::size_t replication);

/// Months from the plant's start of production (the run's start without one) to the first
/// month whose smoothed output reaches `share` of its
/// nameplate, counting that month; -1 if none does. Smoothed: the output of the month and its
/// two neighbours against their nameplates (PlantKpis::monthly_nameplate), so a Spring Festival
/// month asks for less and one lucky month does not count as reaching the level.
int months_to_reach(const models::PlantKpis& k, double share);

/// A figure some replications may never reach: summarised over those that did, with the count
/// of those that did not (one replication: no interval). With any not reached, the mean and
/// its interval are undefined and a
/// percentile is defined only where it falls among the reached values (the others count as
/// later than any).
struct ReachSummary {
  std::size_t reached = 0, not_reached = 0;
  std::optional<double> mean, ci_low, ci_high, p10, p50, p90;
};

/// `months` as months_to_reach gives them (-1: not reached).
ReachSummary summarize_reach(const std::vector<int>& months);

/// State shares of scheduled time (off shift left out) from shares of calendar time; the
/// off-shift entry is 0, and every entry is 0 for equipment that was never scheduled.
std::array<double, models::kStateCount> scheduled_shares(
    const std::array<double, models::kStateCount>& calendar);

struct StationSummary {
  std::string name, shop, kind;
  std::array<double, models::kStateCount> shares{};  ///< of calendar time, means over replications
  std::array<double, models::kStateCount> scheduled{};  ///< of scheduled time, likewise
  /// Shifting bottleneck: the shares of the window it was the sole bottleneck, a shifting one,
  /// and either (their sum), over replications; and in how many replications its sum was the
  /// largest of the plant's.
  experiment::Summary sole, shifting, bottleneck;
  int led = 0;
};

/// A calendar year's output summarised over replications, against its nameplate.
struct YearSummary {
  int year = 0;
  bool whole = false;  ///< the run covers it from 1 January to 31 December
  experiment::Summary output;
  double nameplate = 0;  ///< the capacity spread over the year's working hours inside the run
};

/// A calendar month summarised over replications: its orders (the plan's; absent without one),
/// output, backlog and lost orders, and what limited it in most replications.
/// One product's month, with an order plan by product, over replications.
struct ProductMonthSummary {
  std::string name;
  std::uint64_t orders = 0;
  experiment::Summary output, backlog, lost;
};

struct MonthSummary {
  std::optional<std::uint64_t> orders;
  experiment::Summary output, backlog, lost;
  experiment::Summary shipped, stock;  ///< make to stock only: shipped, stock at the month's end
  std::vector<ProductMonthSummary> products;  ///< with orders by product (else empty)
  models::MonthLimit limited_by = models::MonthLimit::kCapacity;
  double limited_share = 0;  ///< the share of replications it limited
};

/// Money, with prices or an investment given: what the output is worth and what the capacity
/// cost. Values use each replication's product mix (mean_price).
struct MoneySummary {
  bool has_prices = false;
  std::optional<double> investment;
  experiment::Summary annual_value;             ///< yuan per year: annual rate x mean price
  std::vector<experiment::Summary> year_value;  ///< per calendar year, as PlantSummary::years
  /// Yuan per working hour of the bottleneck: the jobs it completed per hour it worked, times
  /// the mean price (what one more such hour is worth while it sets the pace; one of several
  /// line copies counts its own jobs, and a rework pass counts as a job).
  experiment::Summary bottleneck_hour_value;
  double investment_per_capacity = 0;  ///< yuan per vehicle a year of stated capacity
  double investment_per_vehicle = 0;   ///< yuan per vehicle a year of projected annual output
};

/// What a planner reads for one plant: figures summarised over replications.
struct PlantSummary {
  std::string name;
  double capacity = 0;
  experiment::Summary throughput_per_hour, output, annual_rate, capacity_ratio, wip,
      lead_time_hours;
  /// The shifting-bottleneck leader: the highest mean share as sole or shifting bottleneck
  /// (without any, the highest mean active share: working + down + setup).
  std::string bottleneck;
  /// The stations whose bottleneck share's 95 % interval reaches the leader's, or that led some
  /// replication, the leader first, when there are two or more: no one of them can be named as
  /// the bottleneck.
  std::vector<std::string> within_noise;
  std::string bottleneck_shop;
  std::vector<StationSummary> stations;
  std::vector<double> monthly_mean;  ///< mean output per calendar month
  std::vector<YearSummary> years;    ///< each calendar year the run reaches
  std::vector<MonthSummary> months;  ///< each calendar month of the run
  bool has_orders = false;           ///< the plant has an order plan
  bool has_storage = false;          ///< ... and makes to stock into a storage centre
  ReachSummary months_to_80, months_to_90;
  MoneySummary money;
};

PlantSummary summarize_plant(const PlantRuns& runs);

/// One figure of a plant (`figure(kpis)`) summarised over its replications.
template <class Figure>
experiment::Summary over_replications(const PlantRuns& runs, Figure figure) {
  std::vector<double> v;
  for (const models::PlantKpis& k : runs.replications) v.push_back(figure(k));
  return experiment::summarize(v);
}

}  // namespace takt::run
