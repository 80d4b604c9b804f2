// How a station fails: time to failure and time to repair, counted in operating time (only
// while processing, the default) or in calendar time.
#pragma once

#include <string>

#include "takt/sim/distribution.hpp"

namespace takt::models {

struct FailureProfile {
  std::string name = "failure";
  sim::Distribution ttf;  ///< time to failure (operating or calendar time, per basis)
  sim::Distribution ttr;  ///< time to repair (calendar time)
  bool calendar_basis = false;
};

}  // namespace takt::models
