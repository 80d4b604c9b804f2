// When a station must set up, and for how long: a die change after every lot of `lot.size`
// jobs, and a product changeover before a job of another product than the last one started.
// Each draws its durations from its own stream (made only where it exists). The station
// carries the setups out: it is in setup meanwhile, and failures and shifts pause them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "takt/models/item_spec.hpp"
#include "takt/models/job.hpp"
#include "takt/sim/random_stream.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

class SetupPlan {
 public:
  SetupPlan(const StationConfig& config, std::uint64_t seed, std::uint64_t replication,
            const std::string& stream_key);

  /// A job was processed: the die change's duration when it ended a lot.
  std::optional<sim::Time> after_job();
  /// A job is about to start: the changeover's duration when its product differs from the
  /// last one started (the job then waits in the station: hold() it).
  std::optional<sim::Time> before_job(const Job& job);

  /// The job that waits for its changeover.
  void hold(const Job& job) {
    held_ = job;
    holding_ = true;
  }
  bool holding() const { return holding_; }
  /// The job that waits (while holding()).
  const Job& held() const { return held_; }
  Job release() {
    holding_ = false;
    return held_;
  }

  std::uint64_t lot_setups() const { return lot_setups_; }
  std::uint64_t changeovers() const { return changeovers_; }
  void reset_counts() { lot_setups_ = changeovers_ = 0; }

 private:
  int lot_size_;
  sim::Distribution lot_setup_;
  bool has_changeover_;
  sim::Distribution changeover_;
  std::unique_ptr<sim::RandomStream> lot_rng_, changeover_rng_;
  int lot_done_ = 0;
  int last_variant_ = -1;
  bool holding_ = false;
  Job held_;
  std::uint64_t lot_setups_ = 0, changeovers_ = 0;
};

}  // namespace takt::models
