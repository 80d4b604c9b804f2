// Lane choice and take rule of a sequencing store. Stores hold tens of jobs, so each decision
// looks at all of them; no state is kept but the last product taken and the run length.
#include "takt/models/lane_rule.hpp"

#include <cassert>

namespace takt::models {

LaneRule::LaneRule(const StoreSpec& spec) : spec_(spec) {}

std::uint16_t LaneRule::lane_for(std::uint16_t variant, const std::vector<std::uint16_t>& lanes,
                                 const std::vector<std::uint16_t>& variants) const {
  const auto n = static_cast<std::size_t>(spec_.lanes);
  std::vector<std::size_t> count(n, 0);
  std::vector<int> newest(n, -1);  // the variant of each lane's newest job
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    ++count[lanes[i]];
    newest[lanes[i]] = variants[i];
  }
  for (std::size_t l = 0; l < n; ++l) {
    if (newest[l] == variant && count[l] < spec_.lane_capacity)
      return static_cast<std::uint16_t>(l);
  }
  std::size_t best = n;
  for (std::size_t l = 0; l < n; ++l) {
    if (count[l] == 0) return static_cast<std::uint16_t>(l);
    if (count[l] < spec_.lane_capacity && (best == n || count[l] < count[best])) best = l;
  }
  assert(best < n && "lane_for() on a full store");
  return static_cast<std::uint16_t>(best);
}

std::size_t LaneRule::pick(const std::vector<std::uint16_t>& lanes,
                           const std::vector<std::uint16_t>& variants) {
  assert(!lanes.empty());
  // Lane heads in age order: the first job seen of each lane.
  std::vector<bool> seen(static_cast<std::size_t>(spec_.lanes), false);
  std::size_t same = lanes.size(), other = lanes.size();
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    if (seen[lanes[i]]) continue;
    seen[lanes[i]] = true;
    if (variants[i] == last_variant_) {
      if (same == lanes.size()) same = i;
    } else if (other == lanes.size()) {
      other = i;
    }
  }
  std::size_t chosen = same < other ? same : other;  // fifo: the oldest head
  if (spec_.take == StoreSpec::Take::kBatch) {
    const bool keep = same < lanes.size() && (run_ < spec_.block || other == lanes.size());
    chosen = keep ? same : other;
  }
  run_ = variants[chosen] == last_variant_ ? run_ + 1 : 1;
  last_variant_ = variants[chosen];
  return chosen;
}

}  // namespace takt::models
