// A FIFO store between stations. Capacity 0 is a direct hand-off; the plant's unlimited supply
// and its sink are buffers too, so every station pulls from and pushes to the same interface.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "takt/models/job.hpp"
#include "takt/models/lane_rule.hpp"
#include "takt/models/source.hpp"
#include "takt/sim/fill_timer.hpp"
#include "takt/sim/stats.hpp"

namespace takt::models {

class Sink;
class Station;

class Buffer {
 public:
  static constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();
  /// kSequence: a sequencing store, whose jobs leave by its lanes' take rule, not in order.
  enum class Role { kStore, kSupply, kSink, kSequence };
  using Fill = sim::FillTimer::Fill;
  static constexpr Fill kEmpty = sim::FillTimer::kEmpty;
  static constexpr Fill kPartial = sim::FillTimer::kPartial;
  static constexpr Fill kFull = sim::FillTimer::kFull;

  Buffer(std::string name, std::size_t capacity);
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  /// Turns this buffer into the plant's unlimited supply: it is never empty.
  void make_supply(Source& source);
  /// Turns this buffer into the plant's exit: it always has room.
  void make_sink(Sink& sink);
  /// Turns this buffer into a sequencing store of `spec.lanes` lanes (its capacity must be
  /// lanes x lane capacity).
  void make_sequencing(const StoreSpec& spec);
  void add_consumer(Consumer& consumer);
  /// A station is called directly when it is the buffer's only consumer (the hot hand-off).
  void add_consumer(Station& station);

  const std::string& name() const { return name_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return size_; }
  Role role() const { return role_; }

  /// Room for one more job now (for capacity 0: a consumer ready to take it at once).
  bool can_put() const {
    if (role_ == Role::kSink) return sink_has_room();
    if (capacity_ > 0) return size_ < capacity_;
    return can_hand_off();
  }
  /// Stores a job (asserts can_put) and offers it to the consumers.
  void put(sim::Time now, const Job& job) {
    assert(can_put() && "put() into a buffer without room");
    if (role_ != Role::kStore) return put_special(now, job);
    push(now, job);
    offer();
  }
  bool has_job() const { return size_ > 0 || (role_ == Role::kSupply && supply_can_release()); }
  /// Offers a supply's jobs to its ready consumers again (a new month of demand).
  void wake_consumers();
  /// Removes the oldest job (asserts has_job), then lets the first waiting producer in.
  Job take(sim::Time now) {
    assert(has_job() && "take() from an empty buffer");
    if (role_ != Role::kStore) return take_special(now);
    const Job job = pop(now);
    if (waiting_head_ < waiting_.size()) release_waiting();
    return job;
  }
  /// take() without letting a waiting producer in yet: for a station that takes a kit from
  /// several buffers, so that no refill starts another station before the kit is complete.
  /// Call let_producers_in() once the kit is taken.
  Job take_quietly(sim::Time now) {
    assert(has_job() && "take() from an empty buffer");
    if (role_ != Role::kStore) return take_special(now, false);
    return pop(now);
  }
  void let_producers_in() {
    if (waiting_head_ < waiting_.size()) release_waiting();
  }
  /// Registers a blocked producer; they are let in first come, first served.
  void wait_for_space(Producer& producer, std::uint32_t token);
  /// A consumer became ready: for a hand-off buffer, lets a waiting producer pass its job.
  void on_consumer_ready();
  std::size_t waiting_producers() const { return waiting_.size() - waiting_head_; }

  // Statistics since the last reset: occupancy and the time shares empty / full.
  void reset_stats(sim::Time now);
  double mean_occupancy(sim::Time now) const;
  /// The most jobs held at once. A hand-off (capacity 0) holds a job only for the instant it
  /// passes, which is no place taken: 0.
  double max_occupancy() const { return capacity_ == 0 ? 0.0 : static_cast<double>(max_size_); }
  double share(sim::Time now, Fill f) const { return fill_.share(now, size_, f); }
  /// Sum of the waiting times of jobs that left since the reset, in seconds.
  double total_wait_s() const {
    return static_cast<double>(total_wait_) / static_cast<double>(sim::Time::kTicksPerSecond);
  }
  std::uint64_t left() const { return left_; }

 private:
  struct Slot {
    Job job;
    sim::Time since;
  };
  struct Waiter {
    Producer* producer;
    std::uint32_t token;
  };
  // Inline, with the buffer's other hot paths: they run at every hand-over between stations.
  void push(sim::Time now, const Job& job) {
    if (size_ == ring_.size()) grow();
    std::size_t tail = head_ + size_;
    if (tail >= ring_.size()) tail -= ring_.size();
    ring_[tail] = Slot{job, now};
    ++size_;
    if (size_ > max_size_) max_size_ = size_;
    fill_.entered(now, size_ - 1);
  }
  Job pop(sim::Time now) {
    const Slot slot = ring_[head_];
    if (++head_ == ring_.size()) head_ = 0;
    --size_;
    ++left_;
    total_wait_ += (now - slot.since).count();
    fill_.left(now, size_ + 1);
    return slot.job;
  }
  void grow();
  sim::WideTicks waited_by_present(sim::Time now) const;
  // The other roles' put and take, out of line: one test on the plain store's path.
  void put_special(sim::Time now, const Job& job);
  Job take_special(sim::Time now, bool let_in = true);
  void offer();
  void offer_in_turn();
  void release_waiting();
  bool can_hand_off() const;
  bool supply_can_release() const { return source_->can_release(); }
  bool sink_has_room() const;

  std::string name_;
  std::size_t capacity_;
  Role role_ = Role::kStore;
  Source* source_ = nullptr;
  Sink* sink_ = nullptr;
  std::vector<Consumer*> consumers_;
  Station* sole_station_ = nullptr;  // the only consumer, when it is a station: called directly
  std::vector<Waiter> waiting_;      // FIFO: [waiting_head_, end)
  std::size_t waiting_head_ = 0;
  std::vector<Slot> ring_;  // circular; grows for unlimited buffers
  std::size_t head_ = 0, size_ = 0;
  bool offering_ = false;
  sim::FillTimer fill_;
  std::uint64_t left_ = 0;
  sim::WideTicks total_wait_ = 0;  // summed in ticks: exact, and no division per job
  // The occupancy is not tracked job by job: its area is the time the jobs spent here, which
  // the waits already sum (see mean_occupancy). What that needs besides:
  sim::Time measured_from_;          // the last reset
  sim::WideTicks before_reset_ = 0;  // what the jobs here at the last reset had waited before it
  std::size_t max_size_ = 0;
  // A sequencing store's rule, and the lane and product of each job inside, oldest first
  // (cold: after the fields every hand-over reads).
  struct Sequencing {
    LaneRule rule;
    std::vector<std::uint16_t> lanes, variants;
  };
  std::unique_ptr<Sequencing> sequencing_;
};

}  // namespace takt::models
