// The classic "hold" benchmark of event-list speed: N entities, each rescheduling itself after
// an exponential delay. Reports events per second of the bare engine (no model logic).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "takt/sim/distribution.hpp"
#include "takt/sim/simulation.hpp"

namespace {

using takt::sim::Distribution;
using takt::sim::EventHandler;
using takt::sim::RandomStream;
using takt::sim::Simulation;

class Holder : public EventHandler {
 public:
  Holder(Simulation& sim, const Distribution& delay, RandomStream& rng)
      : sim_(sim), delay_(delay), rng_(rng) {}
  void on_event(std::uint32_t) override { sim_.schedule(delay_.sample_time(rng_), *this); }

 private:
  Simulation& sim_;
  const Distribution& delay_;
  RandomStream& rng_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t entities = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100;
  const std::uint64_t events = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20'000'000;
  const Distribution delay = Distribution::exponential(60.0);
  RandomStream rng(42, 0, "hold");
  Simulation sim;
  std::vector<Holder> holders(entities, Holder(sim, delay, rng));
  for (Holder& h : holders) sim.schedule(delay.sample_time(rng), h);

  const auto start = std::chrono::steady_clock::now();
  while (sim.events_processed() < events) sim.run_until(sim.now() + takt::sim::Time::hours(1));
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("engine_hold entities=%zu events=%llu wall_s=%.3f events_per_s=%.0f\n", entities,
              static_cast<unsigned long long>(sim.events_processed()), wall,
              static_cast<double>(sim.events_processed()) / wall);
  return 0;
}
