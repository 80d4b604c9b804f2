// The capacity bound: exact on lines whose answer is known (a rework loop's station, parallel
// copies, a feeder), and never below what simulation builds, on every scenario of the
// repository and on a hundred random lines.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>

#include "cli_fixture.hpp"
#include "minute_line.hpp"
#include "takt/run/capacity_report.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

namespace models = takt::models;
using takt::scenario::load_scenario;
using takt::scenario::load_scenario_file;

namespace {

models::PlantBound bound_of(const std::string& yaml) {
  return takt::run::capacity_bounds(load_scenario(yaml, "inline.yaml")).at(0);
}

std::string line(const std::string& items, const std::string& head = "",
                 const std::string& shop_keys = "") {
  return "scenario: t\nstart: 2023-01-02\nhorizon: 10d\nwarmup: 0d\nreplications: 4\n" + head +
         "plants:\n  - name: P\n    capacity: 100000\n" +
         (head.find("calendars:") != std::string::npos ? "    calendar: c\n" : "") +
         "    shops:\n      - name: s\n" + shop_keys + "        line:\n" + items;
}

// Simulated vehicles per hour (mean and standard error over replications) against the bound.
void check_below_bound(const takt::scenario::Scenario& s) {
  const auto bounds = takt::run::capacity_bounds(s);
  const auto r =
      takt::run::run_scenario(s, {0, std::nullopt, 1, false, std::nullopt, std::nullopt});
  for (std::size_t p = 0; p < r.plants.size(); ++p) {
    const auto sum = takt::run::summarize_plant(r.plants[p]);
    const double se =
        sum.throughput_per_hour.n > 1
            ? sum.throughput_per_hour.stddev / std::sqrt(double(sum.throughput_per_hour.n))
            : 0;
    INFO(s.name << " plant " << bounds[p].name << ": simulated " << sum.throughput_per_hour.mean
                << " +- " << se << " per hour, bound " << bounds[p].per_hour);
    // One vehicle over the window besides: a window of length L holds up to one completion
    // more than L times the rate, by where the completions fall (every 3 minutes, 4 of them in
    // a 10-minute window that begins just before one).
    const double one = 1 / (s.horizon - s.warmup).to_hours();
    CHECK(sum.throughput_per_hour.mean <= bounds[p].per_hour * (1 + 1e-9) + 4 * se + one);
  }
}

}  // namespace

TEST_CASE(
    "A rework loop's station sets the bound at (1 - q) times its rate, and the cut names it") {
  // A (30 s) feeds S (1 min), which sends a fifth of its jobs back to its input: S is visited
  // 1 / (1 - 0.2) = 1.25 times per vehicle, so the plant builds at most 60 x 0.8 = 48 an hour.
  const models::PlantBound b =
      bound_of(line("          - station: A\n            cycle: 30s\n"
                    "          - buffer: b\n            capacity: 5\n"
                    "          - station: S\n            cycle: 1min\n"
                    "            routes: [{to: b, share: 0.2, rework: true}]\n"));
  CHECK(b.per_hour == doctest::Approx(48));
  CHECK(b.cut == std::vector<std::string>{"S"});
  CHECK(b.stations.at(1).visits == doctest::Approx(1.25));
  CHECK(b.stations.at(0).vehicles_per_hour == doctest::Approx(120));
}

TEST_CASE("Parallel copies add up, availability and shifts scale, a feeder caps its joins") {
  // Two copies of a 2-minute line, the second from day 6 of 10: 30 + 30 x 5/10 an hour. One
  // station fails for 6 minutes per hour of work: up 1 / (1 + 0.1) of its shift time.
  const models::PlantBound copies = bound_of(
      line("          - station: W\n            cycle: 2min\n"
           "            failures: {mtbf: 1h, mttr: 6min}\n",
           "", "        lines: 2\n        start_of_production: [2023-01-02, 2023-01-07]\n"));
  CHECK(copies.per_hour == doctest::Approx((30 + 15) / 1.1));
  // A day shift of 8 h: a third of the time.
  const models::PlantBound shift = bound_of(
      line("          - station: W\n            cycle: 1min\n",
           "calendars:\n  c: {workdays: [mon, tue, wed, thu, fri, sat, sun], shifts: [{start: "
           "\"06:00\", length: 8h}]}\n"));
  CHECK(shift.per_hour == doctest::Approx(60.0 / 3));
  // A feeder of one 2-minute cell: 30 sets an hour for a 1-minute station.
  const models::PlantBound fed = bound_of(
      "scenario: t\nstart: 2023-01-02\nhorizon: 10d\nplants:\n  - name: P\n    capacity: 1\n"
      "    shops:\n      - name: parts\n        feeder: true\n        line:\n"
      "          - station: cell\n            cycle: 2min\n          - buffer: sets\n"
      "            capacity: 10\n      - name: s\n        line:\n          - station: W\n"
      "            cycle: 1min\n            joins: [sets]\n");
  CHECK(fed.per_hour == doctest::Approx(30));
  CHECK(fed.cut == std::vector<std::string>{"feeder parts"});
}

TEST_CASE("No scenario of the repository builds more than its bound") {
  for (const char* file :
       {"scenarios/seres.yaml", "scenarios/seres-three-shift.yaml", "scenarios/seres-ramp-up.yaml",
        "scenarios/seres-2022-2024.yaml", "scenarios/examples/first-plant.yaml",
        "tests/data/analytic/calendar_year.yaml", "tests/data/analytic/deterministic_failures.yaml",
        "tests/data/analytic/paint_loop.yaml", "tests/data/analytic/three_machines_unreliable.yaml",
        "tests/data/analytic/two_machines_b3.yaml", "tools/bench/sl10-b5.yaml",
        "tools/bench/sl10-b5-det.yaml", "tools/bench/sl10-b5-fail.yaml"}) {
    CAPTURE(file);
    // Short runs of 4 replications: the bound holds for any window (the forecast's is in
    // 2024, when all three plants build).
    const bool dated = std::string(file) == "scenarios/seres-2022-2024.yaml";
    check_below_bound(
        load_scenario_file(std::string(TAKT_SOURCE_DIR) + "/" + file,
                           {dated ? "start=2024-06-01" : "horizon=20d",
                            dated ? "end=2024-06-20" : "warmup=1d", "replications=4"}));
  }
}

TEST_CASE("No random line builds more than its bound") {
  std::mt19937 rng(20261130);  // the lines are fixed: the test is the same every run
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int n = 0; n < 100; ++n) {
    std::ostringstream items;
    const int stations = pick(2, 6);
    for (int i = 0; i < stations; ++i) {
      if (i > 0 && pick(0, 1))
        items << "          - buffer: b" << i << "\n            capacity: " << pick(0, 8) << "\n";
      items << "          - station: S" << i << "\n            servers: " << pick(1, 3) << "\n"
            << "            cycle: ";
      const int mean = pick(20, 120);
      switch (pick(0, 2)) {
        case 0:
          items << mean << "s\n";
          break;
        case 1:
          items << "exponential(" << mean << "s)\n";
          break;
        default:
          items << "lognormal(mean=" << mean << "s, cv=0.5)\n";
      }
      if (pick(0, 1)) {
        items << "            failures: {mtbf: " << pick(1, 10) << "h, mttr: " << pick(1, 40)
              << "min" << (pick(0, 3) == 0 ? ", basis: calendar" : "")
              << (pick(0, 3) == 0 ? ", repairs: pause" : "") << "}\n";
      }
      if (i == stations - 1 && stations > 2 && pick(0, 3) == 0)
        items << "            routes: [{to: S1, share: 0." << pick(1, 3) << ", rework: true}]\n";
    }
    const std::string head =
        pick(0, 1) ? "calendars:\n  c: {workdays: [mon, tue, wed, thu, fri], shifts: [{start: "
                     "\"06:00\", length: 8h}, {start: \"14:00\", length: 8h}]}\n"
                   : "";
    const std::string yaml = line(items.str(), head);
    CAPTURE(yaml);
    check_below_bound(load_scenario(yaml, "random.yaml"));
  }
}

TEST_CASE("takt capacity prints the bound, its cut and the tightest stations, JSON too") {
  const auto text = takt::test::run_takt("capacity");
  CHECK(text.status == 0);
  CHECK(text.out.find("plant          capacity/yr    bound/yr  of capacity  set by\n") !=
        std::string::npos);
  CHECK(text.out.find("Liangjiang: ") != std::string::npos);
  CHECK(text.out.find("(sets the bound)") != std::string::npos);
  CHECK(text.out.find("edits:") == std::string::npos);
  const auto json = takt::test::run_takt("capacity --format json --set horizon=30d");
  CHECK(json.status == 0);
  CHECK(json.out.find("\"bound_per_year\": ") != std::string::npos);
  // The edits are echoed, as by takt run, so that two bounds side by side say what differs.
  CHECK(json.out.find("\"edits\": [\n    \"horizon=30d\"\n  ],") != std::string::npos);
  const auto edited = takt::test::run_takt(
      "capacity --set 'plants[Liangjiang].shops[assembly].line[trim].takt=80s'");
  CHECK(edited.status == 0);
  CHECK(edited.out.find("\nedits: plants[Liangjiang].shops[assembly].line[trim].takt=80s\n") !=
        std::string::npos);
  const auto dir = takt::test::scratch("capacity-out");
  const auto csv = takt::test::run_takt("capacity --out " + dir.string());
  CHECK(csv.status == 0);
  CHECK(csv.out == text.out);
  const std::string rows = takt::test::slurp(dir / "capacity.csv");
  CHECK(rows.rfind("plant,capacity,bound_per_hour,bound_per_year,station,shop,jobs_per_hour,", 0) ==
        0);
  CHECK(rows.find("\nLiangjiang,150000,") != std::string::npos);
  CHECK(rows.find(",trim,assembly,") != std::string::npos);
  CHECK(rows.find(",true\n") != std::string::npos);
  CHECK(takt::test::run_takt("capacity --out ''").status == 2);
}

TEST_CASE("Ramps that raise output, ordered mixes and spared changeovers stay under the bound") {
  // Each of these built 1.5 to 3.5 times its bound before (a hostile test's cases): the bound
  // charged changeovers a batch store or levelled copies spare, took the mix from `products`
  // when orders by product set it, and left out ramps that raise output.
  const std::string two = "    products: {A: .5, B: .5}\n";
  const std::vector<std::string> cases{
      // a batch store takes blocks of one product: few changeovers
      "scenario: batch\nstart: 2023-01-02\nhorizon: 10d\nwarmup: 1d\nreplications: 2\nplants:\n"
      "  - name: P\n    capacity: 100000\n" +
          two +
          "    shops: [{name: s, line: [{station: src, cycle: 10s}, {store: pbs, lanes: 4, "
          "lane_capacity: 20, take: batch, block: 10}, {station: paint, cycle: 1min, "
          "changeover: 5min}]}]\n",
      // levelled release over two copies: each copy sees one product
      "scenario: levelled\nstart: 2023-01-02\nhorizon: 10d\nwarmup: 1d\nreplications: 2\n"
      "plants:\n  - name: P\n    capacity: 100000\n" +
          two +
          "    product_order: levelled\n    shops:\n"
          "      - {name: r, line: [{station: rel, cycle: 10s}, {buffer: feed, capacity: 10}]}\n"
          "      - {name: s, lines: 2, line: [{station: paint, cycle: 1min, changeover: 1min}]}\n",
      // a speed ramp at twice the nominal speed
      line("          - station: m\n            cycle: 1min\n            ramp_up: {start: "
           "2023-01-02, curve: table, table: [[0, 2], [12, 2]]}\n"),
      // an availability ramp at ten times the times to failure
      line("          - station: m\n            cycle: 1min\n            failures: {mtbf: 1h, "
           "mttr: 1h}\n            ramp_up: {start: 2023-01-02, curve: table, table: [[0, 10], "
           "[12, 10]], applies_to: [availability]}\n"),
      // levelled release, reordered by two servers before the single-copy station
      "scenario: reordered\nstart: 2023-01-02\nhorizon: 10d\nwarmup: 1d\nreplications: 3\n"
      "plants:\n  - name: P\n    capacity: 100000\n" +
          two +
          "    product_order: levelled\n    shops: [{name: s, line: [{station: pre, servers: 2, "
          "cycle: exponential(1min)}, {buffer: q, capacity: 20}, {station: paint, cycle: 1min, "
          "changeover: 1min}]}]\n",
      // a mature yield of 1 sends nothing back
      line("          - station: a\n            cycle: 1min\n          - station: b\n"
           "            cycle: 1min\n            routes: [{to: b, share: .5, rework: true}]\n"
           "            ramp_up: {start: 2023-01-02, curve: table, table: [[0, 1], [12, 1]], "
           "applies_to: [yield]}\n"),
      // orders by product for the fast product only
      "scenario: ordered\nstart: 2023-01-01\nend: 2023-01-31\nwarmup: 1d\nreplications: 2\n"
      "plants:\n  - name: P\n    capacity: 100000\n" +
          two +
          "    orders: [{month: 2023-01, vehicles: {A: 1000000, B: 0}}]\n"
          "    shops: [{name: s, line: [{station: a, cycle: {A: 30s, B: 3min}}]}]\n"};
  for (const std::string& yaml : cases) check_below_bound(load_scenario(yaml, "inline.yaml"));
}
