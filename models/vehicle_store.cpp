// Make to stock: the line builds ahead into the store, and orders draw on it month by month.
#include "takt/models/vehicle_store.hpp"

#include <algorithm>

#include "takt/models/buffer.hpp"

namespace takt::models {

VehicleStore::VehicleStore(sim::Simulation& sim, std::uint64_t capacity, std::uint64_t initial,
                           std::vector<std::uint64_t> orders, bool backlog,
                           std::vector<sim::Time> month_starts, Buffer& exit)
    : sim_(sim),
      capacity_(capacity),
      orders_(std::move(orders)),
      backlog_(backlog),
      month_starts_(std::move(month_starts)),
      exit_(exit),
      stock_(std::min(initial, capacity)) {
  const std::size_t months = month_starts_.size();
  orders_.resize(months, 0);
  shipped_.assign(months, 0);
  stock_end_.assign(months, 0);
  open_end_.assign(months, 0);
  lost_.assign(months, 0);
  full_.assign(months, false);
  if (months > 0) enter_month(0);
}

void VehicleStore::arrive() {
  if (open_ > 0) {
    --open_;
    ++shipped_[month_];
    return;
  }
  ++stock_;
}

void VehicleStore::ship_from_stock() {
  const std::uint64_t n = std::min(stock_, open_);
  const bool was_full = !has_room();
  stock_ -= n;
  open_ -= n;
  shipped_[month_] += n;
  if (was_full && has_room()) exit_.let_producers_in();
}

// Month starts run before anything else at the same instant (priority -5), so a vehicle that
// leaves the line exactly at midnight belongs to the new month, as the sink counts it.
void VehicleStore::enter_month(std::size_t m) {
  month_ = m;
  open_ += orders_[m];
  ship_from_stock();
  // A vehicle held back since last month, still without room after this month's first
  // shipments: the line stands in this month too.
  if (!has_room() && exit_.waiting_producers() > 0) full_[m] = true;
  if (m + 1 < month_starts_.size()) sim_.schedule_at(month_starts_[m + 1], *this, 0, -5);
}

void VehicleStore::on_event(std::uint32_t) {
  stock_end_[month_] = stock_;
  open_end_[month_] = backlog_ ? open_ : 0;
  lost_[month_] = backlog_ ? 0 : open_;
  if (!backlog_) open_ = 0;
  enter_month(month_ + 1);
}

// The month now running ends with the run: its figures are those of this moment. A run
// stopped early (stop_after) ships nothing after its stop: the months it never reached keep
// the stock, and their orders stay open (with backlog) or are lost.
std::vector<std::uint64_t> VehicleStore::stock_at_end() const {
  std::vector<std::uint64_t> out = stock_end_;
  for (std::size_t m = month_; m < out.size(); ++m) out[m] = stock_;
  return out;
}

std::vector<std::uint64_t> VehicleStore::backlog_at_end() const {
  std::vector<std::uint64_t> out = open_end_;
  std::uint64_t open = open_;
  for (std::size_t m = month_; m < out.size(); ++m) {
    if (m > month_) open += orders_[m];
    out[m] = backlog_ ? open : 0;
  }
  return out;
}

std::vector<std::uint64_t> VehicleStore::lost() const {
  std::vector<std::uint64_t> out = lost_;
  for (std::size_t m = month_; m < out.size(); ++m)
    out[m] = backlog_ ? 0 : (m == month_ ? open_ : orders_[m]);
  return out;
}

}  // namespace takt::models
