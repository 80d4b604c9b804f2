// The vehicle storage centre of a make-to-stock plant: finished vehicles wait in it until
// orders ship them. A full store refuses the next vehicle, which blocks the line's last station.
#pragma once

#include <cstdint>
#include <vector>

#include "takt/sim/simulation.hpp"

namespace takt::models {

class Buffer;

class VehicleStore final : public sim::EventHandler {
 public:
  /// `orders[m]` is what month m (starting at month_starts[m]) orders. With `backlog`, orders a
  /// month could not ship carry over; without, they are lost at its end. `initial` vehicles are
  /// in stock at time zero. `exit` is the buffer the line puts vehicles into: its waiting
  /// producers are let in when shipments make room.
  VehicleStore(sim::Simulation& sim, std::uint64_t capacity, std::uint64_t initial,
               std::vector<std::uint64_t> orders, bool backlog, std::vector<sim::Time> month_starts,
               Buffer& exit);

  /// Room for one more vehicle now.
  bool has_room() const { return stock_ < capacity_; }
  /// A vehicle off the line: shipped at once against an open order, else into stock.
  void arrive();
  /// A vehicle off the line found no room and waits: the line stands this month.
  void refused() { full_[month_] = true; }

  std::uint64_t stock() const { return stock_; }
  /// Per month: vehicles shipped, stock at the month's end (before the next month's orders
  /// ship), open orders carried over, orders lost, and whether the full store held a vehicle
  /// back (stopped the line) at some moment: one that filled with the month's last vehicle, the
  /// line never waiting, was not.
  const std::vector<std::uint64_t>& shipped() const { return shipped_; }
  std::vector<std::uint64_t> stock_at_end() const;
  std::vector<std::uint64_t> backlog_at_end() const;
  std::vector<std::uint64_t> lost() const;
  const std::vector<bool>& was_full() const { return full_; }

  void on_event(std::uint32_t tag) override;  // a month starts

 private:
  void enter_month(std::size_t m);
  void ship_from_stock();

  sim::Simulation& sim_;
  std::uint64_t capacity_;
  std::vector<std::uint64_t> orders_;
  bool backlog_;
  std::vector<sim::Time> month_starts_;
  Buffer& exit_;
  std::size_t month_ = 0;
  std::uint64_t stock_ = 0;
  std::uint64_t open_ = 0;  // orders not yet shipped that may still ship this month
  std::vector<std::uint64_t> shipped_, stock_end_, open_end_, lost_;
  std::vector<bool> full_;
};

}  // namespace takt::models
