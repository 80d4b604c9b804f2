// The SERES scenario compiled into the program, so `takt run` works without any file.
#include "takt/scenario/scenario.hpp"

namespace takt::scenario {

const std::string& default_scenario_text() {
  static const std::string text =
#include "default_scenario_text.inc"
      ;
  return text;
}

}  // namespace takt::scenario
