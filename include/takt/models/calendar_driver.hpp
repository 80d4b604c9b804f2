// Turns a shift calendar (a pure value) into events: at every change it tells the stations
// that follow it to pause or resume. Before a start of production it keeps them paused.
#pragma once

#include <vector>

#include "takt/models/equipment.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

class CalendarDriver final : public sim::EventHandler {
 public:
  /// `start_of_production`: nothing follows the calendar before this time (zero: from the start).
  CalendarDriver(sim::Simulation& sim, const ShiftCalendar& calendar,
                 sim::Time start_of_production = sim::Time::zero())
      : sim_(sim), calendar_(calendar), start_of_production_(start_of_production) {}

  void follow(Equipment& e) { followers_.push_back(&e); }
  /// Applies the state at the current time and schedules the next change.
  void start();
  void on_event(std::uint32_t) override;

 private:
  void apply(bool on_shift);
  void schedule_next();

  sim::Simulation& sim_;
  const ShiftCalendar& calendar_;
  sim::Time start_of_production_;
  std::vector<Equipment*> followers_;
  bool on_shift_ = true;
};

}  // namespace takt::models
