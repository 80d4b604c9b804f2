// A station's changes from outside the flow of jobs: ramp factors, learning,
// first-pass yield, failures and repairs, shifts. The flow of jobs (taking,
// working, finishing, blocking) and the invariants are in station.cpp.
#include <algorithm>
#include <cassert>

#include "takt/models/ramp_up_curve.hpp"
#include "takt/models/station.hpp"

namespace takt::models {

void Station::set_first_pass_yield(double yield) { routes_.set_first_pass_yield(yield); }

// Before start(): a learning curve shortens later jobs, which could then overtake earlier ones.
void Station::set_learning(const RampUpCurve& curve) {
  assert(!in_order_ && "set_learning() after start()");
  learning_ = &curve;
  settle();
}

double Station::learning_multiplier() const {
  return learning_ == nullptr ? 1.0 : learning_->multiplier(started_total_ + 1);
}

void Station::set_speed(double factor) {
  factor = std::max(factor, 1e-6);
  if (factor == speed_) return;
  const double stretch = speed_ / factor;
  speed_ = factor;
  settle();
  const auto stretched = [stretch](sim::Time t) {
    return sim::Time::seconds(t.to_seconds() * stretch);
  };
  // The pace is work taken on, as the jobs inside are: it speeds up and slows down with them.
  // Kept as set at a ramp's floor (a millionth of the speed), it ran a million cycles ahead
  // and the station never waited again.
  if (pace_listener_ != nullptr) {
    pace_owed(sim_.now());
    if (pace_due_ > sim_.now()) pace_due_ = sim_.now() + stretched(pace_due_ - sim_.now());
  }
  if (in_order_) {
    const bool progressing = can_progress();
    for (std::size_t k = 0; k < in_order_ring_.size(); ++k) {
      Slot& s = in_order_slot(k);
      if (progressing) {
        s.due = sim_.now() + stretched(s.due - sim_.now());
      } else {
        s.remaining = stretched(s.remaining);
      }
    }
    if (progressing && !in_order_ring_.empty()) {
      sim_.cancel(in_order_slot(0).done);
      schedule_head();
    }
    return;
  }
  for (Slot& s : slots_) {
    if (s.phase != Phase::kBusy) continue;
    if (s.done.is_null()) {
      s.remaining = stretched(s.remaining);
      continue;
    }
    const sim::Time left = stretched(sim_.time_of(s.done) - sim_.now());
    sim_.cancel(s.done);
    s.done = sim_.schedule(left, *this, static_cast<std::uint32_t>(&s - slots_.data()));
  }
}

void Station::set_availability(double factor) {
  if (factor == availability_) return;
  const double ratio = factor / availability_;
  availability_ = factor;
  clocks_.rescale(ratio, sim_, *this);
}

void Station::pause_work() {
  // The pace stops with the work: after a repair or a break the station has as much of it
  // left as before, as a job in progress has.
  if (pace_listener_ != nullptr) {
    pace_owed(sim_.now());
    pace_left_ = sim::max(pace_due_ - sim_.now(), sim::Time::zero());
  }
  if (in_order_) {
    for (std::size_t k = 0; k < in_order_ring_.size(); ++k) {
      Slot& s = in_order_slot(k);
      s.remaining = s.due - sim_.now();
      sim_.cancel(s.done);  // the oldest job's event; the others have none
    }
  } else {
    for (Slot& s : slots_) {
      if (s.phase != Phase::kBusy || s.done.is_null()) continue;
      s.remaining = sim_.time_of(s.done) - sim_.now();
      sim_.cancel(s.done);
    }
  }
  if (!setup_event_.is_null()) {
    setup_remaining_ = sim_.time_of(setup_event_) - sim_.now();
    sim_.cancel(setup_event_);
  }
}

void Station::resume_work() {
  if (pace_listener_ != nullptr) pace_due_ = sim_.now() + pace_left_;
  if (in_order_) {
    for (std::size_t k = 0; k < in_order_ring_.size(); ++k) {
      Slot& s = in_order_slot(k);
      s.due = sim_.now() + s.remaining;
    }
    if (!in_order_ring_.empty()) schedule_head();
  } else {
    for (Slot& s : slots_) {
      if (s.phase != Phase::kBusy || !s.done.is_null()) continue;
      s.done = sim_.schedule(s.remaining, *this, static_cast<std::uint32_t>(&s - slots_.data()));
    }
  }
  if (in_setup_ && setup_event_.is_null()) {
    setup_event_ = sim_.schedule(setup_remaining_, *this, kSetupTag);
  }
}

void Station::failure_due(std::size_t index) {
  if (clocks_.due(index, sim_, *this)) fail(index);
}

void Station::fail(std::size_t index) {
  ++failure_count_;
  const bool was_up = down_++ == 0;
  update_interruption();
  if (was_up && on_shift_) pause_work();
  refresh_all();
  clocks_.fail(index, availability_, sim_, *this);
}

void Station::repair(std::size_t index) {
  clocks_.repaired(index, sim_, *this);
  const bool is_up = --down_ == 0;
  update_interruption();
  if (is_up && on_shift_) resume_work();
  refresh_all();
  try_start();
}

void Station::set_on_shift(bool on_shift) {
  if (on_shift == on_shift_) return;
  clocks_.set_on_shift(on_shift, sim_, *this);
  const bool could = can_progress();
  on_shift_ = on_shift;
  update_interruption();
  if (could && !can_progress()) pause_work();
  if (!could && can_progress()) resume_work();
  refresh_all();
  if (on_shift_) try_start();
  sync_operating();
}

void Station::set_ramp(RampTarget target, double factor) {
  if (target == RampTarget::kSpeed) set_speed(factor);
  if (target == RampTarget::kAvailability) set_availability(factor);
  if (target == RampTarget::kYield) set_first_pass_yield(factor);
}

}  // namespace takt::models
