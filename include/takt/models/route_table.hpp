// Where a station sends its finished jobs besides down the line: quality branches and rework
// loops, each taking a share of the jobs; a ramp-up's first-pass yield scales them together.
// Its random stream is made with the first route, so a station without routes draws nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "takt/models/job.hpp"
#include "takt/models/kpi.hpp"
#include "takt/sim/random_stream.hpp"

namespace takt::models {

class Buffer;

class RouteTable {
 public:
  explicit RouteTable(std::uint64_t seed) : seed_(seed) {}

  /// Sends `share` (0..1) of the finished jobs to `target`; `is_rework` counts a rework visit.
  void add(double share, Buffer& target, bool is_rework);
  bool empty() const { return routes_.empty(); }
  /// The routes together take 1 - yield of the jobs, in the proportions they were given.
  void set_first_pass_yield(double yield);

  /// Where a finished job goes: a route's target (counted, and a rework counted on the job
  /// too), or nullptr for down the line. Inline: it runs at every finish of a routed station.
  Buffer* choose(Job& job) {
    if (routes_.empty()) return nullptr;
    const double u = rng_->uniform01();
    for (Route& r : routes_) {
      if (u < r.cumulative) {
        ++r.taken;
        if (r.is_rework) ++job.reworks;
        return r.target;
      }
    }
    return nullptr;
  }

  /// The jobs each route took since the last reset, in the order the routes were added.
  std::vector<RouteKpi> counts() const;
  void reset_counts();

 private:
  struct Route {
    double share;       // as given
    double cumulative;  // after the yield scaling
    Buffer* target;
    bool is_rework;
    std::uint64_t taken;  // since the last reset_counts()
  };
  std::vector<Route> routes_;
  std::uint64_t seed_;
  std::unique_ptr<sim::RandomStream> rng_;
};

}  // namespace takt::models
