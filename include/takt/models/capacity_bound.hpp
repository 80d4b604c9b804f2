// An upper bound on a plant's output without simulation: each station's effective rate in
// vehicles per calendar hour (servers over the mean cycle time, times its availability, times
// the share of the time it is on shift, over its visits per vehicle from rework routes), and
// the plant's bound as the maximum flow through the routing graph (Boost Graph), whose
// minimum cut names the stations that set it. Ramp-ups and learning are left out: the bound is
// the mature plant's, which a ramp can only lower.
#pragma once

#include <string>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/models/plant_spec.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

struct StationBound {
  std::string name, shop;        ///< the built name ("final#2" for a line copy)
  double jobs_per_hour = 0;      ///< while on shift and up: servers / mean work per job
  double availability = 1;       ///< the share of its shift time it is up
  double on_shift = 1;           ///< the share of the window it is on shift (after its start)
  double visits = 1;             ///< per vehicle passing its place in the flow (rework adds)
  double vehicles_per_hour = 0;  ///< jobs_per_hour x availability x on_shift / visits
  bool in_cut = false;           ///< part of the minimum cut: it sets the bound
};

struct PlantBound {
  std::string name;
  double capacity = 0;  ///< stated, vehicles per year
  double per_hour = 0;  ///< vehicles per calendar hour over the window
  /// What sets the bound: stations, and "arrivals" or "feeder SHOP" when those do.
  std::vector<std::string> cut;
  std::vector<StationBound> stations;  ///< in flow order (feeder shops last)
};

/// The bound of `plant` over the window [from, to) of simulated time from `start` (time zero,
/// where the calendars are anchored).
PlantBound capacity_bound(const PlantSpec& plant, CalendarDate start, sim::Time from, sim::Time to);

}  // namespace takt::models
