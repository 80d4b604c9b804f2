// Job release: unlimited supply on demand, or timed arrivals that wait when the plant is full.
#include "takt/models/source.hpp"

#include <algorithm>
#include <numeric>

#include "takt/models/buffer.hpp"
#include "takt/sim/error.hpp"

namespace takt::models {

Source::Source(sim::Simulation& sim, std::vector<double> mix, sim::RandomStream mix_rng,
               sim::TimeAverage* wip)
    : sim_(sim), cumulative_mix_(mix.size()), mix_rng_(mix_rng), wip_(wip) {
  std::partial_sum(mix.begin(), mix.end(), cumulative_mix_.begin());
}

void Source::set_levelled(bool levelled) {
  levelled_ = levelled;
  credit_.assign(cumulative_mix_.size(), 0.0);
}

std::uint16_t Source::next_levelled() {
  std::size_t best = 0;
  for (std::size_t i = 0; i < credit_.size(); ++i) {
    credit_[i] += cumulative_mix_[i] - (i > 0 ? cumulative_mix_[i - 1] : 0.0);
    if (credit_[i] > credit_[best]) best = i;
  }
  credit_[best] -= cumulative_mix_.back();
  return static_cast<std::uint16_t>(best);
}

std::uint16_t Source::draw_variant() {
  // A single product needs no draw, so its stream is never touched.
  if (cumulative_mix_.size() <= 1) return 0;
  if (levelled_) return next_levelled();
  const double u = mix_rng_.uniform01() * cumulative_mix_.back();
  const auto it = std::upper_bound(cumulative_mix_.begin(), cumulative_mix_.end(), u);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_mix_.begin()),
                                       cumulative_mix_.size() - 1);
  return static_cast<std::uint16_t>(i);
}

Job Source::make_job() {
  ++released_;
  if (capped_) --allowance_;
  if (wip_ != nullptr) {
    if (wip_->level() >= kMaxWip) {
      throw sim::SimulationError(sim_.now(),
                                 "more than 1,000,000 vehicles are inside the plant: "
                                 "release outpaces what it builds (an unstable queue)");
    }
    wip_->add(sim_.now(), 1);
  }
  return Job{next_id_++, draw_variant(), 0, sim_.now()};
}

void Source::start_arrivals(Buffer& target, sim::Distribution interarrival, sim::RandomStream rng,
                            bool lose_when_full) {
  target_ = &target;
  lose_when_full_ = lose_when_full;
  interarrival_ = std::move(interarrival);
  arrival_rng_ = rng;
  sim_.schedule(interarrival_.sample_time(arrival_rng_), *this);
}

void Source::set_demand(std::vector<std::optional<std::uint64_t>> cap_by_month, bool carry_over,
                        std::vector<sim::Time> month_starts, Buffer& supply) {
  caps_ = std::move(cap_by_month);
  carry_over_ = carry_over;
  month_starts_ = std::move(month_starts);
  supply_ = &supply;
  unreleased_.assign(month_starts_.size(), 0);
  enter_month(0);
}

// Month starts are events, so a capped plant resumes release on the first of the month.
void Source::enter_month(std::size_t m) {
  if (m > 0 && capped_) unreleased_[m - 1] = allowance_;
  const std::uint64_t carried = carry_over_ && capped_ ? allowance_ : 0;
  month_ = m;
  const std::optional<std::uint64_t> cap = m < caps_.size() ? caps_[m] : std::nullopt;
  capped_ = cap.has_value();
  allowance_ = capped_ ? carried + *cap : 0;
  if (m + 1 < month_starts_.size()) sim_.schedule_at(month_starts_[m + 1], *this, kMonthTag, -5);
  if (m > 0) supply_->wake_consumers();
}

void Source::on_event(std::uint32_t tag) {
  if (tag == kMonthTag) {
    enter_month(month_ + 1);
    return;
  }
  // A lost arrival never becomes a job: it draws no product and is not in the WIP.
  if (lose_when_full_ && !target_->can_put()) {
    ++lost_;
    sim_.schedule(interarrival_.sample_time(arrival_rng_), *this);
    return;
  }
  held_ = make_job();
  holding_ = true;
  deliver();
}

// Like a machine under blocking after service, a source facing a full target keeps its job
// and draws the next gap only once the job is in.
void Source::deliver() {
  if (!target_->can_put()) {
    target_->wait_for_space(*this, 0);
    return;
  }
  holding_ = false;
  target_->put(sim_.now(), held_);
  sim_.schedule(interarrival_.sample_time(arrival_rng_), *this);
}

void Source::on_output_space(std::uint32_t) { deliver(); }

}  // namespace takt::models
