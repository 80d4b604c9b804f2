// A plant, a shop or a line copy starts production on a date: nothing is built before it, the
// time before it is "not started" (neither down nor starved), and ramp-ups and months to 80 %
// and 90 % count from it.
#include <doctest/doctest.h>

#include <numeric>
#include <string>

#include "load_error.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using namespace takt::scenario;
using namespace takt::run;
namespace models = takt::models;

namespace {

// A 24/7 plant of one shop of `lines` copies of a 2-minute station, all of 2023.
std::string plant(const std::string& plant_keys, const std::string& shop_keys, int lines = 1) {
  return "scenario: t\nstart: 2023-01-01\nhorizon: 1y\nreplications: 1\nplants:\n"
         "  - name: P\n    capacity: 262800\n" +
         plant_keys + "    shops:\n      - name: s\n        lines: " + std::to_string(lines) +
         "\n" + shop_keys + "        line:\n          - station: S\n            cycle: 2min\n";
}

models::PlantKpis run_one(const std::string& yaml) {
  const RunResult r = run_scenario(load_scenario(yaml, "inline.yaml"),
                                   {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  return r.plants[0].replications[0];
}

std::string error_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return takt::test::load_error(yaml, sets);
}

constexpr std::uint64_t kPerDay = 720;  // one 2-minute station, 24 h

}  // namespace

TEST_CASE("Nothing is built before the start of production, a ramp's floor included") {
  // The ramp starts with production (its own start left out), at a floor of 0.1 of speed.
  const models::PlantKpis k = run_one(plant(
      "    start_of_production: 2023-03-01\n"
      "    ramp_up: {curve: table, table: [[0, 0.1], [1.99, 0.1], [2, 1]], applies_to: [speed]}\n",
      ""));
  REQUIRE(k.monthly.size() == 12);
  CHECK(k.monthly[0] == 0);
  CHECK(k.monthly[1] == 0);
  // March and April at a tenth of the speed (one job per 20 minutes: 72 a day), then full.
  CHECK(k.monthly[2] == 31 * kPerDay / 10 - 1);
  CHECK(k.monthly[3] == 30 * kPerDay / 10);
  CHECK(k.monthly[5] == 30 * kPerDay);
  // Before it the station is not started, exactly the 59 days of January and February, and
  // never off shift, starved or down.
  const models::StationKpi& s = k.stations.at(0);
  CHECK(s.shares[models::kNotStarted] == doctest::Approx(59.0 / 365).epsilon(1e-12));
  CHECK(s.shares[models::kOffShift] == doctest::Approx(0).epsilon(1e-12));
  CHECK(s.shares[models::kStarved] == doctest::Approx(0).epsilon(1e-12));
  CHECK(s.shares[models::kDown] == 0);
  // The nameplate starts with production, and months to 80 % count from March: June's window
  // (May, June, July) is the first at 80 % (April's holds two slow months, May's one), the
  // fourth month of production.
  CHECK(k.monthly_nameplate[0] == 0);
  CHECK(k.monthly_nameplate[1] == 0);
  CHECK(k.first_production_month == 2);
  CHECK(months_to_reach(k, 0.8) == 4);
}

TEST_CASE("A second line copy that starts later doubles the output from its date") {
  const models::PlantKpis k =
      run_one(plant("", "        start_of_production: [2023-01-01, 2023-07-01]\n", 2));
  // A station that starts at midnight finishes its month's last job at the next midnight,
  // which counts in the next month: one job fewer in its first month.
  CHECK(k.monthly[0] == 31 * kPerDay - 1);
  CHECK(k.monthly[5] == 30 * kPerDay);
  CHECK(k.monthly[6] == 31 * kPerDay * 2 - 1);
  const std::uint64_t total = std::accumulate(k.monthly.begin(), k.monthly.end(), std::uint64_t{0});
  CHECK(total == 365 * kPerDay + 184 * kPerDay);
  // The first copy started with the run; the second spent 181 days not started.
  REQUIRE(k.stations.size() == 2);
  CHECK(k.stations[0].shares[models::kNotStarted] == 0);
  CHECK(k.stations[1].shares[models::kNotStarted] == doctest::Approx(181.0 / 365));
  // The plant itself started with the run: months to 80 % count from January.
  CHECK(k.first_production_month == 0);
}

TEST_CASE("A shop's own date wins over the plant's") {
  const models::PlantKpis k = run_one(
      plant("    start_of_production: 2023-03-01\n", "        start_of_production: 2023-02-01\n"));
  CHECK(k.monthly[0] == 0);
  CHECK(k.monthly[1] == 28 * kPerDay - 1);  // the last at midnight counts in March
}

TEST_CASE("A plant whose every shop starts later starts then, as if the plant had the date") {
  const models::PlantKpis by_shop = run_one(plant("", "        start_of_production: 2023-03-01\n"));
  const models::PlantKpis by_plant = run_one(plant("    start_of_production: 2023-03-01\n", ""));
  CHECK(by_shop.monthly == by_plant.monthly);
  CHECK(by_shop.monthly_limit == by_plant.monthly_limit);
  CHECK(by_shop.monthly_limit[1] == models::MonthLimit::kNotStarted);
  CHECK(by_shop.monthly_nameplate == by_plant.monthly_nameplate);
  CHECK(by_shop.monthly_nameplate[1] == 0);
  CHECK(by_shop.first_production_month == 2);
  // The shop's date wins over an earlier one of the plant's: the plant starts with the shop.
  const models::PlantKpis both = run_one(
      plant("    start_of_production: 2023-02-01\n", "        start_of_production: 2023-03-01\n"));
  CHECK(both.monthly_limit == by_plant.monthly_limit);
  CHECK(both.monthly_nameplate == by_plant.monthly_nameplate);
}

TEST_CASE("A line copy not started yet does not make its months ramp-up months") {
  // Mature after two jobs (rate 0.5, initial 2): the first copy runs at full speed from 1
  // January, the second has begun nothing before 1 March, so its first job's multiplier of 2
  // said nothing of January.
  const std::string yaml = plant("", "        start_of_production: [2023-01-01, 2023-03-01]\n", 2) +
                           "            ramp_up: {curve: learning, rate: 0.5, initial: 2}\n";
  const models::PlantKpis k = run_one(yaml);
  CHECK(k.monthly_limit.at(0) == models::MonthLimit::kCapacity);
  CHECK(k.monthly_limit.at(1) == models::MonthLimit::kCapacity);
}

TEST_CASE("Start of production mistakes are located") {
  CHECK(error_of(plant("", "        start_of_production: [2023-01-01]\n", 2)) ==
        "inline.yaml:11:30: error: plants[P].shops[s].start_of_production: give one date for the "
        "shop or one per line copy (2), got 1");
  // A plant's ramp counts from the plant's start only: a shop's date would not do, so the
  // message does not offer it, even where a shop has one.
  CHECK(error_of(plant("    ramp_up: {curve: table, table: [[0, 1]]}\n", "")) ==
        "inline.yaml:8:14: error: plants[P].ramp_up: missing required key 'start' (or give the "
        "plant a start_of_production)");
  CHECK(error_of(plant("    ramp_up: {curve: table, table: [[0, 1]]}\n",
                       "        start_of_production: 2023-03-01\n"))
            .find("plants[P].ramp_up: missing required key 'start' (or give the plant a "
                  "start_of_production)") != std::string::npos);
  // A shop's ramp may take its own date or the plant's.
  CHECK(error_of(plant("", "        ramp_up: {curve: table, table: [[0, 1]]}\n"))
            .find("shops[s].ramp_up: missing required key 'start' (or give the plant or shop a "
                  "start_of_production)") != std::string::npos);
  CHECK(error_of(plant("    start_of_production: 2023-02-30\n", "")).find("has 28 days") !=
        std::string::npos);
}

TEST_CASE("The trace shows the time before the start of production as not started") {
  RunOptions options{1, std::nullopt, 1, false, std::nullopt, std::nullopt};
  options.trace = TraceRequest{0, takt::sim::Time::zero(), takt::sim::Time::days(3)};
  const RunResult r = run_scenario(
      load_scenario(plant("    start_of_production: 2023-01-03\n", ""), "inline.yaml"), options);
  REQUIRE(r.trace_by_plant.size() == 1);
  const auto& trace = r.trace_by_plant[0];
  REQUIRE(!trace.empty());
  CHECK(trace.front().state == models::kNotStarted);
  CHECK(trace.front().begin == takt::sim::Time::zero());
  CHECK(trace.front().end == takt::sim::Time::days(2));
  for (const auto& t : trace) CHECK(t.state != models::kOffShift);  // 24/7 from the start on
}

TEST_CASE("A station's own ramp-up without a start starts with its shop's production") {
  const std::string yaml =
      plant("    start_of_production: 2023-03-01\n", "") +
      "            ramp_up: {curve: table, table: [[0, 0.1], [1.99, 0.1], [2, 1]], "
      "applies_to: [speed]}\n";
  const models::PlantKpis k = run_one(yaml);
  // As the plant's ramp above: March and April at a tenth of the speed, then full.
  CHECK(k.monthly[1] == 0);
  CHECK(k.monthly[2] == 31 * kPerDay / 10 - 1);
  CHECK(k.monthly[3] == 30 * kPerDay / 10);
  CHECK(k.monthly[5] == 30 * kPerDay);
  // Without a start of production anywhere it still needs its own start.
  CHECK(error_of(plant("", "") + "            ramp_up: {curve: table, table: [[0, 1]]}\n")
            .find("shops[s].line[S].ramp_up: missing required key 'start'") != std::string::npos);
}

TEST_CASE("A trace that reaches the end of the run names its equipment (the plant is gone)") {
  RunOptions options{1, std::nullopt, 1, false, std::nullopt, std::nullopt};
  options.trace = TraceRequest{0, takt::sim::Time::zero(), takt::sim::Time::days(2)};
  const std::string yaml =
      "scenario: t\nstart: 2023-01-01\nhorizon: 2d\nreplications: 1\n"
      "plants:\n  - name: P\n    capacity: 1000\n    shops:\n"
      "      - name: s\n        line:\n"
      "          - station: a-station-with-a-long-name\n"
      "            cycle: exponential(1h)\n";
  const RunResult r = run_scenario(load_scenario(yaml, "inline.yaml"), options);
  REQUIRE(!r.trace_by_plant.at(0).empty());
  for (const auto& t : r.trace_by_plant[0]) CHECK(t.equipment == "a-station-with-a-long-name");
  CHECK(r.trace_by_plant[0].back().end == takt::sim::Time::days(2));
}
