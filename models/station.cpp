// Station state machine. Invariants: a busy slot has a pending completion event exactly when
// the station can progress (in a station finishing in order, only its oldest busy slot has
// one); failure clocks of the operating basis count exactly while the station is operating
// (some slot busy and progressing); `reported` mirrors state_of().
#include "takt/models/station.hpp"

#include <algorithm>
#include <cassert>

#include "takt/models/ramp_up_curve.hpp"

namespace takt::models {

Station::Station(sim::Simulation& sim, StationConfig config, std::uint64_t seed,
                 std::uint64_t replication, const std::string& stream_key)
    : sim_(sim),
      config_(std::move(config)),
      slots_(static_cast<std::size_t>(config_.servers)),
      routes_(sim::derive_seed(seed, replication, stream_key + ".route")),
      clocks_(config_.failures, seed, replication, stream_key),
      states_(kStateCount),
      cycle_(config_.cycle.front()),
      cycle_rng_(seed, replication, stream_key + ".cycle"),
      setups_(config_, seed, replication, stream_key) {
  assert(!config_.has_changeover || config_.servers == 1);
  assert(config_.servers >= 1 && !config_.cycle.empty());
  states_.add(sim::Time::zero(), kStarved, config_.servers);
  for (std::size_t i = slots_.size(); i > 0; --i)
    idle_.push_back(static_cast<std::uint32_t>(i - 1));
  settle();
}

void Station::connect_input(Buffer& input) {
  input_ = &input;
  input.add_consumer(*this);
}

void Station::add_priority_input(Buffer& input) {
  priority_inputs_.push_back(&input);
  settle();
  input.add_consumer(*this);
}

void Station::add_join(Buffer& store) {
  joins_.push_back(&store);
  settle();
  store.add_consumer(*this);
}

void Station::add_route(double share, Buffer& target, bool is_rework) {
  routes_.add(share, target, is_rework);
  settle();
}

// Rounding a stretched time may put a job one tick before the one ahead of it; it then
// finishes with it, never before.
void Station::schedule_head() {
  const std::uint32_t head = in_order_ring_.oldest();
  const sim::Time left = slots_[head].due - sim_.now();
  slots_[head].done = sim_.schedule(std::max(left, sim::Time::zero()), *this, head);
}

bool Station::finishes_in_order() const {
  if (config_.servers < 2 || learning_ != nullptr) return false;
  const sim::Distribution& first = config_.cycle.front();
  for (const sim::Distribution& d : config_.cycle) {
    if (!d.is_constant() || d.mean() != first.mean()) return false;
  }
  return true;
}

void Station::start() {
  in_order_ = finishes_in_order();
  settle();
  if (in_order_) in_order_ring_.reserve(slots_.size());
  clocks_.start(sim_, *this);
  try_start();
  sync_operating();
}

// ---- states -------------------------------------------------------------------------------

StationState Station::state_of(const Slot& s) const {
  assert(interruption_ == derived_interruption() &&
         "a change of shift, failure or setup missed update_interruption()");
  if (interruption_ != kStateCount) return interruption_;
  if (s.phase == Phase::kBusy) return kWorking;
  if (s.phase == Phase::kBlocked) return kBlocked;
  return kStarved;
}

void Station::refresh_all() {
  for (Slot& s : slots_) refresh(s);
}

// ---- flow ---------------------------------------------------------------------------------

bool Station::all_joins_ready() const {
  for (const Buffer* b : joins_) {
    if (!b->has_job()) return false;
  }
  return true;
}

Buffer* Station::priority_or_main_input() const {
  for (Buffer* b : priority_inputs_) {
    if (b->has_job()) return b;
  }
  return input_;
}

// A job and one part from each join, all taken before any producer refills a buffer: a refill
// of one store may start another station joining the same stores, which must not take a part
// this job already counted on.
Job Station::take_kit(Buffer& in) {
  const Job job = in.take_quietly(sim_.now());
  for (Buffer* b : joins_) b->take_quietly(sim_.now());
  in.let_producers_in();
  for (Buffer* b : joins_) b->let_producers_in();
  return job;
}

bool Station::is_ready_to_take() const { return !idle_.empty() && can_start() && joins_ready(); }

// Starts jobs on idle slots while inputs have them. Taking a job can let an upstream producer
// hand us another one, which re-enters here; the flag turns that into another loop pass.
template <bool kPlain>
void Station::try_start_as() {
  assert(!kPlain || plain_holds());
  if (starting_) {
    start_again_ = true;
    return;
  }
  starting_ = true;
  do {
    start_again_ = false;
    while (!idle_.empty() && can_start()) {
      Buffer* in = kPlain ? input_ : next_input();
      if (!in->has_job() || !(kPlain || joins_ready())) {
        // Nothing to take. A hand-off input holds nothing even when a blocked upstream station
        // has a job for it: let that station pass it over, and look again.
        if (in->waiting_producers() == 0) break;
        in->on_consumer_ready();
        in = kPlain ? input_ : next_input();
        if (!in->has_job() || !(kPlain || joins_ready())) break;
      }
      Slot& s = slots_[idle_.back()];
      idle_.pop_back();
      const Job job = kPlain || joins_.empty() ? in->take(sim_.now()) : take_kit(*in);
      if (!kPlain && config_.has_changeover) {
        // Back among the idle slots first: a job that changes over waits there, and the
        // observer told of the setup names it at the slot that will take it.
        idle_.push_back(static_cast<std::uint32_t>(&s - slots_.data()));
        if (change_over_for(job)) break;
        idle_.pop_back();
      }
      begin<kPlain>(s, job);
    }
  } while (start_again_);
  starting_ = false;
  // No sync_operating() here: every caller runs it once it is done (on_event, start,
  // set_on_shift, on_input_available, on_output_space), with nothing scheduled in between,
  // so the failure clocks see the same changes in the same order, one test fewer per event.
  // The plain path runs it too: failure clocks that count operating time only are no reason
  // to leave it (SL10-B5 FAIL took the general path and its tests at every job).
}

template <bool kPlain>
inline void Station::begin(Slot& s, const Job& job) {
  assert(can_start());
  s.phase = Phase::kBusy;
  s.job = job;
  ++started_total_;
  const double seconds = kPlain || plain_start_ ? cycle_.sample(cycle_rng_) : cycle_seconds(job);
  const auto index = static_cast<std::uint32_t>(&s - slots_.data());
  const sim::Time duration = sim::Time::seconds(seconds);
  if (!kPlain && pace_listener_ != nullptr) pace_start(duration);
  if (!kPlain && in_order_) {
    // The newest job finishes last: it joins the back, and only a lone job needs an event.
    s.due = sim_.now() + duration;
    if (in_order_ring_.push(index)) s.done = sim_.schedule(duration, *this, index);
  } else {
    s.done = sim_.schedule(duration, *this, index);
  }
  ++busy_;
  report(s, kWorking);  // begin() runs only when the station can start: on shift, up, set up
  // A slot that starts again at the instant it was freed goes working -> working and reports
  // nothing, but the pace moved on.
  if (!kPlain && pace_listener_ != nullptr) pace_settle(sim_.now());
  // A plain station has no observer (plain_holds), so its path pays nothing for traces.
  if (!kPlain && observer_ != nullptr)
    observer_->on_job_start(sim_.now(), config_.name, static_cast<int>(index), s.job);
}

// The cycle time of a job started as the started_total_-th, in the general case.
double Station::cycle_seconds(const Job& job) {
  const auto& cycles = config_.cycle;
  const sim::Distribution& d =
      cycles.size() == 1 ? cycle_ : cycles[job.variant < cycles.size() ? job.variant : 0];
  double seconds = d.sample(cycle_rng_);
  if (learning_ != nullptr) seconds *= learning_->multiplier(started_total_);
  if (speed_ != 1.0) seconds /= speed_;
  return seconds;
}

void Station::on_event(std::uint32_t tag) {
  if (tag < kFailureTag) {
    if (plain_) {
      finish<true>(tag);
    } else {
      finish<false>(tag);
    }
  } else if (tag < kRepairTag) {
    failure_due(tag - kFailureTag);
  } else if (tag < kSetupTag) {
    repair(clocks_.repair_done(tag - kRepairTag));
  } else {
    end_setup();
  }
  sync_operating();
}

template <bool kPlain>
void Station::finish(std::uint32_t index) {
  assert(!kPlain || plain_holds());
  Slot& s = slots_[index];
  s.done = {};
  if (!kPlain && in_order_) {
    assert(in_order_ring_.oldest() == index && "an in-order station finished out of order");
    if (in_order_ring_.pop_oldest()) schedule_head();
  }
  s.phase = Phase::kBlocked;
  --busy_;
  ++completed_;
  if (kPlain || plain_finish_) {
    s.destination = output_;
  } else {
    s.destination = choose_destination(s.job);
    after_completion();
  }
  push_out<kPlain>(index);
}

Buffer* Station::choose_destination(Job& job) {
  Buffer* routed = routes_.choose(job);
  return routed != nullptr ? routed : output_;
}

// Lot accounting: the die change starts as soon as the lot's last job is processed.
void Station::after_completion() {
  if (config_.lot_size <= 0) return;
  if (const std::optional<sim::Time> setup = setups_.after_job()) begin_setup(*setup);
}

// A job of another product than the last one started waits in the station while it changes
// over (in setup, as for a lot: failures and shifts pause the changeover too).
bool Station::change_over_for(const Job& job) {
  const std::optional<sim::Time> changeover = setups_.before_job(job);
  if (!changeover) return false;
  setups_.hold(job);
  begin_setup(*changeover);
  return true;
}

void Station::begin_setup(sim::Time duration) {
  in_setup_ = true;
  update_interruption();
  setup_remaining_ = duration;
  if (can_progress()) setup_event_ = sim_.schedule(setup_remaining_, *this, kSetupTag);
  refresh_all();
}

void Station::end_setup() {
  setup_event_ = {};
  in_setup_ = false;
  update_interruption();
  if (setups_.holding()) {
    Slot& s = slots_[idle_.back()];
    idle_.pop_back();
    begin<false>(s, setups_.release());
  }
  refresh_all();
  try_start();
}

template <bool kPlain>
void Station::push_out(std::uint32_t index) {
  Slot& s = slots_[index];
  if (!s.destination->can_put()) {
    refresh(s);
    s.destination->wait_for_space(*this, index);
    return;
  }
  const Job job = s.job;
  s.phase = Phase::kIdle;
  idle_.push_back(index);
  s.destination->put(sim_.now(), job);
  try_start_as<kPlain>();
  // Refreshed only now: when the slot starts its next job at once, it goes working -> working
  // instead of working -> starved -> working at one instant (the same statistics, two fewer
  // updates per job). A slot that started again was reported working by begin(); asking
  // state_of() would test its phase a second time.
  if (s.phase == Phase::kBusy) {
    assert(s.reported == kWorking);
    return;
  }
  refresh(s);
}

void Station::on_output_space(std::uint32_t slot) {
  if (plain_) {
    push_out<true>(slot);
  } else {
    push_out<false>(slot);
  }
  sync_operating();
}

// on_input_available() and try_start(), inline in the header, call these from other files.
template void Station::try_start_as<true>();
template void Station::try_start_as<false>();

}  // namespace takt::models
