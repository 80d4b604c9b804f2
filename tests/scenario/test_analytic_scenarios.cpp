// The analytic cases of the plant models, run end to end from YAML files under
// tests/data/analytic/: loader, builder, runner and summaries together. Each file runs 10
// replications; the check is |mean - exact| <= 4 standard errors of the mean across them.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using namespace takt::scenario;
using namespace takt::run;

namespace {

PlantSummary run_file(const std::string& name) {
  const Scenario s =
      load_scenario_file(std::string(TAKT_SOURCE_DIR) + "/tests/data/analytic/" + name);
  const RunResult r = run_scenario(s, {0, std::nullopt, 2, false, std::nullopt, std::nullopt});
  REQUIRE(r.plants.size() == 1);
  return summarize_plant(r.plants[0]);
}

void check_per_minute(const takt::experiment::Summary& per_hour, double exact_per_minute) {
  const double se = per_hour.stddev / std::sqrt(static_cast<double>(per_hour.n)) / 60.0;
  INFO((per_hour.mean / 60.0) << " per minute vs exact " << exact_per_minute << ", SE " << se);
  CHECK(std::fabs(per_hour.mean / 60.0 - exact_per_minute) <= 4 * se);
  CHECK(se < 0.003);
}

}  // namespace

TEST_CASE("Two machines with three buffer places run at 5/6 per minute, from YAML") {
  check_per_minute(run_file("two_machines_b3.yaml").throughput_per_hour, 5.0 / 6.0);
}

TEST_CASE("Three unreliable machines run at the exact chain's 0.690298 per minute, from YAML") {
  check_per_minute(run_file("three_machines_unreliable.yaml").throughput_per_hour, 0.690298);
}

TEST_CASE("Deterministic machines without buffers lose 1 + sum MTTR/MTBF, from YAML") {
  // The closed form ignores overlapping failures, worth <= 0.001 here (domain.md 3.c3).
  const PlantSummary s = run_file("deterministic_failures.yaml");
  const double se = s.throughput_per_hour.stddev / std::sqrt(10.0) / 60.0;
  CHECK(std::fabs(s.throughput_per_hour.mean / 60.0 - 1 / 1.525) <= 4 * se + 0.001);
}

TEST_CASE("A paint loop with rework share 0.2 builds 0.8 per minute, from YAML") {
  check_per_minute(run_file("paint_loop.yaml").throughput_per_hour, 0.8);
}

TEST_CASE("A deterministic line on a shift calendar builds its productive minutes, from YAML") {
  const PlantSummary s = run_file("calendar_year.yaml");
  CHECK(s.output.mean == 154998);
  REQUIRE(s.monthly_mean.size() == 12);
  double total = 0;
  for (const double m : s.monthly_mean) total += m;
  CHECK(total == 154998);
}
