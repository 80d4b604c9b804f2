// Any text as a --set KEY.PATH=VALUE edit of a small scenario: a ScenarioError (reported at
// --set) or an accepted scenario. Alias bombs, tags and odd paths must cost little.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "takt/scenario/scenario.hpp"

namespace {

const std::string& base() {
  static const std::string text = [] {
    std::ifstream in(std::string(TAKT_SOURCE_DIR) + "/tests/data/analytic/paint_loop.yaml");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string edit(reinterpret_cast<const char*>(data), size);
  try {
    takt::scenario::load_scenario(base(), "base.yaml", {edit});
  } catch (const takt::scenario::ScenarioError&) {
  }
  return 0;
}
