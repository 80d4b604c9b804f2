// Where finished vehicles leave the plant: counts them, their lead times and the output of
// every calendar month.
#pragma once

#include <cstdint>
#include <vector>

#include "takt/models/job.hpp"
#include "takt/models/vehicle_store.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/stats.hpp"

namespace takt::models {

class Sink {
 public:
  /// `month_starts` are the simulated times at which calendar months begin (first is 0);
  /// `products` is the size of the product mix (variants are below it).
  Sink(sim::TimeAverage& wip, std::vector<sim::Time> month_starts, std::size_t products = 1);

  void receive(sim::Time now, const Job& job);
  /// Vehicles go on into a storage centre (make to stock), whose room the exit buffer asks.
  void set_store(VehicleStore* store) { store_ = store; }
  bool has_room() const { return store_ == nullptr || store_->has_room(); }
  /// A vehicle waits for room in the storage centre: the line stands for it.
  void refused() {
    if (store_ != nullptr) store_->refused();
  }
  /// Forgets completions and lead times (end of warm-up); monthly counts are kept, since they
  /// report the whole horizon month by month.
  void reset_stats() {
    completed_ = 0;
    rework_visits_ = reworked_ = 0;
    by_variant_.assign(by_variant_.size(), 0);
    lead_time_s_.reset();
  }

  std::uint64_t completed() const { return completed_; }
  std::uint64_t completed_total() const { return completed_total_; }
  const sim::Tally& lead_time_s() const { return lead_time_s_; }
  const std::vector<std::uint64_t>& monthly() const { return monthly_; }
  /// Completions per month and product: [month x products + variant] (empty for one product).
  const std::vector<std::uint64_t>& monthly_by_variant() const { return monthly_by_variant_; }
  /// Completions (after warm-up) per product variant.
  const std::vector<std::uint64_t>& by_variant() const { return by_variant_; }
  std::uint64_t rework_visits() const { return rework_visits_; }
  std::uint64_t reworked() const { return reworked_; }
  const std::vector<sim::Time>& month_starts() const { return month_starts_; }
  /// Stops the simulation once `count` jobs have left in total (0: never).
  void stop_after(std::uint64_t count, sim::Simulation* sim) {
    stop_after_ = count;
    sim_ = sim;
  }

 private:
  sim::TimeAverage& wip_;
  std::vector<sim::Time> month_starts_;
  std::vector<std::uint64_t> monthly_, by_variant_, monthly_by_variant_;
  std::uint64_t rework_visits_ = 0, reworked_ = 0;
  std::size_t month_ = 0;
  std::uint64_t completed_ = 0, completed_total_ = 0, stop_after_ = 0;
  sim::Simulation* sim_ = nullptr;
  VehicleStore* store_ = nullptr;
  sim::Tally lead_time_s_;
};

}  // namespace takt::models
