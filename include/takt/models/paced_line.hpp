// A paced assembly line: `positions` stations that index together every takt. A failure at
// any position, a full output or the end of a shift stops the whole line (andon); an empty
// input leaves a gap that travels down the line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "takt/models/buffer.hpp"
#include "takt/models/equipment.hpp"
#include "takt/models/failure_profile.hpp"
#include "takt/models/item_spec.hpp"
#include "takt/models/repair_crew.hpp"
#include "takt/models/state_observer.hpp"
#include "takt/models/station_state.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/stats.hpp"

namespace takt::models {

class PacedLine final : public sim::EventHandler,
                        public Consumer,
                        public Producer,
                        public Equipment {
 public:
  PacedLine(sim::Simulation& sim, PacedLineConfig config, std::uint64_t seed,
            std::uint64_t replication, const std::string& stream_key);

  void connect_input(Buffer& input);
  void connect_output(Buffer& output) override { output_ = &output; }
  const Buffer* output() const override { return output_; }
  void start() override;
  /// Tells `observer` of every change of the whole line's state from now on (moving,
  /// blocked, down, off shift), as slot 0 without a job.
  void set_observer(StateObserver* observer) override { observer_ = observer; }
  void set_on_shift(bool on_shift) override;
  /// Active (the active-period method) while down, or while moving with a job in its first
  /// position; inactive off shift, blocked, or starved: its last index found no job to load.
  /// A gap further down the line is not a wait: the line indexes at full takt around it.
  ActivityWatch watch_activity(sim::EdgeListener* listener, std::uint32_t unit) override {
    activity_listener_ = listener;
    activity_unit_ = unit;
    active_ = is_active();
    return {1, active_ ? 0 : 1};
  }
  /// Speed and availability; a line has no quality routes, so no first-pass yield.
  void set_ramp(RampTarget target, double factor) override;
  bool has_ramp(RampTarget target) const override { return target != RampTarget::kYield; }
  /// Started, and told of shift changes, after the stations (as before equipment shared an
  /// interface: the order of events at one instant, and so every result, stays as it was).
  int order_rank() const override { return 1; }
  /// Ramp-up speed: the line moves at `factor` times its nominal speed from now on (the takt
  /// in progress included); factors below 1e-6 count as 1e-6.
  void set_speed(double factor);
  /// Ramp-up availability: every position's time to failure is `factor` times nominal.
  void set_availability(double factor);

  void on_event(std::uint32_t tag) override;
  /// A paced line takes a job only at the instant it indexes (its first position is free then).
  bool is_ready_to_take() const override { return accepting_; }
  void on_input_available() override {}
  void on_output_space(std::uint32_t token) override;

  const std::string& name() const override { return config_.name; }
  const char* kind() const override { return "paced"; }
  std::string label() const override { return "paced line '" + config_.name + "'"; }
  const PacedLineConfig& config() const { return config_; }
  void reset_stats(sim::Time now) override;
  double share(sim::Time now, StationState s) const override { return states_.share(now, s); }
  std::uint64_t completed() const override { return completed_; }
  std::uint64_t work_begun() const override { return indexes_total_; }
  Motion motion() const override {
    if (!is_available()) return Motion::kUnavailable;
    return is_stuck() ? Motion::kStuck : Motion::kMoving;
  }
  std::string stall_reason() const override { return describe_wait(); }
  bool handles(const sim::EventHandler* handler) const override { return handler == this; }
  /// Indexes since time zero (never reset): the deadlock watchdog's sign of life.
  std::uint64_t indexes_total() const { return indexes_total_; }
  bool is_stuck() const { return waiting_output_; }
  /// Moving, or held only by a full output.
  bool is_available() const { return on_shift_ && down_ == 0; }
  std::uint64_t failures() const override { return failure_count_; }
  int jobs_inside() const { return occupied_; }
  std::string describe_wait() const;

 private:
  // Repairs are tagged kRepairTag + their slot in the crew.
  static constexpr std::uint32_t kIndexTag = 0, kFailureTag = 1, kRepairTag = 2;
  // A position fails when the odometer (the line's moving time since time zero) reaches its
  // clock's `due`; banking moving time then costs one addition, not one per position.
  struct Clock {
    std::size_t profile;
    sim::Time due;
  };

  bool is_moving() const { return on_shift_ && down_ == 0 && !waiting_output_; }
  bool is_active() const {
    return on_shift_ && (down_ > 0 || (!waiting_output_ && filled_[offset_] != 0));
  }
  void note_activity();
  void index();
  void advance();
  void update_motion();
  void stop_motion();
  void bank_moving_time();
  void arm_next_failure();
  void record_states();
  sim::Time takt() const;

  sim::Simulation& sim_;
  PacedLineConfig config_;
  StateObserver* observer_ = nullptr;
  sim::EdgeListener* activity_listener_ = nullptr;  // the bottleneck analysis, when it runs
  std::uint32_t activity_unit_ = 0;
  bool active_ = false;
  Buffer* input_ = nullptr;
  Buffer* output_ = nullptr;
  std::vector<Job> ring_;
  std::vector<std::uint8_t> filled_;  // bytes, not std::vector<bool>: read on every index
  std::size_t offset_ = 0;
  int occupied_ = 0;
  std::vector<Clock> clocks_;
  RepairCrew crew_;
  std::size_t next_failure_ = 0;
  bool next_failure_known_ = false;  // next_failure_ is the earliest due clock
  sim::Time odometer_;
  sim::EventHandle index_event_, failure_event_;
  sim::Time index_remaining_, moving_since_;
  double speed_ = 1.0, availability_ = 1.0;
  bool on_shift_ = true, waiting_output_ = false, moving_ = false, accepting_ = false;
  int down_ = 0;
  sim::StateTimer states_;
  std::array<int, kStateCount> counts_{};
  int recorded_mode_ = -1, recorded_occupied_ = -1;  // what counts_ was last built from
  std::uint64_t completed_ = 0, failure_count_ = 0, indexes_total_ = 0;
  sim::RandomStream rng_;  // last: 2.5 KB that would push the hot fields apart
};

}  // namespace takt::models
