// What loading a scenario written inline ("inline.yaml") reports, for the tests of errors.
#pragma once

#include <string>
#include <vector>

#include "takt/scenario/scenario.hpp"

namespace takt::test {

/// Every error of `yaml` with `sets` applied, one per line; "no error" when it loads.
inline std::string load_error(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  try {
    scenario::load_scenario(yaml, "inline.yaml", sets);
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace takt::test
