// The plant's exit: output, lead times and the month-by-month output curve.
#include "takt/models/sink.hpp"

#include <algorithm>
#include <cassert>

#include "takt/sim/simulation.hpp"

namespace takt::models {

Sink::Sink(sim::TimeAverage& wip, std::vector<sim::Time> month_starts, std::size_t products)
    : wip_(wip),
      month_starts_(std::move(month_starts)),
      monthly_(month_starts_.size(), 0),
      by_variant_(std::max<std::size_t>(products, 1), 0),
      monthly_by_variant_(products > 1 ? month_starts_.size() * products : 0, 0) {}

void Sink::receive(sim::Time now, const Job& job) {
  wip_.add(now, -1);
  ++completed_;
  ++completed_total_;
  lead_time_s_.add((now - job.released).to_seconds());
  assert(job.variant < by_variant_.size());
  ++by_variant_[job.variant];
  rework_visits_ += job.reworks;
  reworked_ += job.reworks != 0;
  // Completions come in time order, so the month index only ever moves forward.
  while (month_ + 1 < month_starts_.size() && now >= month_starts_[month_ + 1]) ++month_;
  if (!monthly_.empty()) ++monthly_[month_];
  if (!monthly_by_variant_.empty())
    ++monthly_by_variant_[month_ * by_variant_.size() + job.variant];
  if (store_ != nullptr) store_->arrive();
  if (stop_after_ > 0 && completed_total_ >= stop_after_ && sim_ != nullptr) sim_->stop();
}

}  // namespace takt::models
