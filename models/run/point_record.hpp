// What a sweep saves for each finished point: its figures as data, self-describing (the sweep,
// the point, its factor values, its plants), so that the final tables are made from saved
// points alone, by a resumed sweep or by `takt merge`, and can change form without a re-run.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "takt/models/calendar_date.hpp"

namespace takt::run::detail {

/// One replication of one plant.
struct RunRecord {
  std::uint64_t output = 0;
  double annual_rate = 0, capacity_ratio = 0;
  int months_to_80 = -1, months_to_90 = -1;  ///< -1: not reached
  std::uint64_t rework_visits = 0;
  std::string bottleneck;
  std::vector<std::uint64_t> monthly;
  std::vector<double> nameplate;
  std::vector<int> limited_by;  ///< per month, a models::MonthLimit
  /// Per month, with an order plan (else empty): orders, backlog and lost orders at its end.
  std::vector<std::uint64_t> orders, backlog, lost;
  /// What identifies this plant replication's run (a hash of scenario::plant_run_key; "" when
  /// it has none): runs with one key are alike, so the sweep simulated them once.
  std::string run_key;
};

struct PlantRecord {
  std::string name;
  std::vector<RunRecord> replications;
};

struct PointRecord {
  std::string sweep_id;
  std::size_t point = 0;
  models::CalendarDate start = models::CalendarDate::from_days_since_epoch(0);
  std::vector<std::pair<std::string, std::string>> factors;  ///< (path, value) in design order
  std::vector<PlantRecord> plants;
  /// With a precision rule: whether every plant met it (else the rule's maximum stopped it).
  enum class Precision { kNone, kMet, kNotMet } precision = Precision::kNone;
};

/// The saved text: one typed field per line, strings with their length, doubles to 17 digits
/// (so every figure reads back to the same bits and the tables to the same bytes).
std::string to_text(const PointRecord& record);

/// Reads to_text()'s form; throws std::runtime_error naming what is damaged.
PointRecord point_from_text(const std::string& text);

}  // namespace takt::run::detail
