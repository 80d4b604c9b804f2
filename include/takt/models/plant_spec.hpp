// A plant described as plain values: what the scenario loader produces and the builder wires.
// Names refer to each other (routes, joins, calendars); the builder resolves them once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/models/failure_profile.hpp"
#include "takt/models/item_spec.hpp"
#include "takt/models/ramp_up_curve.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/sim/distribution.hpp"

namespace takt::models {

/// A share of a station's finished jobs sent to a named buffer or station (its input).
struct RouteSpec {
  std::string to;
  double share = 0;
  bool is_rework = false;  ///< counted as a rework visit (quality loops)
};

/// A ramp-up: a curve from a start date, acting on speed, availability or first-pass yield
/// (time curves), or on cycle times by cumulative units (learning curves). The factor of a
/// time curve is re-evaluated every `step` of simulated time, starting at time zero.
struct RampUpSpec {
  using Target = RampTarget;
  RampUpCurve curve;
  CalendarDate start = CalendarDate::from_days_since_epoch(0);
  std::vector<Target> targets{Target::kSpeed};
  sim::Time step = sim::Time::days(1);

  bool acts_on(Target t) const {
    for (const Target x : targets) {
      if (x == t) return true;
    }
    return false;
  }
};

/// Orders per month from a date on: release stops for the month once they are built.
struct DemandStep {
  CalendarDate from = CalendarDate::from_days_since_epoch(0);
  std::uint64_t per_month = 0;
};

/// A month's orders: vehicles to ship in the calendar month that starts on `month`.
struct OrderMonth {
  CalendarDate month;  ///< the first day of the month
  std::uint64_t vehicles = 0;
  /// Orders per product, in the plant's product order (empty: the month gives a total only);
  /// `vehicles` is then their sum.
  std::vector<std::uint64_t> by_product;
};

/// A vehicle storage centre: the plant makes to stock, building ahead into it up to
/// `capacity` while orders ship from it; `initial` vehicles are in stock at the start.
struct StorageSpec {
  std::uint64_t capacity = 0;
  std::uint64_t initial = 0;
};

/// What a line item is: one kind's spec. An oven is a StationConfig of kind "oven" (servers =
/// places, a fixed time).
using ItemSpec = std::variant<StationConfig, BufferSpec, PacedLineConfig, StoreSpec>;

struct LineItem {
  std::string name;
  ItemSpec spec;
  std::vector<RouteSpec> routes;
  std::vector<std::string> joins;   ///< stores consumed one job per job started
  std::string calendar;             ///< "" = the plant's
  std::vector<RampUpSpec> ramp_up;  ///< the most specific ramp per target wins

  /// The spec if the item is of that kind, else nullptr.
  template <class Spec>
  const Spec* as() const {
    return std::get_if<Spec>(&spec);
  }
  template <class Spec>
  Spec* as() {
    return std::get_if<Spec>(&spec);
  }
  /// A buffer or a store: holds jobs between the items that work on them.
  bool is_storage() const { return as<BufferSpec>() != nullptr || as<StoreSpec>() != nullptr; }
  /// Its places, for a buffer or a store.
  std::size_t capacity() const {
    if (const auto* b = as<BufferSpec>()) return b->capacity;
    if (const auto* s = as<StoreSpec>()) return s->capacity();
    return 0;
  }
};

/// Off-line stations (spot repair) fed by routes and returning to `to`.
struct LoopSpec {
  std::vector<LineItem> line;
  std::string to;
};

struct ShopSpec {
  std::string name;
  int lines = 1;  ///< parallel copies; the line's leading and trailing buffers are shared
  /// When the shop starts production: one date for every copy, or one per copy (a second
  /// assembly line that starts later); empty: the plant's.
  std::vector<CalendarDate> start_of_production;
  /// A feeder shop (the press shop) runs from its own supply into its last buffer, a store
  /// that downstream stations consume through joins; it is not part of the main series.
  bool is_feeder = false;
  std::vector<LineItem> line;
  std::vector<LoopSpec> loops;
  std::vector<RampUpSpec> ramp_up;
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
  /// Yuan per vehicle, same order as products (empty: no prices given).
  std::vector<double> prices;
  std::optional<double> investment;  ///< yuan, for the whole plant (nullopt: not given)
  bool levelled_mix = false;  ///< release products in a levelled order instead of drawing them
  bool unlimited_arrivals = true;
  sim::Distribution interarrival;
  std::string calendar;  ///< "" = 24/7
  std::vector<NamedCalendar> calendars;
  std::vector<ShopSpec> shops;
  std::vector<RampUpSpec> ramp_up;
  std::vector<DemandStep> demand;  ///< empty: no demand cap
  /// A monthly order plan (empty: none): release follows orders, a month not in the plan orders
  /// nothing. With `backlog`, orders not built in their month carry over; without, they are lost.
  std::vector<OrderMonth> orders;
  bool backlog = true;
  /// With a storage centre the plant makes to stock: release ignores the orders, which ship
  /// from the store instead (nullopt: make to order, release follows the orders).
  std::optional<StorageSpec> storage;
  /// Before this date the plant builds nothing (its shops may say otherwise); nullopt: from
  /// the run's start. Ramp-ups without a start of their own and months_to_80/90 count from it.
  std::optional<CalendarDate> start_of_production;
};

/// Names a station's copy in a shop with parallel lines: "framing#2" (copy 0 keeps the name).
std::string copy_name(const std::string& name, int copy, int copies);

/// The day copy `copy` of `copies` of a shop starts production, the most specific date first:
/// the copy's, the shop's, the plant's (an item shared by the copies, copies == 1, starts with
/// the first of them); nullopt: from the run's start.
std::optional<CalendarDate> start_of_production(const PlantSpec& plant, const ShopSpec& shop,
                                                int copy, int copies);

/// The day the plant can first build a vehicle: the latest start among the shops its vehicles
/// pass through (feeder shops aside), each shop starting with its first line copy on its own
/// date, else on the plant's; nullopt: from the run's start. A plant whose every shop
/// starts on 2024-02-01 has no nameplate to meet and is `not_started` before it, as one given
/// that date itself.
std::optional<CalendarDate> plant_start_of_production(const PlantSpec& plant);

}  // namespace takt::models
