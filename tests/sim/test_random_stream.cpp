// Streams are keyed by (seed, replication, element): reproducible and independent.
#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "takt/sim/distribution.hpp"
#include "takt/sim/random_stream.hpp"

using takt::sim::derive_seed;
using takt::sim::Distribution;
using takt::sim::RandomStream;

namespace {
std::vector<double> draws(RandomStream rng, int n) {
  const Distribution d = Distribution::exponential(60);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(d.sample(rng));
  return out;
}
}  // namespace

TEST_CASE("The same seed, replication and element give the same draws") {
  CHECK(draws(RandomStream(42, 0, "framing"), 100) == draws(RandomStream(42, 0, "framing"), 100));
}

TEST_CASE("Adding a random element leaves every other element's draws untouched") {
  // Streams are created from their own key, never from a shared generator, so creating and
  // using another stream in between cannot shift these draws.
  const auto alone = draws(RandomStream(42, 3, "paint.topcoat"), 50);
  RandomStream newcomer(42, 3, "weld.respot");
  (void)draws(newcomer, 1000);
  CHECK(draws(RandomStream(42, 3, "paint.topcoat"), 50) == alone);
}

TEST_CASE("Seeds differ across seeds, replications and element names") {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t s = 0; s < 4; ++s) {
    for (std::uint64_t r = 0; r < 16; ++r) {
      for (const char* e : {"a", "b", "press", "press2", ""}) seeds.insert(derive_seed(s, r, e));
    }
  }
  CHECK(seeds.size() == 4 * 16 * 5);
  CHECK(draws(RandomStream(42, 0, "framing"), 5) != draws(RandomStream(42, 1, "framing"), 5));
}

TEST_CASE("Seed derivation is pinned, so results are the same on every platform") {
  // Golden values: a change here changes every published result and must be deliberate.
  CHECK(derive_seed(0, 0, "") == 0x7dc2c42b173ebf65ULL);
  RandomStream uniform(42, 0, "framing");
  CHECK(uniform.uniform01() == 0.61946835375436926);
  RandomStream exponential(42, 0, "framing");
  // The mean times a draw of mean 1, one ulp below the draw divided by the rate that takt
  // made before (83.22915007446808): such a change moves a tick only when a draw lands
  // within an ulp of a half microsecond.
  CHECK(Distribution::exponential(60).sample(exponential) == 83.229150074468066);
  RandomStream lognormal(42, 0, "framing");
  CHECK(Distribution::parse("lognormal(90s, 0.15)").sample(lognormal) == 75.22031155008095);
}
