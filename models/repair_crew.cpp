// Repairs as events, with the few that pause off shift banked and rescheduled.
#include "takt/models/repair_crew.hpp"

#include <cassert>

namespace takt::models {

void RepairCrew::begin(sim::Simulation& sim, sim::EventHandler& handler, sim::Time duration,
                       std::uint32_t base_tag, std::uint32_t what, bool pauses_off_shift) {
  std::uint32_t slot = 0;
  while (slot < repairs_.size() && repairs_[slot].active) ++slot;
  if (slot == repairs_.size()) repairs_.emplace_back();
  Repair& r = repairs_[slot];
  r = Repair{{}, duration, base_tag, what, pauses_off_shift, true};
  any_pauses_ = any_pauses_ || pauses_off_shift;
  // A calendar-time failure can come off shift (or before the start of production): a
  // repair that pauses then waits for the shift.
  if (!pauses_off_shift || on_shift_) r.event = sim.schedule(duration, handler, base_tag + slot);
}

std::uint32_t RepairCrew::finish(std::uint32_t slot) {
  assert(slot < repairs_.size() && repairs_[slot].active);
  repairs_[slot].active = false;
  repairs_[slot].event = {};
  return repairs_[slot].what;
}

void RepairCrew::set_on_shift(bool on_shift, sim::Simulation& sim, sim::EventHandler& handler) {
  on_shift_ = on_shift;
  if (!any_pauses_) return;
  for (std::size_t slot = 0; slot < repairs_.size(); ++slot) {
    Repair& r = repairs_[slot];
    if (!r.active || !r.pauses) continue;
    if (!on_shift && !r.event.is_null()) {
      r.left = sim.time_of(r.event) - sim.now();
      sim.cancel(r.event);
    } else if (on_shift && r.event.is_null()) {
      r.event = sim.schedule(r.left, handler, r.base_tag + static_cast<std::uint32_t>(slot));
    }
  }
}

}  // namespace takt::models
