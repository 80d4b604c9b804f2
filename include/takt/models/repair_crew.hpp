// The repairs under way at one station or paced line. A repair runs in calendar time; one whose
// failure profile says `repairs: pause` stops while the equipment is off shift and goes on at
// the next shift with the time it had left (a crew that works the shifts only).
#pragma once

#include <cstdint>
#include <vector>

#include "takt/sim/simulation.hpp"

namespace takt::models {

class RepairCrew {
 public:
  /// Starts a repair of `duration` for failure `what`: an event on `handler` tagged
  /// `base_tag` + a slot, which finish() turns back into `what`.
  void begin(sim::Simulation& sim, sim::EventHandler& handler, sim::Time duration,
             std::uint32_t base_tag, std::uint32_t what, bool pauses_off_shift);
  /// The repair in `slot` is done: its `what`.
  std::uint32_t finish(std::uint32_t slot);
  /// The equipment went off or on shift: pausing repairs stop or go on.
  void set_on_shift(bool on_shift, sim::Simulation& sim, sim::EventHandler& handler);

 private:
  struct Repair {
    sim::EventHandle event;
    sim::Time left;  // while paused
    std::uint32_t base_tag = 0, what = 0;
    bool pauses = false, active = false;
  };
  std::vector<Repair> repairs_;  // slots, reused once finished
  bool on_shift_ = true;         // as the equipment was last told
  bool any_pauses_ = false;
};

}  // namespace takt::models
