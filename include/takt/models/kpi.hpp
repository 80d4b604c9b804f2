// What a run of one plant reports: plain numbers, formatted elsewhere.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "takt/models/station_state.hpp"

namespace takt::models {

/// A route out of a station (a quality branch, a rework loop) and the jobs that took it.
struct RouteKpi {
  std::string to;  ///< the buffer it leads to ("NAME.rework" for a station's rework input)
  bool is_rework = false;
  std::uint64_t jobs = 0;
};

struct StationKpi {
  std::string name, shop, kind;  ///< kind: station, oven, paced
  std::array<double, kStateCount> shares{};
  std::uint64_t completed = 0, failures = 0, setups = 0, changeovers = 0;
  /// Shifting bottleneck (ActivePeriods): the share of the measured window in which it was
  /// the sole bottleneck, and a shifting one; and the same per calendar month of the horizon
  /// (from time zero, as the monthly output).
  double bottleneck_sole = 0, bottleneck_shifting = 0;
  std::vector<double> monthly_sole, monthly_shifting;
  std::string output;            ///< the buffer its finished jobs go to when no route takes them
  std::vector<RouteKpi> routes;  ///< the jobs not on routes went on to `output`
};

struct ProductKpi {
  std::string name;
  std::uint64_t output = 0;  ///< vehicles of this product completed after warm-up
};

struct BufferKpi {
  std::string name, shop;
  double capacity = 0;  ///< -1 for unlimited
  double mean = 0, max = 0, share_empty = 0, share_full = 0;
  double throughput_per_hour = 0;  ///< jobs leaving per hour
  double mean_wait_hours = 0;      ///< per job that left
};

/// The share of time a station is active: working, down or in setup (not starved, blocked or
/// off shift).
inline double active_share(const std::array<double, kStateCount>& shares) {
  return shares[kWorking] + shares[kDown] + shares[kSetup];
}

/// The bottleneck rule, for one replication and for means over replications alike: the first
/// of `items` (anything with `shares`) with the highest active share; nullptr when empty or
/// when nothing was ever active (a plant before its start of production has no bottleneck).
template <class Item>
const Item* most_active(const std::vector<Item>& items) {
  const Item* best = nullptr;
  for (const Item& i : items) {
    if (best == nullptr || active_share(i.shares) > active_share(best->shares)) best = &i;
  }
  if (best != nullptr && active_share(best->shares) <= 0) return nullptr;
  return best;
}

/// A calendar year that the run reaches, whole or in part.
struct YearKpi {
  int year = 0;
  std::uint64_t output = 0;  ///< vehicles completed on its days inside the run (warm-up included)
  double nameplate = 0;      ///< the capacity spread over those days' working hours
  bool whole = false;        ///< the run covers it from 1 January to 31 December
};

/// What limited a month's output, in the order they are told: not yet in production, the
/// orders (make to order: release used all they allowed), a full storage centre (make to
/// stock: the store was full at some moment of the month, which stops the line), a ramp-up (a
/// ramp factor below 99 % of its mature value mid-month), or else the plant's capacity.
enum class MonthLimit { kNotStarted, kOrders, kStorageFull, kRampUp, kCapacity };
constexpr std::size_t kMonthLimitCount = 5;
/// "not_started", "orders", "storage_full", "ramp_up", "capacity"
const char* month_limit_name(MonthLimit l);

/// One product's months, with an order plan by product: per calendar month its orders, its
/// output, and at the month's end its backlog (with backlog) or the orders it lost (without).
struct ProductMonths {
  std::vector<std::uint64_t> orders, output, backlog, lost;
};

struct PlantKpis {
  std::string name;
  double capacity = 0;
  double measured_hours = 0;       ///< simulated hours after warm-up
  std::uint64_t output = 0;        ///< vehicles completed after warm-up
  double throughput_per_hour = 0;  ///< output / measured_hours
  /// Throughput x 8,760 h: the measured rate extrapolated to a year of 365 days, not the
  /// output of any calendar year (those are in `years`).
  double annual_rate = 0;
  double capacity_ratio = 0;   ///< annual_rate / capacity
  double wip = 0;              ///< time-average vehicles in the plant
  double lead_time_hours = 0;  ///< mean, release to completion
  std::uint64_t released = 0, wip_end = 0;
  std::uint64_t arrivals_lost = 0;     ///< arrivals an inbound store turned away (when_full: lose)
  std::uint64_t rework_visits = 0;     ///< rework passes made by the vehicles completed
  std::uint64_t reworked = 0;          ///< vehicles completed that were reworked at least once
  std::vector<ProductKpi> products;    ///< in the order of the plant's product mix
  std::vector<std::uint64_t> monthly;  ///< completions per calendar month of the horizon
  /// Per calendar month of the horizon: the plant calendar's working hours, and the nameplate
  /// spread over them (capacity x the month's share of its calendar year's working hours).
  std::vector<double> monthly_scheduled_hours, monthly_nameplate;
  std::vector<YearKpi> years;  ///< each calendar year the run reaches, in order
  /// The month (index into `monthly`) in which the plant starts production: ramp-up figures
  /// count from it.
  std::size_t first_production_month = 0;
  /// Per calendar month, with an order plan (else empty): the month's orders, and at its end
  /// the backlog (orders to date not yet built; with backlog) or the orders lost that month
  /// (not released in their month; without).
  std::vector<std::uint64_t> monthly_orders, monthly_backlog, monthly_lost;
  /// Per calendar month, with a storage centre (make to stock; else empty): vehicles shipped
  /// against orders, and the stock at the month's end. Backlog and lost orders then count
  /// orders not shipped (not: not built).
  std::vector<std::uint64_t> monthly_shipped, monthly_stock;
  /// With an order plan by product (else empty): each product's months, in the order of
  /// `products`.
  std::vector<ProductMonths> product_months;
  std::vector<MonthLimit> monthly_limit;  ///< per calendar month
  std::vector<StationKpi> stations;       ///< in flow order (the order of the file's line items)
  std::vector<BufferKpi> buffers;
  std::string bottleneck;  ///< most_active() of the stations
  std::uint64_t events = 0;
};

}  // namespace takt::models
