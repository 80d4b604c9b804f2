// Ramp-up factors as step events: the curve is sampled at the start of each step, so a
// deterministic plant builds the step sum of the curve, vehicle for vehicle.
#include "takt/models/ramp_driver.hpp"

#include <algorithm>

namespace takt::models {

// Steps fire before anything else at the same instant: work scheduled at that instant already
// runs at the new rate.
constexpr int kRampPriority = -5;

RampDriver::RampDriver(sim::Simulation& sim, const RampUpSpec& spec, CalendarDate plant_start)
    : sim_(sim),
      spec_(spec),
      offset_days_(
          static_cast<double>(spec.start.days_since_epoch() - plant_start.days_since_epoch())) {}

double RampDriver::factor_at(sim::Time t) const {
  const double days = t.to_seconds() / 86400.0 - offset_days_;
  return spec_.curve.at(days / kDaysPerMonth);
}

void RampDriver::start() {
  std::stable_sort(bindings_.begin(), bindings_.end(), [](const Binding& a, const Binding& b) {
    return ranks_before(a.equipment, b.equipment);
  });
  apply();
  sim_.schedule(spec_.step, *this, 0, kRampPriority);
}

void RampDriver::on_event(std::uint32_t) {
  apply();
  sim_.schedule(spec_.step, *this, 0, kRampPriority);
}

void RampDriver::apply() {
  const double f = factor_at(sim_.now());
  for (const Binding& b : bindings_) b.equipment->set_ramp(b.target, f);
}

}  // namespace takt::models
