// Paced line mechanics. Invariants: an index event is pending exactly while the line moves;
// failure clocks lose moving time only, and only the earliest of them has an event.
#include "takt/models/paced_line.hpp"

#include <algorithm>
#include <cassert>

namespace takt::models {

PacedLine::PacedLine(sim::Simulation& sim, PacedLineConfig config, std::uint64_t seed,
                     std::uint64_t replication, const std::string& stream_key)
    : sim_(sim),
      config_(std::move(config)),
      ring_(static_cast<std::size_t>(config_.positions)),
      filled_(static_cast<std::size_t>(config_.positions), false),
      states_(kStateCount),
      rng_(seed, replication, stream_key + ".failures") {
  assert(config_.positions >= 1 && config_.takt > sim::Time::zero());
  for (int p = 0; p < config_.positions; ++p) {
    for (std::size_t f = 0; f < config_.failures.size(); ++f) {
      const FailureProfile& profile = config_.failures[f];
      assert(!profile.calendar_basis && "paced lines fail in moving time only");
      // A profile given for some positions only gives the others no clock (and no draw).
      const auto& only = profile.positions;
      if (!only.empty() && std::find(only.begin(), only.end(), p + 1) == only.end()) continue;
      clocks_.push_back({f, profile.ttf.sample_time(rng_)});
    }
  }
  index_remaining_ = takt();
}

sim::Time PacedLine::takt() const {
  if (speed_ == 1.0) return config_.takt;
  return sim::Time::seconds(config_.takt.to_seconds() / speed_);
}

void PacedLine::set_speed(double factor) {
  factor = std::max(factor, 1e-6);
  if (factor == speed_) return;
  const double stretch = speed_ / factor;
  speed_ = factor;
  if (index_event_.is_null()) {
    index_remaining_ = sim::Time::seconds(index_remaining_.to_seconds() * stretch);
    return;
  }
  const sim::Time left =
      sim::Time::seconds((sim_.time_of(index_event_) - sim_.now()).to_seconds() * stretch);
  sim_.cancel(index_event_);
  index_event_ = sim_.schedule(left, *this, kIndexTag);
}

void PacedLine::set_availability(double factor) {
  if (factor == availability_) return;
  const double ratio = factor / availability_;
  availability_ = factor;
  if (moving_) bank_moving_time();
  for (Clock& c : clocks_) {
    c.due = odometer_ + sim::Time::seconds((c.due - odometer_).to_seconds() * ratio);
  }
  next_failure_known_ = false;
  if (failure_event_.is_null()) return;
  sim_.cancel(failure_event_);
  if (moving_) arm_next_failure();  // a stopped line re-arms when it moves again
}

void PacedLine::connect_input(Buffer& input) {
  input_ = &input;
  input.add_consumer(*this);
}

void PacedLine::start() {
  // Load position 0 at once so the first job does not wait a whole takt.
  if (input_->has_job()) {
    ring_[offset_] = input_->take(sim_.now());
    filled_[offset_] = true;
    ++occupied_;
  }
  update_motion();
}

void PacedLine::on_event(std::uint32_t tag) {
  if (tag == kIndexTag) {
    index_event_ = {};
    index_remaining_ = takt();
    index();
  } else if (tag == kFailureTag) {
    failure_event_ = {};
    if (moving_) bank_moving_time();
    Clock& c = clocks_[next_failure_];
    if (c.due > odometer_) {  // the line stopped meanwhile: not due yet
      update_motion();        // re-arms if moving
      return;
    }
    const FailureProfile& p = config_.failures[c.profile];
    c.due = odometer_ + sim::Time::seconds(p.ttf.sample(rng_) * availability_);
    next_failure_known_ = false;
    ++failure_count_;
    ++down_;
    crew_.begin(sim_, *this, p.ttr.sample_time(rng_), kRepairTag,
                static_cast<std::uint32_t>(c.profile), p.repairs_pause);
  } else {
    crew_.finish(tag - kRepairTag);
    --down_;
  }
  update_motion();
}

// Moves every job one position on: the last one leaves, position 0 takes the next job.
void PacedLine::index() {
  const std::size_t last = offset_ == 0 ? ring_.size() - 1 : offset_ - 1;
  if (filled_[last]) {
    if (!output_->can_put()) {
      waiting_output_ = true;
      output_->wait_for_space(*this, 0);
      return;
    }
    filled_[last] = false;
    --occupied_;
    ++completed_;
    output_->put(sim_.now(), ring_[last]);
  }
  advance();
}

void PacedLine::advance() {
  ++indexes_total_;
  offset_ =
      offset_ == 0 ? ring_.size() - 1 : offset_ - 1;  // the emptied last slot becomes position 0
  if (!input_->has_job() && input_->waiting_producers() > 0) {
    // A hand-off input: a blocked upstream station passes its job over at this instant.
    accepting_ = true;
    input_->on_consumer_ready();
    accepting_ = false;
  }
  if (input_->has_job()) {
    ring_[offset_] = input_->take(sim_.now());
    filled_[offset_] = true;
    ++occupied_;
  }
}

void PacedLine::on_output_space(std::uint32_t) {
  waiting_output_ = false;
  index();
  update_motion();
}

// Starts or stops the takt timer and the failure clocks to match the line's state.
void PacedLine::update_motion() {
  const bool moving = is_moving();
  if (moving_ && !moving) stop_motion();
  if (moving && !moving_) moving_since_ = sim_.now();
  moving_ = moving;
  if (moving) {
    if (index_event_.is_null()) index_event_ = sim_.schedule(index_remaining_, *this, kIndexTag);
    if (failure_event_.is_null()) arm_next_failure();
  }
  record_states();
  if (activity_listener_ != nullptr) note_activity();
}

void PacedLine::note_activity() {
  const bool active = is_active();
  if (active == active_) return;
  active_ = active;
  activity_listener_->edge(sim_.now(), activity_unit_, active);
}

// The failure event stays when the line stops: it may fire early and is then re-armed for the
// moving time still left, so stops and restarts cost no event-list work.
void PacedLine::stop_motion() {
  bank_moving_time();
  if (index_event_.is_null()) return;
  index_remaining_ = sim_.time_of(index_event_) - sim_.now();
  sim_.cancel(index_event_);
}

// Every position's clock loses the moving time since the last banking: the odometer gains it.
void PacedLine::bank_moving_time() {
  odometer_ += sim_.now() - moving_since_;
  moving_since_ = sim_.now();
}

void PacedLine::arm_next_failure() {
  if (clocks_.empty()) return;
  bank_moving_time();
  // The earliest clock changes only when a clock is redrawn or rescaled, not each time the
  // line stops and restarts, so the scan over every position runs only then.
  if (!next_failure_known_) {
    next_failure_ = 0;
    for (std::size_t i = 1; i < clocks_.size(); ++i) {
      if (clocks_[i].due < clocks_[next_failure_].due) next_failure_ = i;
    }
    next_failure_known_ = true;
  }
  failure_event_ = sim_.schedule(clocks_[next_failure_].due - odometer_, *this, kFailureTag);
}

void PacedLine::record_states() {
  // The shares depend only on the mode and the occupancy; most calls (every index) change
  // neither, so they stop here.
  const int mode = !on_shift_ ? 0 : down_ > 0 ? 1 : waiting_output_ ? 2 : 3;
  if (mode == recorded_mode_) {
    if (occupied_ == recorded_occupied_) return;
    const int gained = occupied_ - recorded_occupied_;
    recorded_occupied_ = occupied_;
    // Occupancy splits the positions only while the line moves; then just that split shifts.
    if (mode != 3) return;
    states_.move(sim_.now(), kStarved, kWorking, gained);  // gained may be negative
    counts_[kWorking] += gained;
    counts_[kStarved] -= gained;
    return;
  }
  if (observer_ != nullptr && recorded_mode_ >= 0) {
    // The line as a whole: moving (working), blocked, down or off shift.
    static constexpr StationState kModeState[] = {kOffShift, kDown, kBlocked, kWorking};
    observer_->on_state(sim_.now(), config_.name, 0, kModeState[recorded_mode_], kModeState[mode],
                        nullptr);
  }
  recorded_mode_ = mode;
  recorded_occupied_ = occupied_;
  std::array<int, kStateCount> want{};
  const int n = config_.positions;
  if (!on_shift_) {
    want[kOffShift] = n;
  } else if (down_ > 0) {
    want[kDown] = n;
  } else if (waiting_output_) {
    want[kBlocked] = n;
  } else {
    want[kWorking] = occupied_;
    want[kStarved] = n - occupied_;
  }
  for (std::size_t s = 0; s < kStateCount; ++s) {
    if (want[s] != counts_[s]) states_.add(sim_.now(), s, want[s] - counts_[s]);
  }
  counts_ = want;
}

void PacedLine::set_on_shift(bool on_shift) {
  if (on_shift != on_shift_) crew_.set_on_shift(on_shift, sim_, *this);
  on_shift_ = on_shift;
  update_motion();
}

void PacedLine::reset_stats(sim::Time now) {
  states_.reset(now);
  completed_ = failure_count_ = 0;
}

void PacedLine::set_ramp(RampTarget target, double factor) {
  if (target == RampTarget::kSpeed) set_speed(factor);
  if (target == RampTarget::kAvailability) set_availability(factor);
}

std::string PacedLine::describe_wait() const {
  if (waiting_output_) return "paced line '" + name() + "' is blocked on '" + output_->name() + "'";
  return "";
}

}  // namespace takt::models
