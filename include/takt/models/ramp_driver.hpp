// Turns a ramp-up curve (a pure value) into events: every step it evaluates the curve and sets
// the factor on the stations and paced lines bound to it.
#pragma once

#include <vector>

#include "takt/models/equipment.hpp"
#include "takt/models/plant_spec.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

class RampDriver final : public sim::EventHandler {
 public:
  /// `plant_start` is the calendar date of simulated time zero.
  RampDriver(sim::Simulation& sim, const RampUpSpec& spec, CalendarDate plant_start);

  void bind(Equipment& e, RampTarget t) { bindings_.push_back({&e, t}); }
  /// Applies the factor at the current time and schedules the next step.
  void start();
  void on_event(std::uint32_t) override;

  /// The curve's factor at simulated time `t`.
  double factor_at(sim::Time t) const;
  /// Whether the factor at `t` is still below 99 % of the curve's mature value (its value
  /// long after the start; a yield ramp matures at its ceiling, not at 1).
  bool is_ramping(sim::Time t) const { return factor_at(t) < 0.99 * spec_.curve.at(1e9); }

 private:
  void apply();

  struct Binding {
    Equipment* equipment;
    RampTarget target;
  };
  sim::Simulation& sim_;
  const RampUpSpec& spec_;
  double offset_days_;  // ramp start minus plant start
  std::vector<Binding> bindings_;
};

}  // namespace takt::models
