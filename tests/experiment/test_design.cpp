// Designs give the promised rows: grid order and counts, one Latin hypercube point per stratum,
// the known Sobol points, reproducible random draws, and clear errors for impossible designs.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "takt/experiment/design.hpp"

using takt::experiment::Design;
using takt::experiment::DesignKind;
using takt::experiment::Factor;
using Rows = std::vector<std::vector<std::string>>;

namespace {

Factor listed(std::string path, std::vector<std::string> values) {
  Factor factor;
  factor.path = std::move(path);
  factor.values = std::move(values);
  return factor;
}

Factor ranged(std::string path, double low, double high, std::string unit = "", int levels = 0) {
  Factor factor;
  factor.path = std::move(path);
  factor.range = std::make_pair(low, high);
  factor.unit = std::move(unit);
  factor.levels = levels;
  return factor;
}

Design sampled(DesignKind kind, std::size_t points, std::uint64_t seed,
               std::vector<Factor> factors) {
  Design design;
  design.kind = kind;
  design.points = points;
  design.seed = seed;
  design.factors = std::move(factors);
  return design;
}

Design grid(std::vector<Factor> factors) {
  return sampled(DesignKind::kGrid, 0, 0, std::move(factors));
}

std::string error_of(const Design& design) {
  try {
    takt::experiment::generate(design);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

// The indices of the strata [k/n, (k+1)/n) that a column's values fall into.
std::vector<std::size_t> strata(const std::vector<std::vector<double>>& rows, std::size_t factor) {
  std::vector<std::size_t> result;
  const auto n = static_cast<double>(rows.size());
  for (const auto& row : rows)
    result.push_back(static_cast<std::size_t>(std::floor(row[factor] * n)));
  std::sort(result.begin(), result.end());
  return result;
}

std::vector<std::size_t> zero_to(std::size_t n) {
  std::vector<std::size_t> result(n);
  for (std::size_t i = 0; i < n; ++i) result[i] = i;
  return result;
}

}  // namespace

TEST_CASE("A grid is the full factorial with the first factor varying slowest") {
  const Design design =
      grid({listed("buffer", {"2", "4"}), listed("cycle", {"50s", "55s", "60s"})});
  CHECK(takt::experiment::point_count(design) == 6);
  CHECK(takt::experiment::generate(design) ==
        Rows{{"2", "50s"}, {"2", "55s"}, {"2", "60s"}, {"4", "50s"}, {"4", "55s"}, {"4", "60s"}});
}

TEST_CASE("A grid over a range spreads its levels evenly with both ends included") {
  const Design design = grid({ranged("cycle", 50, 60, "s", 5), ranged("scrap", 0, 0.1, "", 3)});
  const Rows rows = takt::experiment::generate(design);
  REQUIRE(rows.size() == 15);
  std::vector<std::string> cycles;
  for (std::size_t i = 0; i < rows.size(); i += 3) cycles.push_back(rows[i][0]);
  CHECK(cycles == std::vector<std::string>{"50s", "52.5s", "55s", "57.5s", "60s"});
  CHECK(rows[0][1] == "0");
  CHECK(rows[1][1] == "0.05");
  CHECK(rows[2][1] == "0.1");
}

TEST_CASE("A Latin hypercube puts exactly one point in each stratum of each factor") {
  const Design design = sampled(DesignKind::kLatinHypercube, 97, 7,
                                {ranged("a", 0, 1), ranged("b", -5, 5), listed("c", {"x", "y"})});
  const auto rows = takt::experiment::sample_unit_cube(design);
  REQUIRE(rows.size() == 97);
  for (std::size_t f = 0; f < 3; ++f) CHECK(strata(rows, f) == zero_to(97));
  for (const auto& row : rows) {
    for (const double u : row) CHECK((u >= 0.0 && u < 1.0));
  }
}

TEST_CASE("A Latin hypercube over text levels uses each level once when points match levels") {
  const std::vector<std::string> levels{"0", "1", "2", "3", "4", "5", "6", "7"};
  const Design design = sampled(DesignKind::kLatinHypercube, 8, 3, {listed("v", levels)});
  std::vector<std::string> picked;
  for (const auto& row : takt::experiment::generate(design)) picked.push_back(row[0]);
  std::sort(picked.begin(), picked.end());
  CHECK(picked == levels);
}

TEST_CASE("A Latin hypercube is reproducible for a seed and differs for another seed") {
  const std::vector<Factor> factors{ranged("cycle", 50, 60, "s"), ranged("mttr", 1, 10)};
  const Rows first =
      takt::experiment::generate(sampled(DesignKind::kLatinHypercube, 20, 1, factors));
  CHECK(takt::experiment::generate(sampled(DesignKind::kLatinHypercube, 20, 1, factors)) == first);
  CHECK(takt::experiment::generate(sampled(DesignKind::kLatinHypercube, 20, 2, factors)) != first);
  CHECK(first[0][0].back() == 's');
}

TEST_CASE("A sampled factor's column does not change when another factor is added") {
  const Rows alone = takt::experiment::generate(
      sampled(DesignKind::kLatinHypercube, 10, 5, {ranged("cycle", 50, 60, "s")}));
  const Rows with_other = takt::experiment::generate(sampled(
      DesignKind::kLatinHypercube, 10, 5, {ranged("mttr", 1, 10), ranged("cycle", 50, 60, "s")}));
  for (std::size_t i = 0; i < 10; ++i) CHECK(with_other[i][1] == alone[i][0]);
}

// Boost's engine skips the origin and starts at (0.5, 0.5), (0.75, 0.25), ...; the design puts
// the origin back as point 0, which is the textbook Sobol sequence.
TEST_CASE("A Sobol design starts at the origin followed by Boost's 2-D Sobol points") {
  const auto rows = takt::experiment::sample_unit_cube(
      sampled(DesignKind::kSobol, 8, 0, {ranged("a", 0, 1), ranged("b", 0, 1)}));
  CHECK(rows == std::vector<std::vector<double>>{{0.0, 0.0},
                                                 {0.5, 0.5},
                                                 {0.75, 0.25},
                                                 {0.25, 0.75},
                                                 {0.375, 0.375},
                                                 {0.875, 0.875},
                                                 {0.625, 0.125},
                                                 {0.125, 0.625}});
  boost::random::sobol engine(2);
  CHECK(engine() == 0x8000000000000000ULL);  // 0.5: Boost's first point, the origin skipped
}

TEST_CASE("The first 2^m Sobol points put one point in each dyadic interval") {
  for (std::size_t m = 0; m <= 10; ++m) {
    const std::size_t n = std::size_t{1} << m;
    const auto rows = takt::experiment::sample_unit_cube(sampled(
        DesignKind::kSobol, n, 0, {ranged("a", 0, 1), ranged("b", 0, 1), ranged("c", 0, 1)}));
    for (std::size_t f = 0; f < 3; ++f) CHECK(strata(rows, f) == zero_to(n));
  }
}

TEST_CASE("Sampled values map onto ranges with their unit and onto text levels") {
  const Rows rows = takt::experiment::generate(sampled(
      DesignKind::kSobol, 4, 0, {ranged("cycle", 50, 60, "s"), listed("shift", {"2x8", "3x8"})}));
  CHECK(rows == Rows{{"50s", "2x8"}, {"55s", "3x8"}, {"57.5s", "2x8"}, {"52.5s", "3x8"}});
}

TEST_CASE("A random design is reproducible and draws from 0 up to but not including 1") {
  const std::vector<Factor> factors{ranged("a", 0, 1), ranged("b", 0, 1)};
  const auto first =
      takt::experiment::sample_unit_cube(sampled(DesignKind::kRandom, 50, 11, factors));
  CHECK(takt::experiment::sample_unit_cube(sampled(DesignKind::kRandom, 50, 11, factors)) == first);
  CHECK(takt::experiment::sample_unit_cube(sampled(DesignKind::kRandom, 50, 12, factors)) != first);
  std::set<double> distinct;
  for (const auto& row : first) {
    for (const double u : row) {
      CHECK((u >= 0.0 && u < 1.0));
      distinct.insert(u);
    }
  }
  CHECK(distinct.size() == 100);
}

TEST_CASE("Design kinds have names and parse from text") {
  using takt::experiment::design_name;
  using takt::experiment::parse_design_kind;
  for (const DesignKind kind :
       {DesignKind::kGrid, DesignKind::kLatinHypercube, DesignKind::kSobol, DesignKind::kRandom}) {
    CHECK(parse_design_kind(design_name(kind)) == kind);
  }
  CHECK(parse_design_kind("latin-hypercube") == DesignKind::kLatinHypercube);
  CHECK(design_name(DesignKind::kLatinHypercube) == "lhs");
  CHECK_FALSE(parse_design_kind("Grid").has_value());
  CHECK_FALSE(parse_design_kind("").has_value());
}

TEST_CASE("Impossible designs are rejected with a message naming the factor") {
  Factor bare;
  bare.path = "stations.paint.cycle";
  CHECK(error_of(grid({bare})) == "factor 'stations.paint.cycle' has neither values nor a range");
  CHECK(error_of(grid({listed("", {"1"})})) == "factor 1 has an empty path");
  CHECK(error_of(grid({listed("a", {"1"}), listed("a", {"2"})})) == "factor 'a' appears twice");
  CHECK(error_of(grid({ranged("cycle", 50, 60, "s")})) ==
        "factor 'cycle': a grid over a range needs levels >= 2, got 0");
  CHECK(error_of(grid({ranged("cycle", 50, 60, "s", 1)})) ==
        "factor 'cycle': a grid over a range needs levels >= 2, got 1");
  CHECK(error_of(grid({ranged("cycle", 60, 50, "s", 3)})) ==
        "factor 'cycle': range [60, 50] is empty; low must be below high");
  CHECK(error_of(grid({ranged("cycle", 0, INFINITY, "s", 3)})) ==
        "factor 'cycle': range [0, inf] has a bound that is not a finite number");
  Factor both = ranged("cycle", 50, 60, "s", 3);
  both.values = {"55s"};
  CHECK(error_of(grid({both})) == "factor 'cycle' has both values and a range; give one of them");
  CHECK(error_of(grid({})) == "a design needs at least one factor");
  CHECK(error_of(sampled(DesignKind::kLatinHypercube, 0, 1, {ranged("a", 0, 1)})) ==
        "lhs design needs points >= 1, got 0");
  CHECK(error_of(sampled(DesignKind::kRandom, 2'000'000, 1, {ranged("a", 0, 1)})) ==
        "random design asks for 2000000 points, more than the limit of 1000000");
  CHECK(error_of(grid({ranged("a", 0, 1, "", 1000), ranged("b", 0, 1, "", 1001)})) ==
        "grid design would have more than 1000000 points; use fewer levels or a sampled design");
  CHECK_NOTHROW(
      takt::experiment::validate(grid({ranged("a", 0, 1, "", 1000), ranged("b", 0, 1, "", 1000)})));
  CHECK_THROWS_AS(takt::experiment::sample_unit_cube(grid({listed("a", {"1"})})),
                  std::invalid_argument);
}

TEST_CASE("A stepped range gives only its lattice's values, each as often as a design allows") {
  // A count (servers, places) swept by a Latin hypercube: 8 strata over 4 whole values put
  // two points on each, where a continuous range gave fractions every point refused.
  Factor servers = ranged("servers", 1, 4);
  servers.step = 1;
  const Design lhs = sampled(DesignKind::kLatinHypercube, 8, 5, {servers});
  std::vector<std::string> picked;
  for (const auto& row : takt::experiment::generate(lhs)) picked.push_back(row[0]);
  std::sort(picked.begin(), picked.end());
  CHECK(picked == std::vector<std::string>{"1", "1", "2", "2", "3", "3", "4", "4"});
  // A grid takes the whole lattice; a top end off the lattice is not a value.
  Factor cycle = ranged("cycle", 50, 61, "s");
  cycle.step = 2.5;
  CHECK(takt::experiment::generate(grid({cycle})) ==
        Rows{{"50s"}, {"52.5s"}, {"55s"}, {"57.5s"}, {"60s"}});
  Factor share = ranged("share", 0, 0.3);
  share.step = 0.1;  // 0.3 / 0.1 is 2.9999999999999996 in doubles: the top end still counts
  CHECK(takt::experiment::point_count(grid({share})) == 4);
  const Design sobol = sampled(DesignKind::kSobol, 16, 0, {servers});
  for (const auto& row : takt::experiment::generate(sobol)) {
    CHECK((row[0] == "1" || row[0] == "2" || row[0] == "3" || row[0] == "4"));
  }
}

TEST_CASE("A step that leaves no choice, or meets levels, is refused with the factor's name") {
  Factor wide = ranged("servers", 1, 2);
  wide.step = 5;
  CHECK(error_of(sampled(DesignKind::kRandom, 3, 1, {wide})) ==
        "factor 'servers': step 5 leaves one value in the range; give a smaller step or a wider "
        "range");
  Factor fine = ranged("servers", 0, 1);
  fine.step = 1e-7;
  CHECK(error_of(sampled(DesignKind::kRandom, 3, 1, {fine})) ==
        "factor 'servers': step 1e-07 cuts the range into more than 1000000 values; give a larger "
        "step");
  Factor both = ranged("servers", 1, 4, "", 4);
  both.step = 1;
  CHECK(error_of(grid({both})) == "factor 'servers': give levels or step, not both");
  Factor negative = ranged("servers", 1, 4);
  negative.step = -1;
  CHECK(error_of(grid({negative})) == "factor 'servers': step -1 is not a positive number");
}
