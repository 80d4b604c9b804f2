// Lot and changeover accounting; the streams keep the names the station gave them before.
#include "takt/models/setup_plan.hpp"

namespace takt::models {

SetupPlan::SetupPlan(const StationConfig& config, std::uint64_t seed, std::uint64_t replication,
                     const std::string& stream_key)
    : lot_size_(config.lot_size),
      lot_setup_(config.setup),
      has_changeover_(config.has_changeover),
      changeover_(config.changeover) {
  if (lot_size_ > 0)
    lot_rng_ = std::make_unique<sim::RandomStream>(seed, replication, stream_key + ".setup");
  if (has_changeover_) {
    changeover_rng_ =
        std::make_unique<sim::RandomStream>(seed, replication, stream_key + ".changeover");
  }
}

std::optional<sim::Time> SetupPlan::after_job() {
  if (lot_size_ <= 0 || ++lot_done_ < lot_size_) return std::nullopt;
  lot_done_ = 0;
  ++lot_setups_;
  return lot_setup_.sample_time(*lot_rng_);
}

std::optional<sim::Time> SetupPlan::before_job(const Job& job) {
  if (!has_changeover_) return std::nullopt;
  const bool differs = last_variant_ >= 0 && job.variant != last_variant_;
  last_variant_ = job.variant;
  if (!differs) return std::nullopt;
  ++changeovers_;
  return changeover_.sample_time(*changeover_rng_);
}

}  // namespace takt::models
