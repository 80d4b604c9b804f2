// Builds small plants in code and measures them with batch means, for the analytic checks.
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "takt/experiment/summary.hpp"
#include "takt/models/plant.hpp"

namespace takt::test {

using models::FailureProfile;
using models::LineItem;
using models::PlantSpec;
using sim::Distribution;

inline LineItem station_item(const std::string& name, Distribution cycle,
                             std::vector<FailureProfile> failures = {}) {
  LineItem item;
  item.name = name;
  auto& station = item.spec.emplace<models::StationConfig>();
  station.cycle = {std::move(cycle)};
  station.failures = std::move(failures);
  return item;
}

inline LineItem buffer_item(const std::string& name, std::size_t capacity) {
  LineItem item;
  item.name = name;
  item.spec = models::BufferSpec{capacity};
  return item;
}

inline FailureProfile exponential_failures(double mtbf_s, double mttr_s) {
  FailureProfile f;
  f.ttf = Distribution::exponential(mtbf_s);
  f.ttr = Distribution::exponential(mttr_s);
  return f;
}

/// A plant named `name` of one product and one shop holding `items`.
inline PlantSpec one_shop(std::vector<LineItem> items, const std::string& name = "plant") {
  PlantSpec spec;
  spec.name = name;
  spec.products = {"car"};
  spec.mix = {1.0};
  models::ShopSpec shop;
  shop.name = "shop";
  shop.line = std::move(items);
  spec.shops.push_back(shop);
  return spec;
}

/// A serial line M1 b1 M2 b2 ... Mk in one shop; buffers of 0 places are direct hand-offs.
inline PlantSpec serial_line(const std::vector<Distribution>& cycles,
                             const std::vector<std::size_t>& buffers,
                             const std::vector<std::vector<FailureProfile>>& failures = {}) {
  PlantSpec spec = one_shop({}, "line");
  auto& line = spec.shops[0].line;
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    line.push_back(station_item("M" + std::to_string(i + 1), cycles[i],
                                i < failures.size() ? failures[i] : std::vector<FailureProfile>{}));
    if (i + 1 < cycles.size() && buffers[i] > 0) {
      line.push_back(buffer_item("B" + std::to_string(i + 1), buffers[i]));
    }
  }
  return spec;
}

/// The short line whose history tests/models/test_event_log.cpp works out by hand: M1 (1 min)
/// hands straight to M2 (2 min); M2 fails after every 3 min of work, for 1 min; a break from
/// 00:05 to 00:06 stops both. Runs 10 minutes from Monday 2023-01-02.
inline std::pair<PlantSpec, models::RunSettings> hand_worked_line() {
  FailureProfile breakdown;
  breakdown.ttf = Distribution::constant(180);
  breakdown.ttr = Distribution::constant(60);
  PlantSpec spec = serial_line({Distribution::constant(60), Distribution::constant(120)}, {0},
                               {{}, {breakdown}});
  const models::CalendarDate start = *models::CalendarDate::from_ymd(2023, 1, 2);
  models::WeekPattern week;
  week.workdays = {true, true, true, true, true, true, true};
  week.shifts = {{0, sim::Time::hours(24), {{5, sim::Time::minutes(1)}}}};
  spec.calendars.push_back({"with-break", models::ShiftCalendar(start, {{start, week}}, {})});
  spec.calendar = "with-break";
  models::RunSettings run;
  run.start = start;
  run.horizon = sim::Time::minutes(10);
  return {spec, run};
}

/// Per-batch KPIs of one long run: a warm-up, then `batches` windows of `batch` each.
struct Batches {
  std::vector<models::PlantKpis> windows;
  double batch_hours = 0;

  experiment::Summary of(double (*figure)(const models::PlantKpis&)) const {
    std::vector<double> v;
    for (const auto& k : windows) v.push_back(figure(k));
    return experiment::summarize(v);
  }
  experiment::Summary share(std::size_t station, models::StationState s) const {
    std::vector<double> v;
    for (const auto& k : windows) v.push_back(k.stations[station].shares[s]);
    return experiment::summarize(v);
  }
};

inline Batches run_batches(const PlantSpec& spec, sim::Time warmup, sim::Time batch, int batches,
                           std::uint64_t seed = 1) {
  models::RunSettings run;
  run.seed = seed;
  run.horizon = warmup + batch * batches;
  models::Plant plant(spec, run);
  plant.simulation().run_until(warmup);
  Batches out;
  out.batch_hours = batch.to_hours();
  for (int b = 1; b <= batches; ++b) {
    plant.begin_measurement();
    plant.simulation().run_until(warmup + batch * b);
    out.windows.push_back(plant.kpis());
  }
  return out;
}

inline double standard_error(const experiment::Summary& s) {
  return s.stddev / std::sqrt(static_cast<double>(s.n));
}

}  // namespace takt::test
