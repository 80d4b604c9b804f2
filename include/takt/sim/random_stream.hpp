// One independent random stream per named random element, so adding an element never shifts
// another element's draws (ns-3's seed + run + stream idea, keyed by name instead of by index).
#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <string_view>

namespace takt::sim {

/// The 64-bit seed of element `element` in replication `replication` of a run seeded `seed`.
/// A pure function of its arguments (SplitMix64 over FNV-1a of the name): same on every platform.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t replication, std::string_view element);

/// A Boost.Random Mersenne Twister seeded from derive_seed(); satisfies UniformRandomBitGenerator.
class RandomStream {
 public:
  using Engine = boost::random::mt19937_64;
  using result_type = Engine::result_type;

  RandomStream() = default;
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view element)
      : engine_(derive_seed(seed, replication, element)) {}
  explicit RandomStream(std::uint64_t raw_seed) : engine_(raw_seed) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }  // full 64-bit range
  result_type operator()() { return engine_(); }

  /// Uniform on [0, 1).
  double uniform01();

 private:
  Engine engine_;
};

}  // namespace takt::sim
