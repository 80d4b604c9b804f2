// Any text as a duration and as a distribution: a ParseError or a value, and a parsed
// distribution's moments and draws stay finite and convert to ticks without overflow.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "takt/sim/distribution.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/random_stream.hpp"
#include "takt/sim/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const takt::sim::Time t = takt::sim::parse_duration(text);
    (void)takt::sim::format_duration(t);
  } catch (const takt::sim::ParseError&) {
  }
  try {
    const takt::sim::Distribution d = takt::sim::Distribution::parse(text);
    if (!std::isfinite(d.mean()) || !std::isfinite(d.variance())) std::abort();
    takt::sim::RandomStream rng(1, 0, "fuzz");
    for (int i = 0; i < 16; ++i) (void)d.sample_time(rng);
    // What it prints reads back to the same distribution.
    if (takt::sim::Distribution::parse(d.to_string()).to_string() != d.to_string()) std::abort();
  } catch (const takt::sim::ParseError&) {
  }
  return 0;
}
