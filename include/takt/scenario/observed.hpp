// What the plants really built, for `takt fit`: a tidy table `plant,period,output` where a
// period is a month (2022-08) or a span of months (2022-01..2022-06), so half-year and monthly
// figures mix. `all` as the plant sums every plant of the scenario (a company's figure).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/scenario/diagnostics.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::scenario {

/// The plant name that stands for every plant of the scenario together.
inline const std::string kAllPlants = "all";

struct ObservedPeriod {
  std::string plant;                 ///< a plant's name, or kAllPlants
  std::string period;                ///< as written: "2022-08" or "2022-01..2022-06"
  models::CalendarDate first, last;  ///< the first days of the period's first and last month
  double output = 0;                 ///< vehicles built in the period
  Location where;                    ///< the row, for messages
};

/// Reads `path` against the scenario it is fitted to: every plant must be one of the
/// scenario's (or `all`), every period inside the run's months, no (plant, period) twice, and
/// with `positive` (relative errors) every output above 0. Throws ScenarioError with every
/// problem, each "FILE:LINE:COL: error: COLUMN: message". `hash` (if given) receives the
/// FNV-1a of the text read, for a manifest.
std::vector<ObservedPeriod> load_observed(const std::filesystem::path& path, const Scenario& s,
                                          bool positive = false, std::string* hash = nullptr);

/// The period's months as indices from the month of the run's start (models::month_index).
int first_month_index(const ObservedPeriod& p, const Scenario& s);
int last_month_index(const ObservedPeriod& p, const Scenario& s);

}  // namespace takt::scenario
