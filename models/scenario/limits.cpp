// Counting a plant's equipment and estimating its events from the spec alone, so that limits
// are checked before a plant is built or a run begins.
#include "takt/scenario/limits.hpp"

#include <algorithm>

#include "takt/scenario/scenario.hpp"

namespace takt::scenario {
namespace limits {
namespace {

using models::LineItem;

// Jobs per second an item can finish at most (paced lines: indexes per second).
double fastest_rate(const LineItem& item) {
  if (item.is_storage()) return 0;
  if (const auto* paced = item.as<models::PacedLineConfig>())
    return 1.0 / std::max(paced->takt.to_seconds(), 1e-6);
  const auto& station = std::get<models::StationConfig>(item.spec);
  double shortest = 0;
  for (const sim::Distribution& d : station.cycle) {
    shortest = shortest == 0 ? d.mean() : std::min(shortest, d.mean());
  }
  return static_cast<double>(station.servers) / std::max(shortest, 1e-6);
}

// Failure and repair events per second: one failure and one repair per cycle of each clock
// (a paced line has a clock per position and profile).
double failure_rate(const LineItem& item) {
  if (item.is_storage()) return 0;
  const auto* paced = item.as<models::PacedLineConfig>();
  const auto& profiles =
      paced != nullptr ? paced->failures : std::get<models::StationConfig>(item.spec).failures;
  const double clocks = paced != nullptr ? static_cast<double>(paced->positions) : 1.0;
  double rate = 0;
  for (const models::FailureProfile& p : profiles)
    rate += clocks * 2.0 / std::max(p.ttf.mean() + p.ttr.mean(), 1e-6);
  return rate;
}

// Ramp-up steps per second.
double ramp_rate(const std::vector<models::RampUpSpec>& ramps) {
  double rate = 0;
  for (const models::RampUpSpec& r : ramps) {
    if (!r.curve.is_learning()) rate += 1.0 / std::max(r.step.to_seconds(), 1e-6);
  }
  return rate;
}

template <class Visit>
void for_each_item(const models::PlantSpec& plant, Visit visit) {
  for (const models::ShopSpec& shop : plant.shops) {
    for (const LineItem& item : shop.line) visit(item, static_cast<std::size_t>(shop.lines));
    for (const models::LoopSpec& loop : shop.loops) {
      for (const LineItem& item : loop.line) visit(item, 1);
    }
  }
}

}  // namespace

// A station whose servers fail alone is built as one station per server.
std::size_t built_objects(const LineItem& item) {
  const auto* st = item.as<models::StationConfig>();
  if (st == nullptr || st->failures.empty() || !st->failures.front().per_server) return 1;
  return static_cast<std::size_t>(std::max(st->servers, 1));
}

std::size_t equipment_count(const models::PlantSpec& plant) {
  std::size_t n = 0;
  for_each_item(
      plant, [&](const LineItem& item, std::size_t copies) { n += copies * built_objects(item); });
  return n;
}

double estimated_events(const models::PlantSpec& plant, sim::Time horizon) {
  double per_second = 0;
  for_each_item(plant, [&](const LineItem& item, std::size_t copies) {
    per_second += (fastest_rate(item) + failure_rate(item) + ramp_rate(item.ramp_up)) *
                  static_cast<double>(copies);
  });
  per_second += ramp_rate(plant.ramp_up);
  for (const models::ShopSpec& shop : plant.shops) per_second += ramp_rate(shop.ramp_up);
  if (!plant.unlimited_arrivals) per_second += 1.0 / std::max(plant.interarrival.mean(), 1e-6);
  return 2.0 * per_second * horizon.to_seconds();
}

}  // namespace limits

std::string check_run_size(const Scenario& scenario, std::int64_t replications) {
  std::uint64_t rows_per_replication = 0;
  for (const models::PlantSpec& p : scenario.plants)
    rows_per_replication += limits::equipment_count(p);
  const auto rows =
      rows_per_replication * static_cast<std::uint64_t>(std::max<std::int64_t>(replications, 0));
  if (rows <= limits::kResultRows) return "";
  return std::to_string(replications) + " replications of " + std::to_string(rows_per_replication) +
         " stations and buffers would keep " + std::to_string(rows) +
         " results in memory; the limit is " + std::to_string(limits::kResultRows) +
         " (use fewer replications, or split the plants)";
}

}  // namespace takt::scenario
