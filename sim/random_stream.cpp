// Seed derivation: a pure, portable function of (seed, replication, element name).
#include "takt/sim/random_stream.hpp"

#include <boost/random/uniform_01.hpp>

#include "takt/sim/hash.hpp"

namespace takt::sim {
namespace {

// SplitMix64's finaliser: a bijection that spreads nearby inputs far apart.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t replication, std::string_view element) {
  return mix(mix(mix(seed) ^ replication) ^ fnv1a(element));
}

double RandomStream::uniform01() {
  boost::random::uniform_01<double> u;
  return u(engine_);
}

}  // namespace takt::sim
