// An event trace for Gantt charts: every state of every station slot and paced line of one
// plant within a window of simulated time, as intervals (begin, end, state, job).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "takt/models/state_observer.hpp"
#include "takt/sim/time.hpp"

namespace takt::run {

/// One interval of one slot's state, clipped to the window.
struct TraceInterval {
  std::string equipment;
  int slot = 0;
  sim::Time begin, end;
  models::StationState state = models::kStarved;
  bool has_job = false;
  models::Job job;
};

/// Records the states of a plant's equipment in [from, to). A slot's state before its first
/// change is the state that change leaves (every slot starts starved, every line off shift or
/// starved); equipment whose state never changes has no interval.
class TraceRecorder : public models::StateObserver {
 public:
  TraceRecorder(sim::Time from, sim::Time to) : from_(from), to_(to) {}

  void on_state(sim::Time when, const std::string& equipment, int slot, models::StationState from,
                models::StationState to, const models::Job* job) override;
  /// A new job in a slot that stays working starts a new interval (one bar per job).
  void on_job_start(sim::Time when, const std::string& equipment, int slot,
                    const models::Job& job) override;

  /// Off-shift time before this is reported as not_started.
  void on_start_of_production(const std::string& equipment, sim::Time when) override {
    start_of_production_[equipment] = when;
  }

  /// Closes the intervals still open at `now` (the end of the run) and returns every interval,
  /// ordered by begin, then equipment and slot.
  std::vector<TraceInterval> finish(sim::Time now);

 private:
  struct Open {
    sim::Time since;
    models::StationState state;
    bool has_job;
    models::Job job;
    bool done;  ///< past the window
  };
  void close(const std::string& equipment, int slot, const Open& open, sim::Time until);

  sim::Time from_, to_;
  // Keyed by the address of the equipment's name, which lives as long as the plant: no string
  // is hashed or copied per state change.
  std::map<std::pair<const std::string*, int>, Open> open_;
  std::vector<TraceInterval> intervals_;
  std::map<std::string, sim::Time> start_of_production_;
  // The names, copied once per equipment: the plant (which owns the keys' strings) is gone
  // by the time finish() closes the last intervals.
  std::map<const std::string*, std::string> names_;
};

}  // namespace takt::run
