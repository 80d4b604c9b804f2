// Every scenario shipped in scenarios/ validates and runs, and the SERES projections are
// plausible: a mature 150k plant lands near, not above, its nameplate.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"
#include "takt/scenario/sweep.hpp"

using namespace takt::scenario;
using namespace takt::run;
namespace fs = std::filesystem;

TEST_CASE("Every scenario in scenarios/ loads and runs") {
  int files = 0;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(TAKT_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml" || is_sweep_file(entry.path()) ||
        is_holiday_file(entry.path()))
      continue;
    ++files;
    INFO(entry.path().string());
    const Scenario s = load_scenario_file(entry.path());
    CHECK(!s.plants.empty());
    // Two replications of a month keep the suite fast; the full year runs below.
    Scenario short_run = s;
    short_run.horizon = takt::sim::Time::days(31);
    const RunResult r =
        run_scenario(short_run, {2, std::nullopt, 2, false, std::nullopt, std::nullopt});
    // A plant before its start of production (a ramp-up from zero) may build nothing yet;
    // the mature plants of every file do.
    double built = 0;
    for (const PlantRuns& p : r.plants) built += summarize_plant(p).output.mean;
    CHECK(built > 1000);
  }
  CHECK(files >= 4);  // seres, its two variants and the first-plant example
}

TEST_CASE("The built-in scenario is scenarios/seres.yaml") {
  const Scenario built_in = load_scenario(default_scenario_text(), "built-in");
  const Scenario file = load_scenario_file(fs::path(TAKT_SOURCE_DIR) / "scenarios" / "seres.yaml");
  CHECK(built_in.hash == file.hash);
  REQUIRE(built_in.plants.size() == 3);
  CHECK(built_in.plants[0].name == "Liangjiang");
  CHECK(built_in.plants[1].name == "Fenghuang");
  CHECK(built_in.plants[2].name == "SE-Project");
}

TEST_CASE("A year of the SERES plants gives plausible projections") {
  const Scenario s = load_scenario(default_scenario_text(), "built-in");
  const RunResult r = run_scenario(s, {2, std::nullopt, 2, false, std::nullopt, std::nullopt});
  const PlantSummary liangjiang = summarize_plant(r.plants[0]);
  const PlantSummary fenghuang = summarize_plant(r.plants[1]);
  const PlantSummary se = summarize_plant(r.plants[2]);
  // A mature plant on its nameplate basis lands near, not above, its capacity.
  CHECK(liangjiang.capacity_ratio.mean > 0.85);
  CHECK(liangjiang.capacity_ratio.mean < 1.0);
  // The newer plant, with worse paint yield and robots, does not beat the mature one.
  CHECK(fenghuang.annual_rate.mean < liangjiang.annual_rate.mean);
  CHECK(se.capacity_ratio.mean > 0.8);
  CHECK(se.capacity_ratio.mean < 1.0);
}
