// Turns a shift calendar (a pure value) into events: at every change it tells the stations
// that follow it to pause or resume.
#pragma once

#include <vector>

#include "takt/models/equipment.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

class CalendarDriver final : public sim::EventHandler {
 public:
  CalendarDriver(sim::Simulation& sim, const ShiftCalendar& calendar)
      : sim_(sim), calendar_(calendar) {}

  void follow(Equipment& e) { followers_.push_back(&e); }
  /// Applies the state at the current time and schedules the next change.
  void start();
  void on_event(std::uint32_t) override;

 private:
  void apply(bool on_shift);
  void schedule_next();

  sim::Simulation& sim_;
  const ShiftCalendar& calendar_;
  std::vector<Equipment*> followers_;
  bool on_shift_ = true;
};

}  // namespace takt::models
