// Where jobs enter a plant: an unlimited supply (the first station never starves), an arrival
// process drawn from a distribution, or a release plan of so many jobs per day.
#pragma once

#include <cstdint>
#include <vector>

#include "takt/models/job.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/stats.hpp"

namespace takt::models {

class Buffer;

class Source : public sim::EventHandler, public Producer {
 public:
  /// `mix` holds the product shares (need not sum to one); `rng` draws variants and arrivals.
  Source(sim::Simulation& sim, std::vector<double> mix, sim::RandomStream mix_rng,
         sim::TimeAverage& wip);

  /// Jobs arrive into `target` with gaps drawn from `interarrival`; a full target blocks the
  /// source until there is room, and the next gap starts only then (no arrival is lost).
  void start_arrivals(Buffer& target, sim::Distribution interarrival, sim::RandomStream rng);

  /// A new job released now (supply buffers call this when a station takes from them).
  Job make_job();
  std::uint64_t released() const { return released_; }
  void reset_stats() { released_ = 0; }

  void on_event(std::uint32_t tag) override;
  void on_output_space(std::uint32_t token) override;

 private:
  std::uint16_t draw_variant();
  void deliver();

  sim::Simulation& sim_;
  std::vector<double> cumulative_mix_;
  sim::RandomStream mix_rng_;
  sim::TimeAverage& wip_;
  Buffer* target_ = nullptr;
  sim::Distribution interarrival_;
  sim::RandomStream arrival_rng_;
  bool holding_ = false;  // an arrived job waits for room in the target
  Job held_;
  std::uint32_t next_id_ = 0;
  std::uint64_t released_ = 0;
};

}  // namespace takt::models
