// Where jobs enter a plant: an unlimited supply (the first station never starves), an arrival
// process drawn from a distribution, or a release plan of so many jobs per day.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "takt/models/job.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/stats.hpp"

namespace takt::models {

class Buffer;

class Source final : public sim::EventHandler, public Producer {
 public:
  /// Most vehicles a plant may hold at once: beyond it the run stops with an error (release
  /// outpaces the plant), so that memory stays bounded however unstable the plant.
  static constexpr std::int64_t kMaxWip = 1'000'000;

  /// `mix` holds the product shares (need not sum to one); `rng` draws variants and arrivals.
  /// `wip` counts the jobs released and not yet completed (nullptr: not counted, as for a
  /// feeder shop, whose finite store bounds what it holds).
  Source(sim::Simulation& sim, std::vector<double> mix, sim::RandomStream mix_rng,
         sim::TimeAverage* wip);

  /// Jobs arrive into `target` with gaps drawn from `interarrival`. A full target blocks the
  /// source until there is room, and the next gap starts only then; with `lose_when_full` the
  /// arrival is turned away and counted instead, and the next gap starts at once.
  void start_arrivals(Buffer& target, sim::Distribution interarrival, sim::RandomStream rng,
                      bool lose_when_full = false);
  /// Arrivals turned away since the last reset_stats.
  std::uint64_t lost() const { return lost_; }

  /// Release products in a levelled, repeating order by their shares instead of drawing them.
  void set_levelled(bool levelled);
  /// A new job released now (supply buffers call this when a station takes from them).
  Job make_job();
  /// Caps releases per calendar month: cap_by_month[m] for the month starting at
  /// month_starts[m] (nullopt: no cap). With `carry_over`, what a month's cap left unreleased
  /// adds to the next month's (orders with a backlog); without, it is lost. At each month start
  /// the supply's consumers are woken.
  void set_demand(std::vector<std::optional<std::uint64_t>> cap_by_month, bool carry_over,
                  std::vector<sim::Time> month_starts, Buffer& supply);
  /// Orders by product for the months of set_demand (call before it): by_month[m][v] for
  /// product v. Release then picks each job's product among those with orders left this
  /// month (drawn in proportion to them, or, levelled, the product with the largest share of
  /// its month's orders left), and
  /// each product's orders carry over or are lost as the totals do.
  void set_product_demand(std::vector<std::vector<std::uint64_t>> by_month) {
    product_caps_ = std::move(by_month);
  }
  /// Per month and product: the releases its orders allowed that were not made by its end.
  std::vector<std::vector<std::uint64_t>> product_unreleased_by_month() const {
    auto out = product_unreleased_;
    if (capped_ && month_ < out.size()) out[month_] = product_allowance_;
    return out;
  }
  /// Whether this month's demand leaves room for another release.
  bool can_release() const { return !capped_ || allowance_ > 0; }
  /// Per month of the plan: the releases it allowed that were not made by the month's end
  /// (0: release used all the orders allowed, so orders limited the month).
  std::vector<std::uint64_t> unreleased_by_month() const {
    std::vector<std::uint64_t> out = unreleased_;
    if (capped_ && month_ < out.size()) out[month_] = allowance_;  // the month now running
    return out;
  }
  /// Whether month m ran out of work for want of orders: its release used all its cap allowed
  /// and the plant held no released vehicle at the month's end (for the month now running: now).
  /// Release stops once the cap is used, so an empty plant then stays empty to the month's end.
  /// A plant that still held work built what it could that month, orders or none: it was not
  /// waiting for them (true without a WIP count: the cap alone says it then).
  bool ran_dry(std::size_t m) const {
    if (m == month_) return capped_ && allowance_ == 0 && plant_empty();
    return m < ran_dry_.size() && ran_dry_[m] != 0;
  }
  std::uint64_t released() const { return released_; }
  /// Jobs released since time zero (never reset).
  std::uint64_t released_total() const { return next_id_; }
  void reset_stats() {
    released_ = 0;
    lost_ = 0;
  }

  void on_event(std::uint32_t tag) override;
  void on_output_space(std::uint32_t token) override;

 private:
  std::uint16_t draw_variant();
  std::uint16_t draw_ordered();
  std::uint16_t next_levelled();
  void deliver();

  sim::Simulation& sim_;
  std::vector<double> cumulative_mix_;
  sim::RandomStream mix_rng_;
  sim::TimeAverage* wip_;
  Buffer* target_ = nullptr;
  sim::Distribution interarrival_;
  sim::RandomStream arrival_rng_;
  bool holding_ = false;  // an arrived job waits for room in the target
  bool lose_when_full_ = false;
  std::uint64_t lost_ = 0;
  Job held_;
  std::uint32_t next_id_ = 0;
  std::uint64_t released_ = 0;
  std::vector<std::optional<std::uint64_t>> caps_;
  bool carry_over_ = false;
  std::vector<sim::Time> month_starts_;
  std::size_t month_ = 0;
  bool capped_ = false;
  std::uint64_t allowance_ = 0;  // releases this month's cap still allows
  std::vector<std::uint64_t> unreleased_;
  std::vector<std::uint8_t> ran_dry_;  // per finished month: ran_dry()
  Buffer* supply_ = nullptr;
  // Orders by product (empty: totals only): the plan, this month's allowance per product, and
  // what each month left unreleased.
  std::vector<std::vector<std::uint64_t>> product_caps_, product_unreleased_;
  std::vector<std::uint64_t> product_allowance_, product_given_;  // left, and at month start
  // Levelled release (heijunka): each product earns its share per job and the one with the
  // most credit goes next, so shares 1:1 give A, B, A, B, ... and no random draw. Last: read only
  // when a plant has several products.
  bool levelled_ = false;
  std::vector<double> credit_;
  static constexpr std::uint32_t kArrivalTag = 0, kMonthTag = 1;
  void enter_month(std::size_t m);
  bool plant_empty() const { return wip_ == nullptr || wip_->level() == 0; }
};

}  // namespace takt::models
