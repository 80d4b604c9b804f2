// `takt sensitivity` on sweeps with a known answer: a synthetic grid whose annual rate is an
// exact linear function of two factors (R^2 = 1, coefficients known), with a third factor
// that is not a number; and the command on a real sweep folder.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "../../models/run/point_record.hpp"
#include "cli_fixture.hpp"
#include "takt/run/sensitivity.hpp"

namespace fs = std::filesystem;
using takt::test::run_takt;
using takt::test::scratch;

namespace {

// A whole sweep's folder (its manifest says how many points it ran, and what it ran:
// "outcome") without its points yet.
fs::path sweep_folder(const std::string& name, const std::string& id, std::size_t points) {
  const fs::path dir = scratch(name);
  fs::create_directories(dir / "points");
  std::ofstream(dir / "manifest.json")
      << "{\n  \"sweep\": \"" << id << "\",\n  \"sweep_id\": \"" << id
      << "\",\n  \"design\": \"grid\",\n  \"points\": " << points << ",\n  \"outcome\": {}\n}\n";
  return dir;
}

// Saves point `point` with these factor values: two replications of plant P at `annual_rate`,
// whose months to 80 % and 90 % are never reached (no value).
void save_point(const fs::path& dir, const std::string& id, std::size_t point,
                std::vector<std::pair<std::string, std::string>> factors, double annual_rate) {
  takt::run::detail::PointRecord p;
  p.sweep_id = id;
  p.point = point;
  p.factors = std::move(factors);
  takt::run::detail::RunRecord r;
  r.annual_rate = annual_rate;
  r.capacity_ratio = annual_rate / 2000;
  r.months_to_80 = r.months_to_90 = -1;
  p.plants.push_back({"P", {r, r}});
  char name[32];
  std::snprintf(name, sizeof name, "%06zu.point", point);
  std::ofstream(dir / "points" / name) << takt::run::detail::to_text(p);
}

// A grid over x1 in {0, 1, 2} and x2 in {60s, 2min} (and a distribution that does not matter):
// two replications per point, annual rate 1000 + 200 x1 - 300 x2 in both.
fs::path synthetic_sweep() {
  const fs::path dir = sweep_folder("sensitivity-synthetic", "syn", 6);
  std::size_t point = 0;
  for (int x1 = 0; x1 <= 2; ++x1) {
    for (int x2 = 0; x2 <= 1; ++x2) {
      // A duration in mixed units counts as its seconds: 60 and 120.
      save_point(dir, "syn", point++,
                 {{"a.x1", std::to_string(x1)},
                  {"a.x2", x2 == 0 ? "60s" : "2min"},
                  {"a.cycle", x1 == 1 ? "exponential(1min)" : "exponential(2min)"}},
                 1000 + 200 * x1 - 300 * x2);
    }
  }
  return dir;
}

}  // namespace

TEST_CASE("Sensitivity recovers the coefficients of an exact linear response") {
  const takt::run::SensitivityResult r = takt::run::analyze_sweep(synthetic_sweep());
  CHECK(r.points == 6);
  CHECK(r.design == "grid");
  const takt::run::FigureSensitivity& f = r.figures.at(0);
  CHECK(f.figure == "annual_rate");
  CHECK(f.runs == 12);
  REQUIRE(f.has_r_squared);
  CHECK(f.r_squared == doctest::Approx(1.0));
  // src_j = b_j sd(x_j) / sd(y) over the 12 runs: sd(x1) = sqrt(8/11), sd(x2) = sqrt(3/11),
  // var(y) = 200^2 var(x1) + 300^2 var(x2) (the grid's factors are uncorrelated).
  const double sd1 = std::sqrt(8.0 / 11), sd2 = std::sqrt(3.0 / 11);
  const double sdy = std::sqrt(200.0 * 200 * 8 / 11 + 300.0 * 300 * 3 / 11);
  REQUIRE(f.factors.size() == 3);
  CHECK(f.factors[0].path == "a.x1");  // ranked by |src|: 200 sd1 > 300 sd2
  CHECK(f.factors[0].src == doctest::Approx(200 * sd1 / sdy));
  CHECK(f.factors[1].path == "a.x2");
  CHECK(f.factors[1].src == doctest::Approx(-300 * sd2 / sdy));
  // The distribution has no coefficient; its main effect is what x1 = 1 alone brings.
  CHECK(f.factors[2].path == "a.cycle");
  CHECK_FALSE(f.factors[2].has_src);
  CHECK(f.factors[0].main_effect == doctest::Approx(400));
  CHECK(f.factors[1].main_effect == doctest::Approx(300));
  // Months never reached have no value to explain.
  CHECK(r.figures.at(2).figure == "months_to_80");
  CHECK(r.figures.at(2).runs == 0);
}

TEST_CASE("In a grid a factor that is not a number ranks by its main effect like the others") {
  // A calendar that moves the rate by 500 and a count that moves it by 10: ranked by |SRC|
  // first, the calendar (no number, no SRC) came last.
  const fs::path dir = sweep_folder("sensitivity-calendar", "cal", 4);
  std::size_t point = 0;
  for (const char* calendar : {"two-shift", "three-shift"}) {
    for (int servers = 1; servers <= 2; ++servers) {
      save_point(dir, "cal", point++,
                 {{"a.servers", std::to_string(servers)}, {"a.calendar", calendar}},
                 1000 + 10 * servers + (std::string(calendar) == "three-shift" ? 500 : 0));
    }
  }
  const takt::run::SensitivityResult result = takt::run::analyze_sweep(dir);
  const takt::run::FigureSensitivity& f = result.figures.at(0);
  REQUIRE(f.factors.size() == 2);
  CHECK(f.factors[0].path == "a.calendar");
  CHECK(f.factors[0].main_effect == doctest::Approx(500));
  CHECK(f.factors[1].path == "a.servers");
  CHECK(f.factors[1].has_src);
}

TEST_CASE("takt sensitivity on a sweep folder: text, JSON, CSV, and a folder that is not one") {
  const fs::path dir = scratch("sensitivity-cli"), out = scratch("sensitivity-out");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --out '" + dir.string() + "'").status == 0);
  const auto text = run_takt("sensitivity '" + dir.string() + "' --out '" + out.string() + "'");
  CHECK(text.status == 0);
  CHECK(text.out.find("sweep small-grid (grid, 6 points)") != std::string::npos);
  // More places in the buffer raise the rate: a positive coefficient, ranked first.
  CHECK(text.out.find("line annual_rate (12 runs, R^2 ") != std::string::npos);
  CHECK(text.out.find("  plants[line].shops[shop].line[B1].capacity: src 0.") != std::string::npos);
  const std::string csv = takt::test::slurp(out / "sensitivity.csv");
  CHECK(csv.rfind("sweep,plant,figure,factor,measure,value\n", 0) == 0);
  CHECK(csv.find(",line,annual_rate,plants[line].shops[shop].line[B1].capacity,src,") !=
        std::string::npos);
  const auto json = run_takt("sensitivity '" + dir.string() + "' --format json");
  CHECK(json.status == 0);
  CHECK(json.out.find("\"r_squared\": ") != std::string::npos);
  const auto wrong = run_takt("sensitivity tests");
  CHECK(wrong.status == 2);
  CHECK(wrong.err.find("holds no finished sweep") != std::string::npos);
  // A damaged point is named: the message alone left the planner to open every file.
  const fs::path point = dir / "points" / "000004.point";
  std::string saved = takt::test::slurp(point);
  REQUIRE(saved.size() > 40);
  saved.resize(saved.size() / 2);
  std::ofstream(point, std::ios::trunc) << saved;
  const auto damaged = run_takt("sensitivity '" + dir.string() + "'");
  INFO(damaged.err);
  CHECK(damaged.status == 2);
  CHECK(damaged.err.find(point.string() + ": a saved sweep point is damaged (") !=
        std::string::npos);
  // One that cannot be read is named once, by the reading's own error.
  fs::remove(point);
  fs::create_directory(point);
  const auto unreadable = run_takt("sensitivity '" + dir.string() + "'");
  INFO(unreadable.err);
  CHECK(unreadable.status == 2);
  CHECK(unreadable.err.find(point.string()) != std::string::npos);
  CHECK(unreadable.err.find(point.string()) == unreadable.err.rfind(point.string()));
}

TEST_CASE(
    "takt sensitivity refuses a sweep that is not whole, and a new sweep drops the old ranking") {
  // One shard of two: a manifest and saved points, but half of them.
  const fs::path shard = scratch("sensitivity-shard");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --shard 2/2 --out '" + shard.string() + "'")
              .status == 0);
  const auto part = run_takt("sensitivity '" + shard.string() + "'");
  CHECK(part.status == 2);
  CHECK(part.err.find("is not whole (3 of 6 points saved)") != std::string::npos);
  // A sweep killed after its first point (sweep.json and manifest.json take the first four
  // writing steps, the point the next two).
  const fs::path killed = scratch("sensitivity-killed");
  CHECK(run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + killed.string() + "'",
                 "TAKT_TEST_KILL_AT=6")
            .status == 128 + 9);
  const auto stopped = run_takt("sensitivity '" + killed.string() + "'");
  CHECK(stopped.status == 2);
  CHECK(stopped.err.find("is not whole (1 of 6 points saved)") != std::string::npos);
  // Finished, it is ranked; a new sweep into the folder (not --resume) removes the ranking of
  // the old points, which would otherwise sit beside the new tables.
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --resume --out '" + killed.string() + "'")
              .status == 0);
  REQUIRE(
      run_takt("sensitivity '" + killed.string() + "' --out '" + killed.string() + "'").status ==
      0);
  REQUIRE(fs::exists(killed / "sensitivity.csv"));
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --set horizon=20d --out '" +
                   killed.string() + "'")
              .status == 0);
  CHECK_FALSE(fs::exists(killed / "sensitivity.csv"));
}
