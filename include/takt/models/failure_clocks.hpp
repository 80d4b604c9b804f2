// A station's failure clocks, one per failure profile: a clock counts calendar time, or
// operating time (only while the station works), to its next failure, and draws its times to
// failure and repair from its own stream. The clocks schedule their events on the station
// (tags kFailureTag + i, kRepairTag + i); what a failure and a repair do to the station's work
// is the station's business. Passed the simulation and the station on each call, so the clocks
// add no pointers to a station's hot fields.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "takt/models/failure_profile.hpp"
#include "takt/models/repair_crew.hpp"
#include "takt/sim/random_stream.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

class FailureClocks {
 public:
  static constexpr std::uint32_t kFailureTag = 1u << 20;
  static constexpr std::uint32_t kRepairTag = 1u << 21;

  /// Streams are named `stream_key` + ".failure." + the profile's name.
  FailureClocks(const std::vector<FailureProfile>& profiles, std::uint64_t seed,
                std::uint64_t replication, const std::string& stream_key);

  /// Some clock counts operating time: its station must say when it operates.
  bool any_operating_basis() const { return operating_basis_; }
  /// Whether the operating-basis clocks are counting.
  bool operating() const { return operating_; }

  /// Calendar-basis clocks start counting.
  void start(sim::Simulation& sim, sim::EventHandler& station);
  /// The station starts or stops operating (the operating-basis clocks bank their time).
  void set_operating(bool operating, sim::Simulation& sim, sim::EventHandler& station);
  /// Times to failure become `ratio` times as long, from now on (an availability ramp).
  void rescale(double ratio, sim::Simulation& sim, sim::EventHandler& station);
  /// Clock `i`'s event fired: whether it is due (false: re-armed for operating time still left,
  /// or waiting for the station to operate again).
  bool due(std::size_t i, sim::Simulation& sim, sim::EventHandler& station);
  /// Clock `i` fails now: its next time to failure is `availability` times a draw, and its
  /// repair is scheduled.
  void fail(std::size_t i, double availability, sim::Simulation& sim, sim::EventHandler& station);
  /// Clock `i`'s repair is done: a calendar clock counts again.
  void repaired(std::size_t i, sim::Simulation& sim, sim::EventHandler& station);
  /// The repair event tagged kRepairTag + `slot` fired: the clock it repairs.
  std::size_t repair_done(std::uint32_t slot) { return crew_.finish(slot); }
  /// The station went off or on shift: repairs that pause off shift stop or go on.
  void set_on_shift(bool on_shift, sim::Simulation& sim, sim::EventHandler& station) {
    crew_.set_on_shift(on_shift, sim, station);
  }

 private:
  struct Clock {
    FailureProfile profile;
    sim::RandomStream rng;
    sim::Time remaining;  // time to the next failure (operating basis: banked operating time)
    sim::Time since;      // when the current counting began
    sim::EventHandle event;
  };
  static std::uint32_t failure_tag(std::size_t i) {
    return kFailureTag + static_cast<std::uint32_t>(i);
  }

  std::vector<Clock> clocks_;
  RepairCrew crew_;
  bool operating_ = false;
  bool operating_basis_ = false;
};

}  // namespace takt::models
