// `takt compare`: paired differences by common random numbers. A change that cannot matter
// differs by exactly 0 in every replication, a change with a known effect on a deterministic
// line gives exactly that effect, and pairing narrows the interval of a real change.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_fixture.hpp"
#include "takt/run/compare.hpp"
#include "takt/scenario/scenario.hpp"

using takt::run::ComparedFigure;
using takt::run::Comparison;
using takt::run::comparison_csv;
using takt::run::comparison_json;
using takt::run::comparison_text;
using takt::scenario::load_scenario;

namespace {

std::string line(const std::string& items) {
  return "scenario: t\nstart: 2023-01-02\nhorizon: 20d\nwarmup: 1d\nreplications: 8\nplants:\n"
         "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n" +
         items;
}

// The first buffer can fill; the second never holds a job (the 10 s station is always free).
std::string two_buffers(int first, int second) {
  return line(
      "          - station: M1\n            cycle: exponential(1min)\n"
      "          - buffer: b1\n            capacity: " +
      std::to_string(first) +
      "\n          - station: M2\n            cycle: 1min\n"
      "          - buffer: b2\n            capacity: " +
      std::to_string(second) + "\n          - station: M3\n            cycle: 10s\n");
}

// Two plants of two exponential stations, 10 days: a test changes Q's buffer, so P is alike.
std::string two_plants() {
  return "scenario: t\nstart: 2023-01-02\nhorizon: 10d\nwarmup: 1d\nreplications: 4\nplants:\n"
         "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
         "          - station: M1\n            cycle: exponential(1min)\n"
         "          - buffer: b1\n            capacity: 2\n"
         "          - station: M2\n            cycle: exponential(1min)\n"
         "  - name: Q\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
         "          - station: M1\n            cycle: exponential(1min)\n"
         "          - buffer: b1\n            capacity: 1\n"
         "          - station: M2\n            cycle: exponential(1min)\n";
}

Comparison compare_yaml(const std::string& a, const std::string& b) {
  return takt::run::compare(load_scenario(a, "a.yaml"), load_scenario(b, "b.yaml"), "a", "b",
                            {0, std::nullopt, 1, false, std::nullopt, std::nullopt});
}

const ComparedFigure& figure(const Comparison& c, const std::string& name) {
  const auto it = std::find_if(c.figures.begin(), c.figures.end(),
                               [&](const ComparedFigure& f) { return f.figure == name; });
  REQUIRE(it != c.figures.end());
  return *it;
}

}  // namespace

TEST_CASE("A change that cannot matter differs by exactly 0 in every replication") {
  const Comparison c = compare_yaml(two_buffers(1, 1), two_buffers(1, 5));
  REQUIRE(c.figures.size() == 7);  // annual output, output, output 2023, WIP, lead time, months
  for (const ComparedFigure& f : c.figures) {
    CAPTURE(f.figure);
    CHECK(f.differences == std::vector<double>(8, 0.0));
  }
  // Pairing removed all of the variation between the arms.
  CHECK(figure(c, "annual output").variance_reduction == 1.0);
  CHECK(figure(c, "annual output").independent_half_width > 0);
}

TEST_CASE("A change with a known effect on a deterministic line gives exactly that effect") {
  // A 60 s station feeding a 30 s one builds one a minute; at 30 s it builds two.
  const auto deterministic = [](const std::string& first) {
    return line("          - station: A\n            cycle: " + first +
                "\n          - buffer: b\n            capacity: 1\n"
                "          - station: B\n            cycle: 30s\n");
  };
  const Comparison c = compare_yaml(deterministic("60s"), deterministic("30s"));
  const ComparedFigure& annual = figure(c, "annual output");
  CHECK(annual.a.mean == doctest::Approx(60 * 8760).epsilon(1e-4));
  CHECK(annual.difference.mean == doctest::Approx(60 * 8760).epsilon(1e-4));
  CHECK(annual.difference.stddev == doctest::Approx(0).epsilon(1e-9));
  // 19 days after the warm-up: 27,360 more vehicles, give or take one by where the jobs fall.
  CHECK(std::abs(figure(c, "output").difference.mean - 19 * 24 * 60) <= 1);
  CHECK_FALSE(figure(c, "annual output").has_reduction);  // neither arm varies
}

TEST_CASE("Pairing narrows the interval of a real change") {
  const Comparison c = compare_yaml(two_buffers(1, 1), two_buffers(2, 1));
  const ComparedFigure& annual = figure(c, "annual output");
  CHECK(annual.difference.ci_low > 0);  // a second place before the fixed station helps
  const double paired = (annual.difference.ci_high - annual.difference.ci_low) / 2;
  CHECK(paired < annual.independent_half_width);
  CHECK(annual.variance_reduction > 0);
}

TEST_CASE("takt compare: two files or --change, CSV and JSON, mistakes exit 2") {
  const auto dir = takt::test::scratch("compare-cli");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << two_buffers(1, 1);
  std::ofstream(dir / "b.yaml") << two_buffers(2, 1);
  const std::string a = (dir / "a.yaml").string(), b = (dir / "b.yaml").string();
  const auto files =
      takt::test::run_takt("compare " + a + " " + b + " -r 4 -j 1 --out " + (dir / "out").string());
  REQUIRE(files.status == 0);
  CHECK(files.out.find("  B: " + b + "\n") != std::string::npos);
  CHECK(files.out.find("\nP      annual output  ") != std::string::npos);
  // Columns as wide as their widest cell: every line of the table is as long as its header.
  const std::size_t table = files.out.find("\nplant");
  REQUIRE(table != std::string::npos);
  const std::size_t width = files.out.find('\n', table + 1) - table;
  int rows = 0;
  for (std::size_t at = files.out.find('\n', table + 1); files.out.compare(at + 1, 2, "P ") == 0;
       ++rows) {
    const std::size_t end = files.out.find('\n', at + 1);
    CHECK(end - at == width);
    at = end;
  }
  CHECK(rows >= 5);
  // B runs A's seed and count: an edit of them is refused, not ignored.
  const auto seed = takt::test::run_takt("compare " + a + " --change 'seed =7'");
  CHECK(seed.status == 2);
  CHECK(seed.err.find("--change seed: both arms run A's seed and replications") !=
        std::string::npos);
  // Both arms measure one window: a change of it, or a B over another, is refused.
  const auto window = takt::test::run_takt("compare " + a + " --change horizon=10d");
  CHECK(window.status == 2);
  CHECK(window.err.find("--change horizon: B would measure another window than A") !=
        std::string::npos);
  {
    std::string text = takt::test::slurp(dir / "a.yaml");
    const std::size_t at = text.find("horizon: ");
    REQUIRE(at != std::string::npos);
    text.replace(at, text.find('\n', at) - at, "horizon: 12d");
    std::ofstream(dir / "short.yaml") << text;
  }
  const auto windows = takt::test::run_takt("compare " + a + " " + (dir / "short.yaml").string());
  CHECK(windows.status == 2);
  CHECK(windows.err.find("measures another window than") != std::string::npos);
  const auto changed = takt::test::run_takt(
      "compare " + a + " --change 'plants[P].shops[s].line[b1].capacity=2' -r 4 -j 1");
  REQUIRE(changed.status == 0);
  // The same B either way: the tables agree below their headers.
  CHECK(changed.out.substr(changed.out.find("\n4 replications")) ==
        files.out.substr(files.out.find("\n4 replications")));
  const std::string csv = takt::test::slurp(dir / "out" / "compare.csv");
  CHECK(csv.rfind("plant,figure,unit,replications,a_mean,b_mean,difference_mean,", 0) == 0);
  CHECK(csv.find("\nP,annual output,vehicles/yr,4,") != std::string::npos);
  const auto json = takt::test::run_takt("compare " + a + " " + b + " -r 4 --format json");
  CHECK(json.out.find("\"figure\": \"annual output\"") != std::string::npos);
  const auto typo =
      takt::test::run_takt("compare " + a + " --change 'plants[P].shops[s].line[b9].capacity=2'");
  CHECK(typo.status == 2);
  CHECK(typo.err.find("--change: error: plants[P].shops[s].line[b9]: no item named 'b9'") !=
        std::string::npos);
  // One replication has no spread: no interval anywhere, and no "exactly 0" either.
  const auto one =
      takt::test::run_takt("compare " + a + " " + b + " -r 1 -j 1 --out " + (dir / "one").string());
  REQUIRE(one.status == 0);
  CHECK(one.out.find("n/a (1 replication)") != std::string::npos);
  CHECK(one.out.find("exactly 0") == std::string::npos);
  CHECK(one.out.find("[") == std::string::npos);
  const std::string one_csv = takt::test::slurp(dir / "one" / "compare.csv");
  CHECK(one_csv.find("\nP,annual output,vehicles/yr,1,") != std::string::npos);
  for (std::size_t at = one_csv.find('\n'); at + 1 < one_csv.size();
       at = one_csv.find('\n', at + 1)) {
    const std::string row = one_csv.substr(at + 1, one_csv.find('\n', at + 1) - at - 1);
    std::vector<std::string> cells;
    std::stringstream in(row);
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    REQUIRE(cells.size() >= 10);
    CHECK(cells[7].empty());  // difference_ci_low
    CHECK(cells[8].empty());  // difference_ci_high
    CHECK(cells[9].empty());  // unpaired_half_width
  }
  CHECK(takt::test::run_takt("compare " + a).status == 2);
  CHECK(takt::test::run_takt("compare " + a + " " + b + " --change horizon=2d").status == 2);
  CHECK(takt::test::run_takt("compare " + a + " " + b + " " + a).status == 2);
}

TEST_CASE("Plants alike in both arms are simulated once, with the numbers of a whole run") {
  // Two plants; B changes only Q's buffer, so P is the same run in both arms.
  const std::string a = two_plants();
  const auto sa = load_scenario(a, "a.yaml");
  const auto sb = load_scenario(a, "a.yaml", {"plants[Q].shops[s].line[b1].capacity=3"});
  const Comparison c =
      takt::run::compare(sa, sb, "a", "b", {0, std::nullopt, 2, false, std::nullopt, std::nullopt});
  CHECK(c.shared_plants == std::vector<std::string>{"P"});
  // Each arm's figures are those of running it whole.
  const auto whole =
      takt::run::run_scenario(sb, {0, std::nullopt, 2, false, std::nullopt, std::nullopt});
  for (const ComparedFigure& f : c.figures) {
    if (f.figure != "output") continue;
    const auto& runs = whole.plants[f.plant == "P" ? 0 : 1].replications;
    double sum = 0;
    for (const auto& k : runs) sum += static_cast<double>(k.output);
    CHECK(f.b.mean == doctest::Approx(sum / static_cast<double>(runs.size())).epsilon(1e-12));
  }
  CHECK(figure(c, "output").differences == std::vector<double>(4, 0.0));  // P: exactly alike
}

TEST_CASE("Plants whose order files differ are not taken as alike, whatever the files' names") {
  // The same scenario text in two folders, each with its own plan.csv: the plant's tree is
  // the same, its orders are not.
  const auto dir = takt::test::scratch("orders-by-path");
  const std::string yaml =
      "scenario: t\nstart: 2023-01-01\nhorizon: 59d\nreplications: 2\nplants:\n"
      "  - name: P\n    capacity: 100000\n    orders: plan.csv\n    shops:\n      - name: s\n"
      "        line:\n          - station: M1\n            cycle: exponential(1min)\n";
  for (const auto& [folder, orders] :
       std::vector<std::pair<std::string, std::string>>{{"a", "20000"}, {"b", "100"}}) {
    std::filesystem::create_directories(dir / folder);
    std::ofstream(dir / folder / "s.yaml") << yaml;
    std::ofstream(dir / folder / "plan.csv")
        << "month,vehicles\n2023-01," << orders << "\n2023-02," << orders << "\n";
  }
  const auto sa = takt::scenario::load_scenario_file(dir / "a" / "s.yaml");
  const auto sb = takt::scenario::load_scenario_file(dir / "b" / "s.yaml");
  const Comparison c =
      takt::run::compare(sa, sb, "a", "b", {0, std::nullopt, 2, false, std::nullopt, std::nullopt});
  CHECK(c.shared_plants.empty());
  CHECK(figure(c, "output").difference.mean < -30000);
}

TEST_CASE("With a precision rule both arms run in step until each plant of each meets it") {
  // Two plants: B changes Q's first buffer, so P is alike and judged once (as A's).
  const std::string a = two_plants();
  const auto sa = load_scenario(a, "a.yaml");
  const auto sb = load_scenario(a, "a.yaml", {"plants[Q].shops[s].line[b1].capacity=3"});
  takt::scenario::PrecisionRule rule;
  rule.half_width = 0.004;
  rule.min = 3;
  rule.max = 40;
  const Comparison one =
      takt::run::compare(sa, sb, "a", "b", {0, std::nullopt, 1, false, std::nullopt, rule});
  const Comparison two =
      takt::run::compare(sa, sb, "a", "b", {0, std::nullopt, 2, false, std::nullopt, rule});
  REQUIRE(one.precision);
  const int n = one.precision->replications;
  CAPTURE(n);
  CHECK(n > rule.min);  // 0.4 % of a 10-day line takes more than the first batch
  CHECK((n - rule.min) % rule.step == 0);
  CHECK(one.precision->met);
  CHECK(one.a.replications == n);
  CHECK(one.b.replications == n);
  // A's two plants and B's Q (B's P is A's): each within the share.
  REQUIRE(one.precision->reached.size() == 3);
  CHECK(one.precision->reached[0].first == "A/P");
  CHECK(one.precision->reached[2].first == "B/Q");
  for (const auto& [plant, share] : one.precision->reached) CHECK(share <= rule.half_width);
  CHECK(comparison_json(one) == comparison_json(two));  // any thread count, the same count
  // The same pairs as a fixed count of n: the rule only chose how many.
  const Comparison fixed =
      takt::run::compare(sa, sb, "a", "b", {n, std::nullopt, 2, false, std::nullopt, std::nullopt});
  CHECK(comparison_csv(fixed) == comparison_csv(one));
  CHECK_FALSE(fixed.precision);
  CHECK(comparison_text(one).find("precision: " + std::to_string(n) +
                                  " replications (3, then steps "
                                  "of 5, at most 40) until") != std::string::npos);
}

TEST_CASE("takt compare --precision: the rule on the command line, refused beside -r") {
  const auto dir = takt::test::scratch("compare-precision");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << two_buffers(1, 1);
  const std::string a = (dir / "a.yaml").string();
  const std::string change = " --change 'plants[P].shops[s].line[b1].capacity=2'";
  const auto ruled =
      takt::test::run_takt("compare " + a + change + " --precision 50% --format json");
  REQUIRE(ruled.status == 0);
  CHECK(ruled.out.find("\"precision\": {\n    \"half_width\": 0.5,\n    \"min\": 5,") !=
        std::string::npos);
  CHECK(ruled.out.find("\"replications\": 5,") != std::string::npos);
  const auto both = takt::test::run_takt("compare " + a + change + " --precision 1% -r 4");
  CHECK(both.status == 2);
  CHECK(both.err.find("--precision chooses the replications") != std::string::npos);
}
