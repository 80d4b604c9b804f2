// Replications until a precision: the sequential rule's interval covers a known mean about as
// often as it says, the count reached depends on the seeds only, and bad rules are refused.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using takt::run::run_scenario;
using takt::run::RunOptions;
using takt::run::RunResult;
using takt::scenario::load_scenario;

namespace {

// One station with exponential 1-minute cycles and unlimited supply: its completions are a
// Poisson process, so a day's output has mean exactly 1,440 and the annual rate 525,600.
std::string poisson_line(const std::string& precision) {
  return "scenario: poisson\nstart: 2023-01-02\nhorizon: 1d\nwarmup: 0d\nprecision: " + precision +
         "\nplants:\n  - name: P\n    capacity: 525600\n    shops:\n      - name: s\n"
         "        line:\n          - station: M\n            cycle: exponential(1min)\n";
}

RunResult run_with(const takt::scenario::Scenario& s, std::uint64_t seed, int jobs) {
  return run_scenario(s, {0, seed, jobs, false, std::nullopt, std::nullopt});
}

std::string error_of(const std::string& yaml) {
  try {
    load_scenario(yaml, "p.yaml");
  } catch (const takt::scenario::ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("The precision rule's interval covers a known mean about 95 % of the time") {
  // A day's output varies by about 2.6 % between replications: 1 % needs about 30 of them.
  const auto s =
      load_scenario(poisson_line("{half_width: 1%, min: 5, step: 5, max: 200}"), "poisson.yaml");
  const double truth = 525600;
  int covered = 0, met = 0, runs = 0;
  const int sequences = 200;
  for (int seed = 1; seed <= sequences; ++seed) {
    const RunResult r = run_with(s, static_cast<std::uint64_t>(seed), 2);
    REQUIRE(r.precision);
    met += r.precision->met;
    runs += r.scenario.replications;
    CHECK(r.precision->reached.at(0).second <= 0.01);  // stopped only when the share was met
    const auto a = takt::run::over_replications(
        r.plants[0], [](const takt::models::PlantKpis& k) { return k.annual_rate; });
    covered += a.ci_low <= truth && truth <= a.ci_high;
  }
  CHECK(met == sequences);
  // About (1.96 x 2.6 %)^2 / (1 %)^2 = 26 replications on average, never the first batch alone.
  CHECK(runs > 20 * sequences);
  // 200 independent sequences: the count covered is binomial, sd sqrt(200 x 0.95 x 0.05) =
  // 3.1 sequences; three of them either side of 190.
  CAPTURE(covered);
  CHECK(covered >= 181);
  CHECK(covered <= 199);
}

TEST_CASE("The replications a precision rule reaches depend on the seeds, not the threads") {
  const auto s = load_scenario(poisson_line("0.8%"), "poisson.yaml");
  const RunResult one = run_with(s, 7, 1), two = run_with(s, 7, 2);
  REQUIRE(one.precision);
  CHECK(one.scenario.replications == two.scenario.replications);
  CHECK(one.scenario.replications >= 5);
  CHECK((one.scenario.replications - 5) % 5 == 0);  // a first batch, then steps of 5
  for (int r = 0; r < one.scenario.replications; ++r) {
    CHECK(one.plants[0].replications[static_cast<std::size_t>(r)].output ==
          two.plants[0].replications[static_cast<std::size_t>(r)].output);
  }
  // Looked at only after whole batches, and never beyond the maximum: not met then.
  const auto tight =
      load_scenario(poisson_line("{half_width: 0.01%, min: 5, step: 5, max: 12}"), "poisson.yaml");
  const RunResult capped = run_with(tight, 7, 2);
  REQUIRE(capped.precision);
  CHECK(capped.scenario.replications == 12);
  CHECK_FALSE(capped.precision->met);
  CHECK(capped.precision->reached.at(0).second > 0.0001);
  // A count asked for replaces the file's rule.
  const RunResult fixed = run_scenario(tight, {3, 7, 1, false, std::nullopt, std::nullopt});
  CHECK(fixed.scenario.replications == 3);
  CHECK_FALSE(fixed.precision);
}

TEST_CASE("A plant that does not vary meets any share at the first look") {
  // A deterministic station: every replication builds the same, though the mean of a few
  // equal annual rates may round so that a computed spread is not quite 0.
  const std::string yaml =
      "scenario: det\nstart: 2023-01-02\nhorizon: 29d\nwarmup: 1d\n"
      "precision: {half_width: 1e-16, min: 3, max: 13}\nplants:\n"
      "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
      "          - station: A\n            cycle: 37s\n"
      "          - buffer: b\n            capacity: 1\n"
      "          - station: B\n            cycle: 41s\n";
  const auto r = takt::run::run_scenario(load_scenario(yaml, "det.yaml"),
                                         {0, std::nullopt, 1, false, std::nullopt, std::nullopt});
  REQUIRE(r.precision);
  CHECK(r.precision->replications == 3);
  CHECK(r.precision->met);
  CHECK(r.precision->reached[0].second == 0);
}

TEST_CASE("A share that reads as meant in percent gets a located warning") {
  // 0.5 is 50 %: most likely half a percent was meant. A '%' says what was meant, and a small
  // share (0.005) is no surprise.
  const auto warnings = [](const std::string& precision) {
    return load_scenario(poisson_line(precision), "p.yaml").warnings;
  };
  const std::vector<std::string> half = warnings("0.5");
  REQUIRE(half.size() == 1);
  CHECK(half[0] ==
        "p.yaml:5:12: warning: precision: 0.5 is 50 % of the mean: write 0.5% for 0.5 percent, "
        "or 50% to keep it without this warning");
  const std::vector<std::string> mapped = warnings("{half_width: 0.1, max: 10}");
  REQUIRE(mapped.size() == 1);
  CHECK(mapped[0].find("warning: precision.half_width: 0.1 is 10 % of the mean") !=
        std::string::npos);
  // The suggestion keeps the share exactly.
  CHECK(warnings("0.123456").at(0).find("or 12.3456% to keep it") != std::string::npos);
  CHECK(warnings("50%").empty());
  CHECK(warnings("0.005").empty());
  CHECK(warnings("0.04").empty());
  const auto told = takt::test::run_takt(
      "run tests/data/analytic/two_machines_b3.yaml --set horizon=3d --precision 0.2 "
      "--max-replications 2");
  CHECK(told.status == 0);
  CHECK(told.err.find("takt: warning: --precision: 0.2 is 20 % of the mean") != std::string::npos);
  // The file's rule is told of only when it is the one used: -r or --precision replaces it.
  const std::string file_rule =
      "tests/data/analytic/two_machines_b3.yaml --set horizon=3d --set precision=0.5 ";
  const auto used = takt::test::run_takt("run " + file_rule);
  CHECK(used.status == 0);
  CHECK(used.err.find("warning: precision: 0.5 is 50 % of the mean") != std::string::npos);
  // A sweep's own count or rule replaces the base's too.
  {
    const auto dir = takt::test::scratch("sweep-rule");
    std::filesystem::create_directories(dir);
    std::string base = takt::test::slurp("tests/data/analytic/two_machines_b3.yaml");
    base.erase(base.find("replications: 10\n"), 17);
    std::ofstream(dir / "base.yaml") << base << "precision: 0.5\n";
    const std::string sweep =
        "sweep: s\nbase: base.yaml\ndesign: {kind: grid}\nfactors:\n"
        "  - path: plants[line].shops[shop].line[B1].capacity\n    values: [1, 2]\n";
    std::ofstream(dir / "counted.yaml") << sweep << "replications: 2\n";
    std::ofstream(dir / "inherited.yaml") << sweep;
    const auto counted = takt::test::run_takt("validate " + (dir / "counted.yaml").string());
    CHECK(counted.status == 0);
    CHECK(counted.err.find("warning: precision") == std::string::npos);
    const auto inherited = takt::test::run_takt("validate " + (dir / "inherited.yaml").string());
    CHECK(inherited.status == 0);
    CHECK(inherited.err.find("warning: precision: 0.5 is 50 % of the mean") != std::string::npos);
  }
  for (const std::string replaced : {"-r 2", "--precision 5%"}) {
    for (const std::string command :
         {"run ", "compare tests/data/analytic/two_machines_b3.yaml "}) {
      const auto quiet = takt::test::run_takt(command + file_rule + replaced);
      CHECK(quiet.status == 0);
      CHECK_MESSAGE(quiet.err.find("warning: precision") == std::string::npos, command, replaced);
    }
  }
}

TEST_CASE("Bad precision rules are located errors") {
  CHECK(error_of(poisson_line("2"))
            .find("p.yaml:5:12: error: precision: expected a share above "
                  "0 and below 1") != std::string::npos);
  CHECK(error_of(poisson_line("{half_width: 1%, min: 20, max: 10}"))
            .find("precision.min: must not be above max (10)") != std::string::npos);
  CHECK(
      error_of(poisson_line("{half_width: 1%, step: 0}")).find("precision.step: must be from 1") !=
      std::string::npos);
  // A wrong share does not hide the other mistakes: all are told at once.
  const std::string all = error_of(poisson_line("{half_width: 150%, min: -3, step: 0}"));
  CHECK(all.find("precision.half_width: expected a share above 0") != std::string::npos);
  CHECK(all.find("precision.min: must be from 2") != std::string::npos);
  CHECK(all.find("precision.step: must be from 1") != std::string::npos);
  const auto usage = takt::test::run_takt("run --precision 0.5% -r 3");
  CHECK(usage.status == 2);
  CHECK(usage.err.find("--precision chooses the replications") != std::string::npos);
  CHECK(takt::test::run_takt("run --precision 150%").status == 2);
  // Plain decimals only: strtod would read hex, and a subnormal share is no share.
  CHECK(takt::test::run_takt("run --precision 0x10%").status == 2);
  CHECK(takt::test::run_takt("run --precision 1e-320").status == 2);
  CHECK(error_of(poisson_line("0x1p-3")).find("precision: expected a share") != std::string::npos);
  CHECK(takt::test::run_takt("run --max-replications 5").status == 2);
  // The most a rule may run is held to the memory limit before anything runs, as -r is.
  // 300 line copies: 300 stations, so 10,000 replications would keep 3 million rows.
  const auto wide = takt::test::scratch("wide.yaml");
  std::filesystem::create_directories(wide.parent_path());
  std::ofstream(wide) << "scenario: wide\nstart: 2023-01-02\nhorizon: 1d\nplants:\n"
                         "  - name: P\n    capacity: 1000\n    shops:\n      - name: s\n"
                         "        lines: 300\n        line:\n          - station: M\n"
                         "            cycle: 1min\n";
  const auto too_many =
      takt::test::run_takt("run '" + wide.string() + "' --precision 0.5% --max-replications 10000");
  CHECK(too_many.status == 2);
  CHECK(too_many.err.find("takt: --precision: the maximum count: ") != std::string::npos);
  // A file's own rule is held to it by validate too, at its maximum (it passed validate, and
  // run refused it with no place).
  std::ofstream(wide, std::ios::app) << "precision: {half_width: 0.5%, min: 2, max: 10000}\n";
  const auto in_file = takt::test::run_takt("validate '" + wide.string() + "'");
  CHECK(in_file.status == 2);
  CHECK(in_file.err.find(":13:44: error: precision.max: the maximum count: 10000 replications of "
                         "300 stations and buffers would keep 3000000 results in memory") !=
        std::string::npos);
  // And a sweep's own count or rule, which replaces the base's, at every point.
  const auto sweep = wide.parent_path() / "wide-sweep.yaml";
  std::ofstream(sweep) << "sweep: wide\nbase: wide-base.yaml\nreplications: 10000\n"
                       << "factors: [{path: seed, values: [1, 2]}]\n";
  std::ofstream(wide.parent_path() / "wide-base.yaml")
      << "scenario: wide\nstart: 2023-01-02\nhorizon: 1d\nplants:\n"
         "  - name: P\n    capacity: 1000\n    shops:\n      - name: s\n"
         "        lines: 300\n        line:\n          - station: M\n"
         "            cycle: 1min\n";
  const auto swept = takt::test::run_takt("validate '" + sweep.string() + "'");
  CHECK(swept.status == 2);
  CHECK(swept.err.find("wide-sweep.yaml:3:15: error: replications: point 0 (seed=1), 10000 "
                       "replications of 300 stations and buffers would keep 3000000 results in "
                       "memory") != std::string::npos);
  CHECK(takt::test::run_takt("run --method analytic --precision 1%").status == 2);
}
