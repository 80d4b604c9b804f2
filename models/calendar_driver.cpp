// Calendar changes as events, scheduled one at a time so a 10-year horizon costs nothing.
#include "takt/models/calendar_driver.hpp"

#include <algorithm>

namespace takt::models {

// Calendar changes fire after other events at the same instant: a job that finishes exactly
// at the end of a shift counts in that shift, as a planner counting productive minutes expects.
constexpr int kCalendarPriority = 10;

void CalendarDriver::start() {
  std::stable_sort(followers_.begin(), followers_.end(), ranks_before);
  on_event(0);
}

void CalendarDriver::on_event(std::uint32_t) {
  const bool started = sim_.now() >= start_of_production_;
  apply(started && calendar_.is_working(sim_.now()));
  schedule_next();
}

void CalendarDriver::apply(bool on_shift) {
  on_shift_ = on_shift;
  for (Equipment* e : followers_) e->set_on_shift(on_shift);
}

void CalendarDriver::schedule_next() {
  // Before the start of production the calendar's changes change nothing.
  if (sim_.now() < start_of_production_) {
    sim_.schedule_at(start_of_production_, *this, 0, kCalendarPriority);
    return;
  }
  const sim::Time next = calendar_.next_change(sim_.now());
  if (next == sim::Time::max()) return;
  sim_.schedule_at(next, *this, 0, kCalendarPriority);
}

}  // namespace takt::models
