// The failure rules a scenario chooses: servers that fail alone or with their station, repairs
// that go on or pause off shift, and a profile on some positions of a paced line. Each against
// an exact count or the exact availability.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "load_error.hpp"
#include "minute_line.hpp"
#include "takt/run/scenario_runner.hpp"

namespace models = takt::models;
using takt::test::run_yaml;

namespace {

std::string scenario(const std::string& head, const std::string& line) {
  return "scenario: t\n" + head + "replications: 1\nplants:\n  - name: P\n    capacity: 120000\n" +
         (head.find("calendars:") != std::string::npos ? "    calendar: day\n" : "") +
         "    shops:\n      - name: s\n        line:\n" + line;
}

const models::StationKpi& station(const models::PlantKpis& k, const std::string& name) {
  for (const auto& s : k.stations) {
    if (s.name == name) return s;
  }
  FAIL("no station " << name);
  return k.stations.front();
}

// Two servers of 1 minute with failures every 9 h of work on average, repaired in 1 h on
// average (both exponential), for two years with unlimited supply and no blocking: each
// server works whenever it is up, so operating time is up time.
models::PlantKpis two_servers(const std::string& per) {
  return run_yaml(scenario("start: 2023-01-01\nhorizon: 2y\n",
                           "          - station: S\n            servers: 2\n"
                           "            cycle: 1min\n"
                           "            failures: {mtbf: 9h, mttr: 1h, per: " +
                               per + "}\n"))
      .plants[0]
      .replications[0];
}

}  // namespace

TEST_CASE("Servers that fail alone: each is available MTBF/(MTBF+MTTR), and fails as often") {
  const double hours = 17520;  // 2023 and 2024
  // An alternating renewal process of exponential up (a = 9 h) and down (b = 1 h) times: over T
  // the down share has variance 2a^2b^2/((a+b)^3 T) and the failure count T(a^2+b^2)/(a+b)^3.
  const double share_var = 2 * 81.0 * 1.0 / (1000.0 * hours);
  const double count_var = hours * 82.0 / 1000.0;
  const models::PlantKpis server = two_servers("server");
  const models::StationKpi& s = station(server, "S");  // the servers report as one station
  CHECK(server.stations.size() == 1);
  // The station's down share is its servers' mean: two independent processes.
  CHECK(std::abs(s.shares[models::kDown] - 0.1) < 4 * std::sqrt(share_var / 2));
  // Each server fails once per 10 h of its own: twice the failures of a station failing whole.
  CHECK(std::abs(double(s.failures) - 2 * hours / 10) < 4 * std::sqrt(2 * count_var));
  const models::PlantKpis whole = two_servers("station");
  const models::StationKpi& w = station(whole, "S");
  CHECK(std::abs(w.shares[models::kDown] - 0.1) < 4 * std::sqrt(share_var));
  CHECK(std::abs(double(w.failures) - hours / 10) < 4 * std::sqrt(count_var));
}

TEST_CASE("Servers that fail alone keep a downstream station fed when one is down") {
  // The same station feeding a 0.55-minute station through 30 places: a whole-station failure
  // (1 h on average) empties the buffer, a server's leaves the other working at 1 a minute.
  const auto starved = [](const std::string& per) {
    const models::PlantKpis k =
        run_yaml(scenario("start: 2023-01-01\nhorizon: 1y\n",
                          "          - station: S\n            servers: 2\n"
                          "            cycle: 1min\n"
                          "            failures: {mtbf: 9h, mttr: 1h, per: " +
                              per +
                              "}\n          - buffer: b\n            capacity: 30\n"
                              "          - station: D\n            cycle: 0.55min\n"))
            .plants[0]
            .replications[0];
    return station(k, "D").shares[models::kStarved];
  };
  CHECK(starved("server") + 0.01 < starved("station"));
}

TEST_CASE("Repairs continue off shift by default, or pause until the next shift") {
  // One 8-minute station on a 06:00-14:00 shift every day for a week; it fails after exactly
  // 5.5 h of work and takes exactly 4 h to repair.
  const auto built = [](const std::string& repairs) {
    return run_yaml(scenario("start: 2023-01-02\nhorizon: 7d\ncalendars:\n  day:\n"
                             "    workdays: [mon, tue, wed, thu, fri, sat, sun]\n"
                             "    shifts: [{start: \"06:00\", length: 8h}]\n",
                             "          - station: S\n            cycle: 8min\n"
                             "            failures: {ttf: 5.5h, ttr: 4h" +
                                 repairs + "}\n"))
        .plants[0]
        .replications[0]
        .output;
  };
  // Continue: each day works 06:00-11:30 and the repair ends at 15:30, off shift. 7 x 330
  // minutes of work: 288 jobs of 8 minutes.
  CHECK(built("") == 288);
  CHECK(built(", repairs: continue") == 288);
  // Pause: every repair hour is a shift hour. The week's 56 shift hours hold six failures:
  // work 5.5 + 5.5 + 5 + (0.5 + 3.5) + (2 + 2) + (3.5 + 0.5) + 5 = 33 h and repairs 23 h (the
  // last has 1 h left at the end). 1,980 minutes: 247 jobs.
  CHECK(built(", repairs: pause") == 247);
}

TEST_CASE("A failure profile on one position of a paced line") {
  // Ten positions, a 1-minute takt, 24 hours. The profile fails after exactly 60 minutes of
  // moving time and takes 6 to repair: 21 failures by minute 1,386, then 54 minutes of moving.
  const auto line = [](const std::string& positions) {
    return run_yaml(scenario("start: 2023-01-01\nhorizon: 1d\n",
                             "          - paced: L\n            positions: 10\n"
                             "            takt: 1min\n"
                             "            failures: {ttf: 60min, ttr: 6min" +
                                 positions + "}\n"))
        .plants[0]
        .replications[0]
        .stations[0];
  };
  const models::StationKpi one = line(", positions: [3]");
  CHECK(one.failures == 21);
  CHECK(one.shares[models::kDown] == doctest::Approx(126.0 / 1440).epsilon(1e-12));
  // On every position the ten clocks run out at the same moving instant. A stopped line does
  // not age, so they fail one after another: 60 minutes moving, then 10 x 6 down, twelve
  // times a day.
  const models::StationKpi all = line("");
  CHECK(all.failures == 120);
  CHECK(all.shares[models::kDown] == doctest::Approx(0.5).epsilon(1e-12));
}

TEST_CASE("Failure rules that do not apply are errors") {
  using takt::test::load_error;
  const std::string head = "start: 2023-01-01\nhorizon: 1d\n";
  CHECK(load_error(scenario(head,
                            "          - paced: L\n            positions: 10\n"
                            "            takt: 1min\n"
                            "            failures: {mtbf: 1h, mttr: 6min, positions: [11], "
                            "per: server}\n")) ==
        "inline.yaml:14:23: error: plants[P].shops[s].line[L].failures: per applies to a "
        "station's servers; a paced line's positions fail on their own and stop the whole line\n"
        "inline.yaml:14:23: error: plants[P].shops[s].line[L].failures: position 11 is beyond "
        "the line's 10 positions");
  const std::string e = load_error(
      scenario(head,
               "          - station: S\n            cycle: 1min\n            servers: 2\n"
               "            failures: [{mtbf: 1h, mttr: 6min, per: server, repairs: later},\n"
               "                       {name: b, mtbf: 2h, mttr: 6min, positions: [1]}]\n"));
  CHECK(e.find("failures[0].repairs: expected continue or pause, got \"later\"") !=
        std::string::npos);
  CHECK(e.find("failures: positions apply to a paced line's failures") != std::string::npos);
  CHECK(load_error(scenario(head,
                            "          - station: S\n            cycle: 1min\n"
                            "            lot: {size: 10, setup: 5min}\n"
                            "            failures: {mtbf: 1h, mttr: 6min, per: server}\n"))
            .find("per: server needs a station without lots") != std::string::npos);
}

TEST_CASE("Repairs that pause wait for the start of production, calendar clocks run before it") {
  // 24/7 from 11 January; a calendar-time failure every day after each repair, 100 h to repair.
  const auto down = [](const std::string& repairs) {
    return run_yaml(
               "scenario: t\nstart: 2023-01-01\nhorizon: 20d\nreplications: 1\nplants:\n"
               "  - name: P\n    capacity: 100000\n    start_of_production: 2023-01-11\n"
               "    shops:\n      - name: s\n        line:\n          - station: S\n"
               "            cycle: 1min\n"
               "            failures: {ttf: 1d, ttr: 100h, basis: calendar" +
               repairs + "}\n")
        .plants[0]
        .replications[0]
        .stations[0]
        .shares[models::kDown];
  };
  // Pause: the failure of hour 24 is repaired from the start (hour 240) to 340; the next comes
  // at 364 and is repaired by 464. Continue: failures at 24, 148, 272 and 396 are repaired by
  // 124, 248, 372 and past the end; only 240-248, 272-372 and 396-480 are after the start.
  CHECK(down(", repairs: pause") == doctest::Approx(200.0 / 480).epsilon(1e-12));
  CHECK(down("") == doctest::Approx(192.0 / 480).epsilon(1e-12));
}

TEST_CASE("Each server that fails alone counts against the plant's equipment limit") {
  const std::string e = takt::test::load_error(
      scenario("start: 2023-01-01\nhorizon: 1d\n",
               "          - station: S\n            cycle: 1min\n            servers: 2000\n"
               "            failures: {mtbf: 1h, mttr: 6min, per: server}\n"
               "          - station: T\n            cycle: 1min\n            servers: 2000\n"
               "            failures: {mtbf: 1h, mttr: 6min, per: server}\n"
               "          - station: U\n            cycle: 1min\n            servers: 2000\n"
               "            failures: {mtbf: 1h, mttr: 6min, per: server}\n"));
  CHECK(e.find("has 6000 stations, ovens, paced lines and buffers (parallel copies and servers "
               "that fail alone counted)") != std::string::npos);
}
