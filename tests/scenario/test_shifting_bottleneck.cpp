// Shifting bottlenecks by the active-period method, on lines whose answer is known: one slow
// station is the sole bottleneck nearly always; two stations working alternate halves of the
// day are each the sole bottleneck half the time.
#include <doctest/doctest.h>

#include <string>

#include "minute_line.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

namespace models = takt::models;
using takt::test::run_yaml;

namespace {

const models::StationKpi& station(const models::PlantKpis& k, const std::string& name) {
  for (const auto& s : k.stations) {
    if (s.name == name) return s;
  }
  FAIL("no station " << name);
  return k.stations.front();
}

}  // namespace

TEST_CASE("A run without the analysis builds the same and reports no bottleneck shares") {
  // What fit, improve and compare read of a run is the same without the analysis: the output
  // by month, the annual rate, every station's state shares and every event; only the
  // bottleneck shares are left at zero. The default SERES scenario, 60 days of each plant.
  takt::scenario::Scenario s =
      takt::scenario::load_scenario_file(std::string(TAKT_SOURCE_DIR) + "/scenarios/seres.yaml");
  s.horizon = takt::sim::Time::days(60);
  for (std::size_t plant = 0; plant < s.plants.size(); ++plant) {
    CAPTURE(s.plants[plant].name);
    const models::PlantKpis full = takt::run::run_replication(s, plant, 1);
    const models::PlantKpis bare = takt::run::run_replication_output_only(s, plant, 1);
    CHECK(bare.output == full.output);
    CHECK(bare.monthly == full.monthly);
    CHECK(bare.annual_rate == full.annual_rate);
    CHECK(bare.events == full.events);
    CHECK(bare.lead_time_hours == full.lead_time_hours);
    CHECK(bare.wip == full.wip);
    REQUIRE(bare.years.size() == full.years.size());
    for (std::size_t y = 0; y < full.years.size(); ++y)
      CHECK(bare.years[y].output == full.years[y].output);
    CHECK(bare.monthly_orders == full.monthly_orders);
    CHECK(bare.monthly_backlog == full.monthly_backlog);
    // Without shares the leader is the most active station (PlantKpis::bottleneck).
    const models::StationKpi* most = models::most_active(bare.stations);
    REQUIRE(most != nullptr);
    CHECK(bare.bottleneck == most->name);
    REQUIRE(bare.stations.size() == full.stations.size());
    double full_either = 0;
    for (std::size_t i = 0; i < full.stations.size(); ++i) {
      CHECK(bare.stations[i].name == full.stations[i].name);
      CHECK(bare.stations[i].shares == full.stations[i].shares);
      CHECK(bare.stations[i].bottleneck_sole == 0);
      CHECK(bare.stations[i].bottleneck_shifting == 0);
      CHECK(bare.stations[i].monthly_sole.empty());
      CHECK(bare.stations[i].monthly_shifting.empty());
      full_either += full.stations[i].bottleneck_sole + full.stations[i].bottleneck_shifting;
    }
    // The analysis, where asked for, did find bottlenecks: each moment that has one is some
    // station's as the sole bottleneck, or two or more stations' as shifting ones.
    CHECK(full_either >= 1 - 1e-9);
  }
}

TEST_CASE("One clearly slow station is the sole bottleneck nearly always") {
  // A (1 min) -> 5 places -> B (2 min) -> C (1 min), a week. B works from minute 1 to the end
  // without a break: one active period. A works until the buffer fills (about 12 minutes),
  // then is blocked at every other minute; C is starved half of every 2 minutes.
  const models::PlantKpis k =
      run_yaml(
          "scenario: t\nstart: 2023-01-02\nhorizon: 7d\nreplications: 1\nplants:\n"
          "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
          "          - station: A\n            cycle: 1min\n"
          "          - buffer: b\n            capacity: 5\n"
          "          - station: B\n            cycle: 2min\n"
          "          - station: C\n            cycle: 1min\n")
          .plants[0]
          .replications[0];
  const double minutes = 7 * 1440;
  const models::StationKpi& b = station(k, "B");
  // Only the first quarter hour is A's or shared with A.
  CHECK(b.bottleneck_sole > 1 - 15 / minutes);
  CHECK(b.bottleneck_sole + b.bottleneck_shifting == doctest::Approx(1 - 1 / minutes));
  CHECK(station(k, "A").bottleneck_sole == doctest::Approx(1 / minutes));
  CHECK(station(k, "A").bottleneck_shifting == doctest::Approx(b.bottleneck_shifting));
  CHECK(station(k, "C").bottleneck_sole == 0);
  CHECK(station(k, "C").bottleneck_shifting == 0);
  // Per month: all of January's week is B's too.
  REQUIRE(b.monthly_sole.size() == 1);
  CHECK(b.monthly_sole[0] == doctest::Approx(b.bottleneck_sole));
}

TEST_CASE("Two stations that work alternate halves of the day are each sole half the time") {
  // A works 00:00-12:00 and B 12:00-24:00, through a store big enough for a half day: each is
  // active exactly in its own half, and the halves touch without overlapping.
  const models::PlantKpis k =
      run_yaml(
          "scenario: t\nstart: 2023-01-02\nhorizon: 14d\nreplications: 1\n"
          "calendars:\n"
          "  early: {workdays: [mon, tue, wed, thu, fri, sat, sun], shifts: [{start: "
          "\"00:00\", length: 12h}]}\n"
          "  late: {workdays: [mon, tue, wed, thu, fri, sat, sun], shifts: [{start: "
          "\"12:00\", length: 12h}]}\n"
          "plants:\n"
          "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
          "          - station: A\n            cycle: 1min\n            calendar: early\n"
          "          - buffer: b\n            capacity: 2000\n"
          "          - station: B\n            cycle: 1min\n            calendar: late\n")
          .plants[0]
          .replications[0];
  const double bucket = 1.0 / (14 * 1440);  // one sampled minute
  CHECK(station(k, "A").bottleneck_sole == doctest::Approx(0.5).epsilon(2 * bucket));
  CHECK(station(k, "B").bottleneck_sole == doctest::Approx(0.5).epsilon(2 * bucket));
  CHECK(station(k, "A").bottleneck_shifting < 2 * bucket);
}

TEST_CASE("A paced line with gaps travelling down it is still the bottleneck it is") {
  // A (exponential, 72 an hour) -> 2 places -> P (paced, 60 an hour) -> 3 places -> C (120 an
  // hour): P sets the output (55 an hour; P twice as fast gains three times what A twice as
  // fast does). A's slow draws leave gaps that travel down P; with 60 positions one is almost
  // always somewhere on it. A gap on the way is no wait (P indexes at full takt around it):
  // P waits only for the takt after an index that found nothing to load. Counting every gap as
  // a wait named A the bottleneck 96 % of the time, and P's share fell as positions were added.
  const auto run = [](int positions) {
    return run_yaml(
               "scenario: t\nstart: 2024-01-01\nhorizon: 20d\nwarmup: 1d\nreplications: 1\n"
               "seed: 3\nplants:\n  - name: L\n    capacity: 525600\n    shops:\n"
               "      - name: s\n        line:\n"
               "          - station: A\n            cycle: exponential(50s)\n"
               "          - buffer: B1\n            capacity: 2\n"
               "          - paced: P\n            positions: " +
               std::to_string(positions) +
               "\n            takt: 1min\n"
               "          - buffer: B2\n            capacity: 3\n"
               "          - station: C\n            cycle: 30s\n")
        .plants[0]
        .replications[0];
  };
  const models::PlantKpis long_line = run(60), short_line = run(20);
  const auto either = [](const models::StationKpi& s) {
    return s.bottleneck_sole + s.bottleneck_shifting;
  };
  CHECK(long_line.bottleneck == "P");
  CHECK(either(station(long_line, "P")) > 0.75);
  CHECK(either(station(long_line, "A")) < 0.5);
  CHECK(station(long_line, "P").bottleneck_sole > 2 * station(long_line, "A").bottleneck_sole);
  // How many positions P has does not decide whether it is the constraint.
  CHECK(short_line.bottleneck == "P");
  CHECK(either(station(short_line, "P")) ==
        doctest::Approx(either(station(long_line, "P"))).epsilon(0.1));
}

TEST_CASE("Parallel copies that never wait are shifting bottlenecks alike") {
  // Two copies of one line, each a 1-minute station on an unlimited supply: both are active
  // the whole run, so their periods are exactly as long. The tie went to the first copy, named
  // the sole bottleneck all the time, and the second had 0 %.
  const models::PlantKpis k =
      run_yaml(
          "scenario: t\nstart: 2023-01-02\nhorizon: 2d\nreplications: 1\nplants:\n"
          "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        lines: 2\n"
          "        line:\n          - station: A\n            cycle: 1min\n")
          .plants[0]
          .replications[0];
  for (const char* name : {"A#1", "A#2"}) {
    CAPTURE(name);
    CHECK(station(k, name).bottleneck_sole == 0);
    CHECK(station(k, name).bottleneck_shifting == 1);
  }
  // Both led every replication (the first copy alone did), and both are named within noise.
  const auto summary = takt::run::summarize_plant(
      takt::run::run_scenario(
          takt::scenario::load_scenario(
              "scenario: t\nstart: 2023-01-02\nhorizon: 2d\nreplications: 3\nplants:\n"
              "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        lines: 2\n"
              "        line:\n          - station: A\n            cycle: 1min\n",
              "inline.yaml"),
          {0, std::nullopt, 1, false, std::nullopt, std::nullopt})
          .plants[0]);
  for (const auto& st : summary.stations) CHECK(st.led == 3);
  CHECK(summary.within_noise.size() == 2);
}

TEST_CASE("Stations with as many bottleneck moments lead alike, however they split them") {
  // 14 of 50 moments: one station sole at each (its share summed 1/50 at a time, as
  // ActivePeriods does), two shifting at each (14/50): the sums differ in the last bit, and
  // only the shifting two were said to lead.
  takt::run::PlantRuns runs;
  runs.name = "P";
  for (int r = 0; r < 2; ++r) {
    models::PlantKpis k;
    for (const char* name : {"a", "b", "c", "d"}) {
      models::StationKpi st;
      st.name = name;
      k.stations.push_back(st);
    }
    for (int m = 0; m < 14; ++m) k.stations[0].bottleneck_sole += 1.0 / 50;
    k.stations[1].bottleneck_shifting = k.stations[2].bottleneck_shifting = 14.0 / 50;
    k.stations[3].bottleneck_sole = 13.0 / 50;  // one moment fewer: not a leader
    REQUIRE(k.stations[0].bottleneck_sole != k.stations[1].bottleneck_shifting);
    runs.replications.push_back(k);
  }
  const auto summary = takt::run::summarize_plant(runs);
  REQUIRE(summary.stations.size() == 4);
  CHECK(summary.stations[0].led == 2);
  CHECK(summary.stations[1].led == 2);
  CHECK(summary.stations[2].led == 2);
  CHECK(summary.stations[3].led == 0);
}

TEST_CASE("A bottleneck that hands over to tied copies overlaps each of them alike") {
  // X works 10:00-20:00, three copies of s 16:00-24:00, each without a wait: from 20:00 the
  // copies' periods are the longest alike, and X's overlaps each of them from 16:00 to 20:00.
  // Only the first copy was counted in that overlap (57 % against 29 %).
  const models::PlantKpis k =
      run_yaml(
          "scenario: t\nstart: 2024-04-01\nhorizon: 3d\nreplications: 1\ncalendars:\n"
          "  late: {workdays: [mon, tue, wed, thu, fri, sat, sun], shifts: [{start: "
          "\"16:00\", length: 8h}]}\n"
          "  early: {workdays: [mon, tue, wed, thu, fri, sat, sun], shifts: [{start: "
          "\"10:00\", length: 10h}]}\n"
          "plants:\n  - name: P\n    capacity: 1000\n    calendar: late\n    shops:\n"
          "      - name: x\n        line:\n          - station: X\n            cycle: 20s\n"
          "            calendar: early\n          - buffer: big\n            capacity: "
          "100000\n"
          "      - name: a\n        lines: 3\n        line:\n          - station: s\n"
          "            cycle: 60s\n")
          .plants[0]
          .replications[0];
  const double first = station(k, "s#1").bottleneck_shifting;
  CHECK(first > 0.5);
  for (const char* name : {"s#2", "s#3"}) {
    CAPTURE(name);
    CHECK(station(k, name).bottleneck_sole == 0);
    CHECK(station(k, name).bottleneck_shifting == first);
  }
}

TEST_CASE("Two stations alike are within noise of each other, a clear leader is not") {
  using takt::run::summarize_plant;
  // Ten replications, one thread.
  const auto run_yaml = [](const std::string& yaml) {
    return takt::run::run_scenario(takt::scenario::load_scenario(yaml, "inline.yaml"),
                                   {0, std::nullopt, 1, false, std::nullopt, std::nullopt});
  };
  // Two exponential stations of the same mean through one place: neither is the bottleneck.
  const auto twins = summarize_plant(
      run_yaml("scenario: t\nstart: 2023-01-02\nhorizon: 2d\nreplications: 10\nplants:\n"
               "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
               "          - station: A\n            cycle: exponential(1min)\n"
               "          - buffer: b\n            capacity: 1\n"
               "          - station: B\n            cycle: exponential(1min)\n")
          .plants[0]);
  CHECK(twins.within_noise.size() == 2);
  int led = 0;
  for (const auto& st : twins.stations) led += st.led;
  // Each replication names one leader (more only on an exact tie, which random times do not
  // make).
  CHECK(led == 10);
  // The slow station of the first case leads every replication, alone.
  const auto clear = summarize_plant(
      run_yaml("scenario: t\nstart: 2023-01-02\nhorizon: 2d\nreplications: 10\nplants:\n"
               "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
               "          - station: A\n            cycle: exponential(1min)\n"
               "          - buffer: b\n            capacity: 5\n"
               "          - station: B\n            cycle: exponential(2min)\n")
          .plants[0]);
  CHECK(clear.bottleneck == "B");
  CHECK(clear.within_noise.empty());
  CHECK(clear.stations[1].led == 10);
}

TEST_CASE("An oven or a station of many servers that holds the line back is named, whatever size") {
  // F (lognormal, 67 an hour) -> 2 places -> O (60 an hour: an oven of 60 places and 60 min,
  // or 60 servers of 60 min). O sets the output: doubling it gains about six times what
  // doubling F does (takt compare). A free place counted as a wait, and an oven takes each
  // body into a free place at once, so after each slow spell of F its places refilled one by
  // one, all that time "starved": F was named 67 % of the time, O 49 %. O is a wait only once
  // its pace (one cycle over its places a start) has run out with a place still free.
  const auto run = [](const std::string& o) {
    return run_yaml(
               "scenario: t\nstart: 2024-01-01\nhorizon: 20d\nwarmup: 1d\nreplications: 1\n"
               "seed: 7\nplants:\n  - name: L\n    capacity: 525600\n    shops:\n"
               "      - name: s\n        line:\n"
               "          - station: F\n            cycle: lognormal(mean=54s, cv=0.8)\n"
               "          - buffer: B\n            capacity: 2\n" +
               o)
        .plants[0]
        .replications[0];
  };
  const auto either = [](const models::StationKpi& s) {
    return s.bottleneck_sole + s.bottleneck_shifting;
  };
  const models::PlantKpis oven =
      run("          - oven: O\n            capacity: 60\n"
          "            time: 60min\n");
  const models::PlantKpis servers =
      run("          - station: O\n            servers: 60\n"
          "            cycle: 60min\n");
  const models::PlantKpis one = run("          - station: O\n            cycle: 1min\n");
  for (const models::PlantKpis* k : {&oven, &servers}) {
    CHECK(k->bottleneck == "O");
    CHECK(either(station(*k, "O")) > 0.75);
    CHECK(station(*k, "O").bottleneck_sole > 2 * station(*k, "F").bottleneck_sole);
    // As a one-server station of the same rate is: the places are no reason to differ.
    CHECK(either(station(*k, "O")) == doctest::Approx(either(station(one, "O"))).epsilon(0.1));
  }
  CHECK(one.bottleneck == "O");
  // The shares of time in each state are not the analysis's: a free place is still starved.
  CHECK(station(oven, "O").shares[models::kStarved] > 0);
}

TEST_CASE("A station of many servers is not made a wait by one blocked place") {
  // feeder (9 min) -> 5 places -> multi (10 servers of 100 min: 6 an hour) -> 1 place ->
  // after (6 min, stopping 30 min every 3 h). multi sets the output: 10 more servers gain
  // 8,600 a year, the feeder twice as fast 150 (takt compare). Each stop of after's blocks one
  // of multi's places while nine work at its pace; counted as a wait at once, it named the
  // feeder (sole 0.29 against 0.24).
  const models::PlantKpis k =
      run_yaml(
          "scenario: t\nstart: 2024-01-01\nhorizon: 30d\nwarmup: 1d\nreplications: 1\n"
          "seed: 7\nplants:\n  - name: L\n    capacity: 100000\n    shops:\n"
          "      - name: s\n        line:\n"
          "          - station: feeder\n            cycle: lognormal(mean=9min, cv=0.6)\n"
          "          - buffer: b1\n            capacity: 5\n"
          "          - station: multi\n            servers: 10\n"
          "            cycle: lognormal(mean=100min, cv=0.3)\n"
          "          - buffer: b2\n            capacity: 1\n"
          "          - station: after\n            cycle: lognormal(mean=6min, cv=0.5)\n"
          "            failures: {mtbf: 3h, mttr: 30min}\n")
          .plants[0]
          .replications[0];
  CHECK(k.bottleneck == "multi");
  CHECK(station(k, "multi").bottleneck_sole > station(k, "feeder").bottleneck_sole);
}

TEST_CASE("A station of many servers keeps its pace through a ramp of its speed") {
  // F (12 min) sets the output of F -> M (10 servers of 100 min, 6 an hour) -> A. M starts at
  // a ramp's floor (a millionth of its speed) and is at full speed from day 2: a pace kept as
  // set at the floor ran a million cycles ahead, and M was named the sole bottleneck 100 % of
  // the window, though 10 more servers gained nothing and F twice as fast 8,700 a year.
  const models::PlantKpis k =
      run_yaml(
          "scenario: t\nstart: 2024-01-01\nhorizon: 30d\nwarmup: 5d\nreplications: 1\n"
          "seed: 7\nplants:\n  - name: L\n    capacity: 100000\n    shops:\n"
          "      - name: s\n        line:\n"
          "          - station: F\n            cycle: lognormal(mean=12min, cv=0.6)\n"
          "          - buffer: B1\n            capacity: 5\n"
          "          - station: M\n            servers: 10\n            cycle: 100min\n"
          "            ramp_up: {start: 2024-01-01, curve: table, table: [[0, 0.0], [0.1, "
          "1.0]], applies_to: [speed], step: 1d}\n"
          "          - buffer: B2\n            capacity: 5\n"
          "          - station: A\n            cycle: 6min\n")
          .plants[0]
          .replications[0];
  CHECK(k.bottleneck == "F");
  CHECK(station(k, "M").bottleneck_sole < 0.1);
}
