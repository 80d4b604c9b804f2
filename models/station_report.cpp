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

Equipment::ActivityWatch Station::watch_activity(sim::EdgeListener* listener, std::uint32_t unit) {
  if (config_.servers == 1) {
    states_.watch(kInactiveStates, listener, unit);
    return {1, states_.watched() == 0 ? 0 : 1};
  }
  states_.watch(kInactiveStates & ~((1u << kStarved) | (1u << kBlocked)), listener, unit);
  pace_listener_ = listener;
  pace_unit_ = unit;
  pace_owing_ = false;
  pace_inactive_ = waiting_places() > 0 && sim_.now() >= pace_due_;
  settle();
  // The pace's edge at pace_due_ is told at the station's next change (pace_owed): late.
  return {2, (states_.watched() == 0 ? 0 : 1) + (pace_inactive_ ? 1 : 0), true};
}

void Station::report_watched(Slot& s, StationState state) {
  const sim::Time now = sim_.now();
  // The pace's edge owed from before this change comes first: a unit's edges go in time order.
  if (pace_listener_ != nullptr) pace_owed(now);
  states_.move(now, s.reported, state);
  if (observer_ != nullptr) tell_observer(s, state);
  s.reported = state;
  if (pace_listener_ != nullptr) pace_settle(now);
}

// A place stood free or blocked from before the pace ran out until now: the member went inactive
// when it ran out. Every change of the station asks first, so no edge of the unit is later than
// that.
void Station::pace_owed(sim::Time now) {
  if (!pace_owing_ || pace_due_ > now) return;
  pace_owing_ = false;
  pace_inactive_ = true;
  pace_listener_->edge(pace_due_, pace_unit_, false);
}

void Station::pace_settle(sim::Time now) {
  const bool free = waiting_places() > 0;
  const bool inactive = free && now >= pace_due_;
  if (inactive != pace_inactive_) {
    pace_inactive_ = inactive;
    pace_listener_->edge(now, pace_unit_, !inactive);
  }
  pace_owing_ = free && !inactive;
}

void Station::pace_start(sim::Time duration) {
  const sim::Time now = sim_.now();
  pace_owed(now);
  pace_due_ = std::max(pace_due_, now) + sim::Time::ticks(duration.count() / config_.servers);
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
