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

// The product of the next job when the month's orders are by product: drawn in proportion
// to the orders each has left, or, levelled, the one with the largest share of its month's
// orders still left (4:1 gives A, A, A, A, B, ...), so the month builds its order book's mix.
std::uint16_t Source::draw_ordered() {
  std::size_t best = 0;
  std::uint64_t total = 0;
  const auto left_share = [this](std::size_t v) {
    const std::uint64_t given = product_given_[v];
    return given == 0 ? 0.0 : static_cast<double>(product_allowance_[v]) / double(given);
  };
  for (std::size_t v = 0; v < product_allowance_.size(); ++v) {
    total += product_allowance_[v];
    if (left_share(v) > left_share(best)) best = v;
  }
  if (!levelled_ && product_allowance_.size() > 1) {
    auto left = static_cast<std::uint64_t>(mix_rng_.uniform01() * static_cast<double>(total));
    for (best = 0; best + 1 < product_allowance_.size(); ++best) {
      if (left < product_allowance_[best]) break;
      left -= product_allowance_[best];
    }
    while (product_allowance_[best] == 0) --best;  // rounding at the very top of the range
  }
  --product_allowance_[best];
  return static_cast<std::uint16_t>(best);
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
  const std::uint16_t variant =
      capped_ && !product_allowance_.empty() ? draw_ordered() : draw_variant();
  return Job{next_id_++, variant, 0, sim_.now()};
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
  ran_dry_.assign(month_starts_.size(), 0);
  if (!product_caps_.empty()) product_unreleased_.assign(month_starts_.size(), {});
  enter_month(0);
}

// Month starts are events, so a capped plant resumes release on the first of the month.
void Source::enter_month(std::size_t m) {
  if (m > 0 && capped_) unreleased_[m - 1] = allowance_;
  if (m > 0) ran_dry_[m - 1] = ran_dry(m - 1) ? 1 : 0;
  if (m > 0 && capped_ && !product_caps_.empty()) product_unreleased_[m - 1] = product_allowance_;
  const std::uint64_t carried = carry_over_ && capped_ ? allowance_ : 0;
  const bool was_capped = capped_;
  month_ = m;
  const std::optional<std::uint64_t> cap = m < caps_.size() ? caps_[m] : std::nullopt;
  capped_ = cap.has_value();
  allowance_ = capped_ ? carried + *cap : 0;
  if (!product_caps_.empty()) {
    const std::vector<std::uint64_t>& orders = product_caps_[std::min(m, product_caps_.size() - 1)];
    if (!(carry_over_ && was_capped)) product_allowance_.assign(orders.size(), 0);
    product_allowance_.resize(orders.size(), 0);
    for (std::size_t v = 0; v < orders.size(); ++v) {
      if (m < product_caps_.size()) product_allowance_[v] += orders[v];
    }
    product_given_ = product_allowance_;
  }
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
