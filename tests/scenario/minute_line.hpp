// A plant of one 1-minute station, 24/7, January to March 2023, and running it: the exact
// counting case of the order and storage tests. Job k leaves at minute k; a job leaving at
// midnight belongs to the new month, and the run's last instant (minute 129,600) counts.
#pragma once

#include <string>

#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::test {

/// The scenario, with `plant_keys` (indented four spaces) added to the plant.
inline std::string minute_line(const std::string& plant_keys) {
  return "scenario: t\nstart: 2023-01-01\nend: 2023-03-31\nreplications: 1\nplants:\n"
         "  - name: P\n    capacity: 525600\n" +
         plant_keys +
         "    shops:\n      - name: s\n        line:\n          - station: S\n            cycle: "
         "1min\n";
}

/// One replication of `yaml` on one thread.
inline run::RunResult run_yaml(const std::string& yaml) {
  return run::run_scenario(scenario::load_scenario(yaml, "inline.yaml"),
                           {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
}

}  // namespace takt::test
