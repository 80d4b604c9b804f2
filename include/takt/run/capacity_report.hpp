// `takt capacity`: the scenario's capacity bound per plant, as text and JSON.
#pragma once

#include <string>
#include <vector>

#include "takt/models/capacity_bound.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::run {

/// Each plant's bound over the scenario's measured window (after the warm-up to the horizon).
std::vector<models::PlantBound> capacity_bounds(const scenario::Scenario& s);

/// The table (bound per year against capacity, and what sets it) and each plant's tightest
/// stations.
std::string capacity_text(const scenario::Scenario& s, const std::vector<models::PlantBound>& b);
std::string capacity_json(const scenario::Scenario& s, const std::vector<models::PlantBound>& b);
/// capacity.csv: one row per station of each plant (with the plant's bound on every row), in
/// flow order.
std::string capacity_csv(const std::vector<models::PlantBound>& b);

}  // namespace takt::run
