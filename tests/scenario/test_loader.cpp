// What the loader makes of the less common keys: release plans, demand caps, ramp-ups and
// variant files, each checked by what the plant then builds or by the error it gets.
#include <doctest/doctest.h>

#include <string>

#include "load_error.hpp"
#include "minute_line.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"
#include "takt/sim/interrupt.hpp"

using namespace takt::scenario;
using namespace takt::run;

namespace {

// One plant with one 1-minute station, 24/7, ten days; `plant_keys` go into the plant.
std::string one_station(const std::string& plant_keys, const std::string& station_keys = "") {
  return "scenario: t\nstart: 2023-01-01\nhorizon: 10d\nreplications: 1\nplants:\n"
         "  - name: P\n    capacity: 1000\n" +
         plant_keys +
         "    shops:\n      - name: s\n        line:\n          - station: S\n            cycle: "
         "1min\n" +
         station_keys;
}

// The first replication of `yaml`'s first plant, on one thread.
takt::models::PlantKpis first_replication(const std::string& yaml) {
  const RunResult r = run_scenario(load_scenario(yaml, "inline.yaml"),
                                   {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  return r.plants[0].replications[0];
}

double output_of(const std::string& yaml) {
  return static_cast<double>(first_replication(yaml).output);
}

std::string error_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return takt::test::load_error(yaml, sets);
}

}  // namespace

TEST_CASE("The measured window is the warm-up's end to the horizon, of exactly its length") {
  // A (1 min) -> 2 places -> B (2 min) -> 2 places -> C (1 min): C finishes every 2 minutes,
  // on the warm-up's end and on the horizon too. 9 days of 720 a day: exactly 6,480, the
  // annual rate 262,800 (its nameplate) and a capacity ratio of exactly 1. Counted from before
  // the warm-up's own instant, the window had both ends: 6,481 and a ratio above 1.
  const std::string yaml =
      "scenario: t\nstart: 2024-01-01\nhorizon: 10d\nwarmup: 1d\nreplications: 1\nplants:\n"
      "  - name: P\n    capacity: 262800\n    shops:\n      - name: s\n        line:\n"
      "          - station: A\n            cycle: 1min\n"
      "          - buffer: B1\n            capacity: 2\n"
      "          - station: B\n            cycle: 2min\n"
      "          - buffer: B2\n            capacity: 2\n"
      "          - station: C\n            cycle: 1min\n";
  const takt::models::PlantKpis k = first_replication(yaml);
  CHECK(k.output == 6480);
  CHECK(k.annual_rate == doctest::Approx(262800).epsilon(1e-12));
  CHECK(k.capacity_ratio <= 1 + 1e-12);
}

TEST_CASE("A release plan of N a day spaces releases evenly") {
  // 720 a day is one every 2 minutes, the first after one gap: 7,200 releases in ten days, the
  // last exactly at the end, so 7,199 are finished by the 1-minute station.
  CHECK(output_of(one_station("    arrivals: {per_day: 720}\n")) == 7199);
}

TEST_CASE("A demand cap per month limits output below capacity") {
  CHECK(output_of(one_station("    demand: {per_month: 5000}\n")) == 5000);
  CHECK(output_of(one_station("    demand: [{from: 2023-01-01, per_month: 3000}]\n")) == 3000);
  CHECK(error_of(one_station("    arrivals: {per_day: 720}\n    demand: {per_month: 10}\n")) ==
        "inline.yaml:9:13: error: plants[P].demand: a demand cap limits an unlimited supply; with "
        "timed "
        "arrivals, set their rate instead");
}

TEST_CASE("A ramp-up block on a station slows it by its factor") {
  // A constant table factor of 0.5: half the 14,400 of ten days.
  const std::string ramp =
      "            ramp_up: {start: 2023-01-01, curve: table, table: [[0, 0.5]], applies_to: "
      "[speed]}\n";
  CHECK(output_of(one_station("", ramp)) == 7200);
}

TEST_CASE("A plant's ramp of yield or availability acts only where there are routes or failures") {
  // The station has neither: the full 14,400 of ten days, and the month is limited by capacity,
  // not by a ramp that changes nothing.
  for (const char* target : {"yield", "availability"}) {
    const std::string yaml = one_station(
        std::string("    ramp_up: {start: 2023-01-01, curve: table, table: [[0, 0.5], [1, 1]], "
                    "applies_to: [") +
        target + "]}\n");
    const RunResult r = run_scenario(load_scenario(yaml, "inline.yaml"),
                                     {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
    const takt::models::PlantKpis& k = r.plants[0].replications[0];
    CHECK(k.output == 14400);
    CHECK(k.monthly_limit ==
          std::vector<takt::models::MonthLimit>{takt::models::MonthLimit::kCapacity});
  }
  // With failures, the same availability ramp is a ramp-up month.
  const std::string failing = one_station(
      "    ramp_up: {start: 2023-01-01, curve: table, table: [[0, 0.5], [1, 1]], applies_to: "
      "[availability]}\n",
      "            failures: {mtbf: 10h, mttr: 10min}\n");
  const RunResult r = run_scenario(load_scenario(failing, "inline.yaml"),
                                   {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  CHECK(r.plants[0].replications[0].monthly_limit ==
        std::vector<takt::models::MonthLimit>{takt::models::MonthLimit::kRampUp});
}

TEST_CASE("A month still on a learning curve at its middle is a ramp-up month") {
  const auto limit_with = [](const char* initial) {
    const std::string yaml = one_station(
        "", std::string("            ramp_up: {start: 2023-01-01, curve: learning, rate: 0.95, "
                        "initial: ") +
                initial + "}\n");
    const RunResult r = run_scenario(load_scenario(yaml, "inline.yaml"),
                                     {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
    return r.plants[0].replications[0].monthly_limit.at(0);
  };
  // At the middle (day 5, about 5,000 jobs in) the next job takes 3 x 5000^log2(0.95), about
  // 1.6 times its cycle: a ramp-up month, as a time curve that slow would make it.
  CHECK(limit_with("3") == takt::models::MonthLimit::kRampUp);
  // Starting within 1 % of mature, it is not.
  CHECK(limit_with("1.005") == takt::models::MonthLimit::kCapacity);
}

TEST_CASE("A yield ramp on a station without quality routes is an error, not a no-op") {
  const std::string ramp =
      "            ramp_up: {start: 2023-01-01, curve: table, table: [[0, 0.5]], applies_to: "
      "[speed, yield]}\n";
  CHECK(error_of(one_station("", ramp)) ==
        "inline.yaml:13:87: error: plants[P].shops[s].line[S].ramp_up.applies_to: yield scales "
        "the shares of a station's quality routes, and 'S' has none: give it routes, or ramp its "
        "speed or availability");
  const std::string availability =
      "            ramp_up: {start: 2023-01-01, curve: table, table: [[0, 0.5]], applies_to: "
      "[availability]}\n";
  CHECK(error_of(one_station("", availability))
            .find("line[S].ramp_up.applies_to: availability scales the times to failure, and 'S' "
                  "has no failures: give it failures, or ramp its speed") != std::string::npos);
}

TEST_CASE("Ramp-up mistakes are reported with their key path") {
  const std::string ramp =
      "            ramp_up: {start: 2023-01-01, curve: logistc, applies_to: [sped]}\n";
  CHECK(error_of(one_station("", ramp)) ==
        "inline.yaml:13:49: error: plants[P].shops[s].line[S].ramp_up.curve: expected logistic, "
        "table or "
        "learning, got \"logistc\"\n"
        "inline.yaml:13:71: error: plants[P].shops[s].line[S].ramp_up.applies_to[0]: unknown "
        "ramp-up target "
        "'sped' (did you mean 'speed'?)");
  // A table's factors are held to the bounds of a logistic curve's floor and ceiling: a factor of
  // 1e308 would have run until the events limit stopped it, as a run-time error.
  const std::string table =
      "            ramp_up: {start: 2023-01-01, curve: table, table: [[0, 0.5], [1, 1e308]]}\n";
  CHECK(error_of(one_station("", table))
            .find("ramp_up.table[1][1]: must be between 0 and 10, got 1e308") != std::string::npos);
}

TEST_CASE("A fixed-time station of many places behaves the same with one event as with one each") {
  // A station with several places and one fixed cycle time keeps a single completion event
  // (its oldest job's). The same station with the cycle written as a one-value table is not
  // recognised as fixed and keeps one event per job: with random arrivals, failures, shift
  // breaks and a speed ramp the two must build the same plant to the last figure.
  const auto plant = [](const std::string& oven_cycle) {
    return "scenario: t\nstart: 2023-01-01\nhorizon: 20d\nreplications: 1\n"
           "calendars:\n  two-shift:\n    workdays: [mon, tue, wed, thu, fri, sat]\n"
           "    shifts:\n      - {start: \"06:00\", length: 8h, breaks: [{start: \"10:00\", "
           "length: 30min}]}\n"
           "      - {start: \"14:30\", length: 8h}\n"
           "plants:\n  - name: P\n    capacity: 10000\n    calendar: two-shift\n"
           "    ramp_up: {start: 2023-01-01, curve: logistic, midpoint: 0.3, steepness: 12, floor: "
           "0.4,"
           " ceiling: 1.0, applies_to: [speed]}\n"
           "    shops:\n      - name: s\n        line:\n"
           "          - station: feed\n            cycle: exponential(50s)\n"
           "          - buffer: b1\n            capacity: 5\n"
           "          - station: oven\n            servers: 12\n            cycle: " +
           oven_cycle +
           "\n"
           "            failures: {mtbf: 3h, mttr: 10min}\n"
           "          - buffer: b2\n            capacity: 2\n"
           "          - station: out\n            cycle: exponential(55s)\n";
  };
  const auto run = [](const std::string& yaml) {
    return run_scenario(load_scenario(yaml, "inline.yaml"),
                        {1, std::nullopt, 1, false, std::nullopt, std::nullopt})
        .plants[0]
        .replications[0];
  };
  const takt::models::PlantKpis fixed = run(plant("10min")),
                                table = run(plant("\"empirical(10min: 1)\""));
  CHECK(fixed.output > 10000);
  CHECK(fixed.events == table.events);
  CHECK(fixed.output == table.output);
  CHECK(fixed.monthly == table.monthly);
  CHECK(fixed.lead_time_hours == table.lead_time_hours);
  CHECK(fixed.wip == table.wip);
  REQUIRE(fixed.stations.size() == table.stations.size());
  for (std::size_t i = 0; i < fixed.stations.size(); ++i) {
    CAPTURE(i);
    CHECK(fixed.stations[i].shares == table.stations[i].shares);
    CHECK(fixed.stations[i].failures == table.stations[i].failures);
  }
}

TEST_CASE("An edit naming a new list item whole adds it at the end of the list") {
  // A second shop, added by an edit: the line then runs S and then T.
  const std::string base = one_station("");
  const Scenario s = load_scenario(
      base, "inline.yaml", {"plants[P].shops[t]={name: t, line: [{station: T, cycle: 2min}]}"});
  REQUIRE(s.plants[0].shops.size() == 2);
  CHECK(s.plants[0].shops[1].name == "t");
  CHECK(output_of(base) == 14400);  // ten days of a 1-minute station
  // The 2-minute station now sets the pace.
  const RunResult r = run_scenario(s, {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  CHECK(r.plants[0].replications[0].output == 7199);
  // A name given in the path that the value does not carry is still a missing item.
  try {
    load_scenario(base, "inline.yaml", {"plants[P].shops[u]={name: t, line: []}"});
    FAIL("expected an error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()).find("no item named 'u'") != std::string::npos);
  }
}

TEST_CASE("Parallel stations joining the same stores never take a part another has counted on") {
  // Both copies of M wait for the slow feeder B. When B delivers, the first copy takes its kit:
  // taking from store-a lets the blocked feeder A refill it, which offers store-a to the second
  // copy, which sees B's one part too. The kit is taken whole before any refill, so only one
  // copy gets it, and no store ever holds fewer than nothing.
  const std::string yaml =
      "scenario: t\nstart: 2023-01-01\nhorizon: 1d\nreplications: 1\nplants:\n"
      "  - name: P\n    capacity: 1000\n    shops:\n"
      "      - {name: a, feeder: true, line: [{station: A, cycle: 10s}, {buffer: store-a, "
      "capacity: 5}]}\n"
      "      - {name: b, feeder: true, line: [{station: B, cycle: 60s}, {buffer: store-b, "
      "capacity: 5}]}\n"
      "      - {name: m, lines: 2, line: [{station: M, cycle: 30s, joins: [store-a, store-b]}]}\n";
  const takt::models::PlantKpis k = first_replication(yaml);
  for (const auto& b : k.buffers) {
    INFO(b.name);
    CHECK(b.max <= 5);
  }
  // B's 1,440 parts a day pace the plant: each vehicle takes one.
  CHECK(k.output >= 1438);
  CHECK(k.output <= 1440);
}

TEST_CASE("An item's calendar: none works 24/7 on a plant with a calendar") {
  const std::string yaml =
      "scenario: t\nstart: 2023-01-02\nhorizon: 2d\nreplications: 1\n"
      "calendars:\n  day: {shifts: [{start: \"06:00\", length: 8h}]}\n"
      "plants:\n  - name: P\n    capacity: 100000\n    calendar: day\n    shops:\n"
      "      - name: s\n        line:\n          - station: A\n            cycle: 1min\n"
      "            calendar: none\n";
  const auto r = takt::run::run_scenario(takt::scenario::load_scenario(yaml, "inline.yaml"),
                                         {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  // Two whole days at one a minute, not two 8-hour shifts.
  CHECK(r.plants.at(0).replications.at(0).output == 2 * 24 * 60);
}

TEST_CASE("A mean time to failure or repair over 100 years is located") {
  const std::string err = takt::test::load_error(
      "scenario: t\nstart: 2023-01-02\nhorizon: 2d\nplants:\n  - name: P\n    capacity: 100000\n"
      "    shops:\n      - name: s\n        line:\n          - station: A\n            cycle: "
      "1min\n"
      "            failures: {mtbf: 300y, mttr: 200y}\n");
  CHECK(err.find("inline.yaml:12:30: error: plants[P].shops[s].line[A].failures.mtbf: "
                 "exponential: its mean is 9460800000 s, more than 100 years") !=
        std::string::npos);
  CHECK(err.find("failures.mttr: exponential: its mean is 6307200000 s") != std::string::npos);
}

TEST_CASE("Reading a scenario stops at Ctrl-C, as a run does") {
  // The largest files take minutes to read; validate went on to the end and said ok.
  takt::sim::request_interrupt();
  CHECK_THROWS_AS(load_scenario(one_station(""), "inline.yaml"), takt::sim::Interrupted);
  takt::sim::clear_interrupt();
  CHECK_NOTHROW(load_scenario(one_station(""), "inline.yaml"));
}

TEST_CASE("Names with a tab, a line break or a text-direction mark are refused, each told") {
  // They were accepted, and a plant named "P\nFAKE  9,999  1" forged a row of the text table.
  const std::string yaml =
      "scenario: t\nstart: 2023-01-01\nhorizon: 10d\n"
      "calendars:\n  \"day\\nshift\": {workdays: [mon], shifts: [{start: \"06:00\", length: 8h}]}\n"
      "plants:\n  - name: \"P\\nFAKE\"\n    capacity: 1000\n    products: {\"M\\u202e7\": 1}\n"
      "    shops:\n      - name: \"s\\tt\"\n        line:\n"
      "          - station: \"a\\u2028b\"\n            cycle: 1min\n";
  const std::string err = takt::test::load_error(yaml);
  const std::string tail = ": a name is one line of plain text";
  // The path of each error shows the name escaped, so that the error stays one line.
  CHECK(err.find("inline.yaml:5:17: error: calendars.day\\nshift: the calendar's name holds a "
                 "tab, a line break or a text-direction mark (U+000A, byte 4)" +
                 tail) != std::string::npos);
  CHECK(err.find("inline.yaml:7:11: error: plants[P\\nFAKE].name: holds a tab, a line break or a "
                 "text-direction mark "
                 "(U+000A, byte 2)" +
                 tail) != std::string::npos);
  CHECK(err.find("the product's name holds a tab, a line break or a text-direction mark (U+202E, "
                 "byte 2)" +
                 tail) != std::string::npos);
  CHECK(err.find("name: holds a tab, a line break or a text-direction mark (U+0009, byte 2)" +
                 tail) != std::string::npos);
  CHECK(err.find("error: plants[P\\nFAKE].shops[s\\tt].line[a\\u2028b].station: holds a tab, a "
                 "line break or a text-direction mark (U+2028, byte 2)" +
                 tail) != std::string::npos);
  // Plain text beyond ASCII stays a name.
  CHECK(takt::test::load_error(takt::test::minute_line("").replace(
            takt::test::minute_line("").find("name: P"), 7, "name: 两江")) == "no error");
}
