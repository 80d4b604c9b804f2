// Who wants to see every state change: an event log for tests that compare a short line's
// history with one written by hand, and later traces for Gantt charts. Unset, it costs one
// well-predicted test per state change.
#pragma once

#include <cstdint>
#include <string>

#include "takt/models/job.hpp"
#include "takt/models/station_state.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

/// Told of every change of state of every station slot and paced line of a plant.
class StateObserver {
 public:
  /// `slot` numbers a station's servers from 0 (a paced line reports as slot 0); `job` is the
  /// job the slot holds after the change: nullptr when it is empty, and for a paced line, whose
  /// state is the whole line's. `equipment` lives as long as the plant.
  virtual void on_state(sim::Time when, const std::string& equipment, int slot, StationState from,
                        StationState to, const Job* job) = 0;
  /// A slot starts a job; told after on_state when the start changes the slot's state, and
  /// alone when it does not (a station that goes straight on to its next job).
  virtual void on_job_start(sim::Time /*when*/, const std::string& /*equipment*/, int /*slot*/,
                            const Job& /*job*/) {}
  /// `equipment` is held off shift until `when`, its start of production: time before it is
  /// not started rather than off shift. Told while the plant is built.
  virtual void on_start_of_production(const std::string& /*equipment*/, sim::Time /*when*/) {}

 protected:
  ~StateObserver() = default;
};

}  // namespace takt::models
