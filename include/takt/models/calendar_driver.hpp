// Turns a shift calendar (a pure value) into events: at every change it tells the stations
// that follow it to pause or resume.
#pragma once

#include <vector>

#include "takt/models/paced_line.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/models/station.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

class CalendarDriver final : public sim::EventHandler {
 public:
  CalendarDriver(sim::Simulation& sim, const ShiftCalendar& calendar)
      : sim_(sim), calendar_(calendar) {}

  void follow(Station& s) { stations_.push_back(&s); }
  void follow(PacedLine& l) { lines_.push_back(&l); }
  /// Applies the state at the current time and schedules the next change.
  void start();
  void on_event(std::uint32_t) override;

 private:
  void apply(bool on_shift);
  void schedule_next();

  sim::Simulation& sim_;
  const ShiftCalendar& calendar_;
  std::vector<Station*> stations_;
  std::vector<PacedLine*> lines_;
  bool on_shift_ = true;
};

}  // namespace takt::models
