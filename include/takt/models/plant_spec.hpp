// A plant described as plain values: what the scenario loader produces and the builder wires.
// Names refer to each other (routes, joins, calendars); the builder resolves them once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/models/failure_profile.hpp"
#include "takt/models/paced_line.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/models/station.hpp"
#include "takt/sim/distribution.hpp"

namespace takt::models {

/// A share of a station's finished jobs sent to a named buffer or station (its input).
struct RouteSpec {
  std::string to;
  double share = 0;
  bool is_rework = false;  ///< counted as a rework visit (quality loops)
};

struct LineItem {
  enum class Kind { kBuffer, kStation, kOven, kPaced };
  Kind kind = Kind::kStation;
  std::string name;
  std::size_t capacity = 0;  ///< buffers; Buffer::kUnlimited for no limit
  StationConfig station;     ///< stations and ovens (an oven: servers = capacity, fixed time)
  PacedLineConfig paced;
  std::vector<RouteSpec> routes;
  std::vector<std::string> joins;  ///< stores consumed one job per job started
  std::string calendar;            ///< "" = the plant's
};

/// Off-line stations (spot repair) fed by routes and returning to `to`.
struct LoopSpec {
  std::vector<LineItem> line;
  std::string to;
};

struct ShopSpec {
  std::string name;
  int lines = 1;  ///< parallel copies; the line's leading and trailing buffers are shared
  /// A feeder shop (the press shop) runs from its own supply into its last buffer, a store
  /// that downstream stations consume through joins; it is not part of the main series.
  bool is_feeder = false;
  std::vector<LineItem> line;
  std::vector<LoopSpec> loops;
};

struct NamedCalendar {
  std::string name;
  ShiftCalendar calendar;
};

struct PlantSpec {
  std::string name;
  double capacity = 0;  ///< stated nameplate, vehicles per year
  std::vector<std::string> products;
  std::vector<double> mix;  ///< shares, same order as products
  bool unlimited_arrivals = true;
  sim::Distribution interarrival;
  std::string calendar;  ///< "" = 24/7
  std::vector<NamedCalendar> calendars;
  std::vector<ShopSpec> shops;
};

/// Names a station's copy in a shop with parallel lines: "framing#2" (copy 0 keeps the name).
std::string copy_name(const std::string& name, int copy, int copies);

}  // namespace takt::models
