// A station's routes: shares, their yield scaling and their counts.
#include "takt/models/route_table.hpp"

#include <algorithm>

#include "takt/models/buffer.hpp"

namespace takt::models {

void RouteTable::add(double share, Buffer& target, bool is_rework) {
  if (rng_ == nullptr) rng_ = std::make_unique<sim::RandomStream>(seed_);
  const double before = routes_.empty() ? 0.0 : routes_.back().cumulative;
  routes_.push_back({share, before + share, &target, is_rework, 0});
}

void RouteTable::set_first_pass_yield(double yield) {
  double given = 0;
  for (const Route& r : routes_) given += r.share;
  if (given <= 0) return;
  const double scale = std::clamp(1.0 - yield, 0.0, 1.0) / given;
  double cumulative = 0;
  for (Route& r : routes_) r.cumulative = cumulative += r.share * scale;
}

std::vector<RouteKpi> RouteTable::counts() const {
  std::vector<RouteKpi> out;
  for (const Route& r : routes_) out.push_back({r.target->name(), r.is_rework, r.taken});
  return out;
}

void RouteTable::reset_counts() {
  for (Route& r : routes_) r.taken = 0;
}

}  // namespace takt::models
