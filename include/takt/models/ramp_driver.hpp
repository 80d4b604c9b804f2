// Turns a ramp-up curve (a pure value) into events: every step it evaluates the curve and sets
// the factor on the stations and paced lines bound to it.
#pragma once

#include <vector>

#include "takt/models/paced_line.hpp"
#include "takt/models/plant_spec.hpp"
#include "takt/models/station.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

class RampDriver final : public sim::EventHandler {
 public:
  /// `plant_start` is the calendar date of simulated time zero.
  RampDriver(sim::Simulation& sim, const RampUpSpec& spec, CalendarDate plant_start);

  void bind(Station& s, RampUpSpec::Target t) { stations_.push_back({&s, t}); }
  void bind(PacedLine& l, RampUpSpec::Target t) { lines_.push_back({&l, t}); }
  /// Applies the factor at the current time and schedules the next step.
  void start();
  void on_event(std::uint32_t) override;

  /// The curve's factor at simulated time `t`.
  double factor_at(sim::Time t) const;

 private:
  void apply();

  template <class Entity>
  struct Binding {
    Entity* entity;
    RampUpSpec::Target target;
  };
  sim::Simulation& sim_;
  const RampUpSpec& spec_;
  double offset_days_;  // ramp start minus plant start
  std::vector<Binding<Station>> stations_;
  std::vector<Binding<PacedLine>> lines_;
};

}  // namespace takt::models
