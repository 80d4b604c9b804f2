// A station's reports: its statistics, its states for an observer, what the watchdog
// asks, and why it waits. The flow of jobs (taking, working,
// finishing, blocking) and the invariants are in station.cpp.
#include <algorithm>
#include <cassert>

#include "takt/models/ramp_up_curve.hpp"
#include "takt/models/station.hpp"

namespace takt::models {

std::vector<RouteKpi> Station::route_counts() const { return routes_.counts(); }

int Station::jobs_inside() const {
  int n = 0;
  for (const Slot& s : slots_) n += s.phase == Phase::kIdle ? 0 : 1;
  return n + (setups_.holding() ? 1 : 0);
}

void Station::reset_stats(sim::Time now) {
  states_.reset(now);
  completed_ = failure_count_ = 0;
  setups_.reset_counts();
  routes_.reset_counts();
}

Equipment::Motion Station::motion() const {
  if (!is_available()) return Motion::kUnavailable;
  if (jobs_inside() == 0) return Motion::kIdle;
  return is_stuck() ? Motion::kStuck : Motion::kMoving;
}

// Only a station held by a full destination explains a deadlock; a starved one follows it.
std::string Station::stall_reason() const {
  std::string why = describe_wait();
  return why.find("blocked") == std::string::npos ? "" : why;
}

std::string Station::describe_wait() const {
  for (const Slot& s : slots_) {
    if (s.phase == Phase::kBlocked) {
      return "station '" + name() + "' is blocked on '" + s.destination->name() + "'";
    }
  }
  if (busy_ == 0 && input_ != nullptr && !input_->has_job()) {
    return "station '" + name() + "' is starved by '" + input_->name() + "'";
  }
  return "";
}

// The job a slot holds; during a product changeover the job that waits for it, shown at the
// slot that will take it (end_setup() starts it on the last idle slot).
void Station::tell_observer(const Slot& s, StationState state) const {
  const Job* job = &s.job;
  if (s.phase == Phase::kIdle) {
    const bool takes_held = setups_.holding() && !idle_.empty() && &slots_[idle_.back()] == &s;
    job = takes_held ? &setups_.held() : nullptr;
  }
  observer_->on_state(sim_.now(), config_.name, static_cast<int>(&s - slots_.data()), s.reported,
                      state, job);
}

}  // namespace takt::models
