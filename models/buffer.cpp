// FIFO buffer with blocking after service: producers that find it full wait in line and are
// let in, first come first served, as soon as a job leaves.
#include "takt/models/buffer.hpp"

#include <algorithm>
#include <cassert>

#include "takt/models/sink.hpp"
#include "takt/models/source.hpp"
#include "takt/models/station.hpp"

namespace takt::models {

Buffer::Buffer(std::string name, std::size_t capacity)
    : name_(std::move(name)), capacity_(capacity), fill_(capacity) {
  // The ring starts small and doubles up to the capacity, so a huge (or unlimited) capacity
  // costs memory only for the jobs that actually wait.
  ring_.resize(capacity_ == 0 ? 1 : std::min<std::size_t>(capacity_, 16));
}

void Buffer::make_supply(Source& source) {
  role_ = Role::kSupply;
  source_ = &source;
}

void Buffer::make_sink(Sink& sink) {
  role_ = Role::kSink;
  sink_ = &sink;
}

void Buffer::add_consumer(Consumer& consumer) {
  consumers_.push_back(&consumer);
  sole_station_ = nullptr;
}

void Buffer::add_consumer(Station& station) {
  consumers_.push_back(&station);
  sole_station_ = consumers_.size() == 1 ? &station : nullptr;
}

bool Buffer::can_hand_off() const {
  if (size_ > 0) return false;
  for (const Consumer* c : consumers_) {
    if (c->is_ready_to_take()) return true;
  }
  return false;
}

void Buffer::make_sequencing(const StoreSpec& spec) {
  assert(capacity_ == static_cast<std::size_t>(spec.lanes) * spec.lane_capacity);
  role_ = Role::kSequence;
  sequencing_ = std::make_unique<Sequencing>(Sequencing{LaneRule(spec), {}, {}});
}

void Buffer::put_special(sim::Time now, const Job& job) {
  if (role_ == Role::kSink) return sink_->receive(now, job);
  assert(role_ == Role::kSequence && "nothing is put into a supply");
  Sequencing& q = *sequencing_;
  q.lanes.push_back(q.rule.lane_for(job.variant, q.lanes, q.variants));
  q.variants.push_back(job.variant);
  push(now, job);
  offer();
}

Job Buffer::take_special(sim::Time now, bool let_in) {
  if (role_ == Role::kSupply) return source_->make_job();
  Sequencing& q = *sequencing_;
  const std::size_t k = q.rule.pick(q.lanes, q.variants);
  q.lanes.erase(q.lanes.begin() + static_cast<std::ptrdiff_t>(k));
  q.variants.erase(q.variants.begin() + static_cast<std::ptrdiff_t>(k));
  // The chosen job moves to the head and the older ones one place back, so the ring stays in
  // age order and the plain pop() does the bookkeeping.
  const auto at = [this](std::size_t i) { return (head_ + i) % ring_.size(); };
  const Slot chosen = ring_[at(k)];
  for (std::size_t i = k; i > 0; --i) ring_[at(i)] = ring_[at(i - 1)];
  ring_[head_] = chosen;
  const Job job = pop(now);
  if (let_in && waiting_head_ < waiting_.size()) release_waiting();
  return job;
}

void Buffer::wait_for_space(Producer& producer, std::uint32_t token) {
  if (role_ == Role::kSink) sink_->refused();  // a full storage centre stops the line
  if (waiting_head_ == waiting_.size()) {
    waiting_.clear();
    waiting_head_ = 0;
  }
  waiting_.push_back({&producer, token});
}

bool Buffer::sink_has_room() const { return sink_->has_room(); }

void Buffer::on_consumer_ready() { release_waiting(); }

void Buffer::wake_consumers() {
  for (Consumer* c : consumers_) {
    if (!has_job()) return;
    if (c->is_ready_to_take()) c->on_input_available();
  }
}

void Buffer::release_waiting() {
  while (waiting_head_ < waiting_.size() && can_put()) {
    const Waiter w = waiting_[waiting_head_++];
    w.producer->on_output_space(w.token);  // puts its job, which may be taken at once
  }
}

// Offers stored jobs to the consumers in their fixed order (parallel stations: the first free
// one wins, so ties never depend on addresses). Re-entry from a consumer's take is absorbed.
void Buffer::offer() {
  if (offering_) return;
  offering_ = true;
  if (sole_station_ != nullptr) {
    // A lone consumer takes all it can in one call (Station::try_start loops, a paced line
    // takes only at its index), so there is no second round to try and no need to ask first.
    // A station is called directly: its busy check inlines here, with no virtual call.
    sole_station_->on_input_available();
  } else if (consumers_.size() == 1) {
    consumers_.front()->on_input_available();
  } else {
    offer_in_turn();
  }
  offering_ = false;
}

void Buffer::offer_in_turn() {
  bool progress = true;
  while (size_ > 0 && progress) {
    progress = false;
    for (Consumer* c : consumers_) {
      if (size_ == 0) break;
      if (!c->is_ready_to_take()) continue;
      const std::size_t before = size_;
      c->on_input_available();
      progress = progress || size_ != before;
    }
  }
}

// Doubles the ring, keeping FIFO order; can_put() guarantees we stay within the capacity.
void Buffer::grow() {
  std::vector<Slot> bigger(ring_.size() * 2);
  for (std::size_t i = 0; i < size_; ++i) bigger[i] = ring_[(head_ + i) % ring_.size()];
  ring_.swap(bigger);
  head_ = 0;
}

// The time the jobs here so far have waited (in ticks).
sim::WideTicks Buffer::waited_by_present(sim::Time now) const {
  sim::WideTicks waited = 0;
  for (std::size_t i = 0, at = head_; i < size_; ++i, at = at + 1 == ring_.size() ? 0 : at + 1) {
    waited += (now - ring_[at].since).count();
  }
  return waited;
}

// Little's law, exactly: the area under the occupancy since the reset is the time jobs spent
// here since then. That is the waits of the jobs that left (total_wait_), plus the time so far
// of those still here, less what the jobs here at the reset had waited before it. All in
// integer ticks, so the mean is the one a job-by-job time average would give, to the last bit
// (tests/models/test_sl10.cpp compares it with one), at no cost per job.
double Buffer::mean_occupancy(sim::Time now) const {
  const sim::WideTicks area = total_wait_ + waited_by_present(now) - before_reset_;
  return sim::time_average(area, measured_from_, now, static_cast<std::int64_t>(size_));
}

void Buffer::reset_stats(sim::Time now) {
  fill_.reset(now, size_);
  left_ = 0;
  total_wait_ = 0;
  measured_from_ = now;
  before_reset_ = waited_by_present(now);
  max_size_ = size_;
}

}  // namespace takt::models
