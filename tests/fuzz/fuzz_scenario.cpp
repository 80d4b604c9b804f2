// Any bytes as a scenario file: the loader must report a ScenarioError or accept, never crash,
// hang, leak or trip a sanitizer. Accepted scenarios are also built once (as validate does).
#include <cstddef>
#include <cstdint>
#include <string>

#include "takt/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    takt::scenario::load_scenario(text, "fuzz.yaml");
  } catch (const takt::scenario::ScenarioError&) {
  }
  return 0;
}
