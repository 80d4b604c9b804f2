// The take rule of a sequencing store (the paint shop's colour blocks): jobs wait in lanes,
// each first in, first out; only a lane's head can leave. `fifo` takes the oldest head;
// `batch` takes a head of the product last taken while one is there, up to `block` jobs in a
// row, then the oldest head of another product. Pure logic over the store's jobs, so the
// buffer keeps its one ring and its statistics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "takt/models/item_spec.hpp"

namespace takt::models {

class LaneRule {
 public:
  explicit LaneRule(const StoreSpec& spec);

  /// The lane a job of `variant` enters, given the lanes of the jobs inside (oldest first) and
  /// their variants: the lane whose newest job is of the same product, if it has room; else an
  /// empty lane; else the lane with the most room (the lowest index among equals). The store
  /// has room (its capacity is lanes x lane capacity), so some lane has.
  std::uint16_t lane_for(std::uint16_t variant, const std::vector<std::uint16_t>& lanes,
                         const std::vector<std::uint16_t>& variants) const;

  /// Which job (an index into the oldest-first lists) leaves next; the store holds one at least.
  std::size_t pick(const std::vector<std::uint16_t>& lanes,
                   const std::vector<std::uint16_t>& variants);

 private:
  StoreSpec spec_;
  int last_variant_ = -1;
  int run_ = 0;  // jobs of last_variant_ taken in a row
};

}  // namespace takt::models
