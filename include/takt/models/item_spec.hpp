// What each kind of equipment is, as plain values: what the scenario layer reads and the
// builder turns into running equipment. Nothing here runs, so the scenario layer's headers
// need no event queue.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "takt/models/failure_profile.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

/// A ramp-up curve's target (RampUpSpec::Target), as equipment sees it.
enum class RampTarget { kSpeed, kAvailability, kYield };

struct StationConfig {
  std::string name;
  std::string shop;
  const char* kind = "station";  ///< "oven" for an oven (servers = places, a fixed time)
  int servers = 1;
  std::vector<sim::Distribution> cycle;  ///< one per variant, or a single one for all
  std::vector<FailureProfile> failures;
  int lot_size = 0;         ///< jobs per lot; 0: no lots
  sim::Distribution setup;  ///< changeover after each lot
  /// A product changeover before a job of another product than the last one started (single
  /// server only): the job waits in the station, which is in setup meanwhile.
  bool has_changeover = false;
  sim::Distribution changeover;
};

struct PacedLineConfig {
  std::string name;
  std::string shop;
  int positions = 1;
  sim::Time takt;
  /// Each profile applies to every position independently, in the line's moving time.
  std::vector<FailureProfile> failures;
};

/// A buffer: places between the items that work on jobs (0: a direct hand-off).
struct BufferSpec {
  std::size_t capacity = 0;  ///< Buffer::kUnlimited for no limit
  /// An inbound store (the plant's first item, with timed arrivals): an arrival that finds it
  /// full is turned away and counted, instead of waiting for a place (held back).
  bool lose_when_full = false;
};

/// A sequencing store: lanes of places and the rule by which jobs leave (lane_rule.hpp).
struct StoreSpec {
  enum class Take { kFifo, kBatch };
  int lanes = 1;
  std::size_t lane_capacity = 1;
  Take take = Take::kFifo;
  int block = 1;  ///< batch: the most jobs of one product taken in a row while others wait

  std::size_t capacity() const { return static_cast<std::size_t>(lanes) * lane_capacity; }
};

}  // namespace takt::models
