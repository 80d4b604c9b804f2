// Operating-basis clocks bank their operating time when the station stops but keep their
// event: it may then fire early, and due() re-arms it for the time still left. A stop and
// restart thus cost no event-list work, and a failure is never late.
#include "takt/models/failure_clocks.hpp"

namespace takt::models {

FailureClocks::FailureClocks(const std::vector<FailureProfile>& profiles, std::uint64_t seed,
                             std::uint64_t replication, const std::string& stream_key) {
  for (const FailureProfile& p : profiles) {
    sim::RandomStream rng(seed, replication, stream_key + ".failure." + p.name);
    Clock clock{p, rng, sim::Time::zero(), sim::Time::zero(), {}};
    clock.remaining = p.ttf.sample_time(clock.rng);
    clocks_.push_back(std::move(clock));
    operating_basis_ = operating_basis_ || !p.calendar_basis;
  }
}

void FailureClocks::start(sim::Simulation& sim, sim::EventHandler& station) {
  for (std::size_t i = 0; i < clocks_.size(); ++i) {
    Clock& c = clocks_[i];
    if (c.profile.calendar_basis) c.event = sim.schedule(c.remaining, station, failure_tag(i));
  }
}

void FailureClocks::set_operating(bool operating, sim::Simulation& sim,
                                  sim::EventHandler& station) {
  operating_ = operating;
  for (std::size_t i = 0; i < clocks_.size(); ++i) {
    Clock& c = clocks_[i];
    if (c.profile.calendar_basis) continue;
    if (!operating_) {
      c.remaining -= sim.now() - c.since;
      continue;
    }
    c.since = sim.now();
    if (c.event.is_null()) c.event = sim.schedule(c.remaining, station, failure_tag(i));
  }
}

// The time left is rescaled and the clock re-planned from now (or from the next restart).
void FailureClocks::rescale(double ratio, sim::Simulation& sim, sim::EventHandler& station) {
  for (std::size_t i = 0; i < clocks_.size(); ++i) {
    Clock& c = clocks_[i];
    const bool counting = c.profile.calendar_basis || operating_;
    if (c.profile.calendar_basis && !c.event.is_null())
      c.remaining = sim.time_of(c.event) - sim.now();
    if (!c.profile.calendar_basis && operating_) c.remaining -= sim.now() - c.since;
    c.since = sim.now();
    c.remaining = sim::Time::seconds(c.remaining.to_seconds() * ratio);
    const bool had_event = !c.event.is_null();
    sim.cancel(c.event);
    if (counting && (had_event || !c.profile.calendar_basis))
      c.event = sim.schedule(c.remaining, station, failure_tag(i));
  }
}

bool FailureClocks::due(std::size_t i, sim::Simulation& sim, sim::EventHandler& station) {
  Clock& c = clocks_[i];
  c.event = {};
  if (c.profile.calendar_basis) return true;
  if (operating_) {
    c.remaining -= sim.now() - c.since;
    c.since = sim.now();
  }
  if (c.remaining <= sim::Time::zero()) return true;
  // The station stopped meanwhile: not due yet.
  if (operating_) c.event = sim.schedule(c.remaining, station, failure_tag(i));
  return false;
}

void FailureClocks::fail(std::size_t i, double availability, sim::Simulation& sim,
                         sim::EventHandler& station) {
  Clock& c = clocks_[i];
  c.event = {};
  c.remaining = sim::Time::seconds(c.profile.ttf.sample(c.rng) * availability);
  crew_.begin(sim, station, c.profile.ttr.sample_time(c.rng), kRepairTag,
              static_cast<std::uint32_t>(i), c.profile.repairs_pause);
}

void FailureClocks::repaired(std::size_t i, sim::Simulation& sim, sim::EventHandler& station) {
  Clock& c = clocks_[i];
  if (c.profile.calendar_basis) c.event = sim.schedule(c.remaining, station, failure_tag(i));
}

}  // namespace takt::models
