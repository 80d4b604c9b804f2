// `takt run --method analytic`: each plant as a serial line decomposed into two-machine lines
// (models/line_decomposition.hpp), when it is one: a steady-state answer in milliseconds, with
// every reason a plant is outside what the method handles when it is not.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "takt/models/exact_line.hpp"
#include "takt/models/line_decomposition.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::run {

/// One plant as the decomposition saw it: its stations as machines (rates per hour) and the
/// places between them, and what the decomposition found.
struct AnalyticPlant {
  std::string name;
  double capacity = 0;
  std::vector<std::string> stations, buffers;  ///< buffers[i] sits after stations[i] ("" if none)
  models::ExactLineSpec line;
  models::LineDecomposition result;
};

/// A scenario with a plant the method does not handle; what() lists every reason, per plant.
class AnalyticRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Every plant's line, decomposed. A plant must be a serial line, 24/7, with unlimited arrivals:
/// stations with exponential cycle times (one for every product), exponential failures counted
/// in operating time, and buffers between them (two stations in a row hand over directly). A
/// station with c servers is one machine c times as fast with c - 1 more places after it (its
/// other servers work on while one holds a finished part). Several failure profiles are one
/// with their summed rates and the mean of their repairs weighted by those rates. Throws
/// AnalyticRefusal naming each plant and each reason otherwise: feeders, parallel line copies,
/// loops, routes and joins, paced lines, ovens, stores, lots, changeovers, calendars, ramps,
/// orders, demand, storage, timed arrivals or a start of production.
std::vector<AnalyticPlant> analyze_lines(const scenario::Scenario& s);

/// The table: per plant the throughput, annual rate and its share of capacity; per station the
/// estimated working, blocked, starved and down shares; per buffer the mean level.
std::string analytic_text(const scenario::Scenario& s, const std::vector<AnalyticPlant>& plants);
std::string analytic_json(const scenario::Scenario& s, const std::vector<AnalyticPlant>& plants);
/// analytic.csv, tidy: plant, entity, metric, value, unit.
std::string analytic_csv(const std::vector<AnalyticPlant>& plants);

}  // namespace takt::run
