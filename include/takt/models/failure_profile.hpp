// How a station fails: time to failure and time to repair, counted in operating time (only
// while processing, the default) or in calendar time.
#pragma once

#include <string>
#include <vector>

#include "takt/sim/distribution.hpp"

namespace takt::models {

struct FailureProfile {
  std::string name = "failure";
  sim::Distribution ttf;  ///< time to failure (operating or calendar time, per basis)
  sim::Distribution ttr;  ///< time to repair (calendar time)
  bool calendar_basis = false;
  /// Repairs stop while the equipment is off shift and go on at the next shift (`repairs:
  /// pause`); by default they go on through breaks and nights (`continue`).
  bool repairs_pause = false;
  /// A station with several servers: each server fails and is repaired on its own (`per:
  /// server`); by default the station fails as a whole (`per: station`).
  bool per_server = false;
  /// A paced line: the positions (1-based) this profile applies to; empty: every position.
  std::vector<int> positions;
};

}  // namespace takt::models
