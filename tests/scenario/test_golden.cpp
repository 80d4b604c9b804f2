// Golden outputs: every scenario of the repository (at a reduced horizon) gives the
// summary.json and stations.csv checked in under tests/golden/, byte for byte. A refactoring
// changes none of them; tools/golden.sh regenerates them when the numbers move on purpose.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_fixture.hpp"
#include "takt/scenario/sweep.hpp"

namespace fs = std::filesystem;
using takt::test::run_takt;
using takt::test::scratch;
using takt::test::slurp;

namespace {

// (name, arguments) of tests/golden/cases.txt.
std::vector<std::pair<std::string, std::string>> golden_cases() {
  std::ifstream in(std::string(TAKT_SOURCE_DIR) + "/tests/golden/cases.txt");
  std::vector<std::pair<std::string, std::string>> cases;
  for (std::string line; std::getline(in, line);) {
    const std::size_t bar = line.find('|');
    if (line.empty() || line[0] == '#' || bar == std::string::npos) continue;
    cases.emplace_back(line.substr(0, bar), line.substr(bar + 1));
  }
  return cases;
}

// "line N: expected ... / got ..." for the first line that differs.
std::string first_difference(const std::string& expected, const std::string& got) {
  std::istringstream a(expected), b(got);
  std::string x, y;
  for (int n = 1;; ++n) {
    const bool more_a = static_cast<bool>(std::getline(a, x));
    const bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "same lines, different bytes";
    if (x != y || more_a != more_b)
      return "line " + std::to_string(n) + ": expected \"" + x + "\", got \"" + y + "\"";
  }
}

}  // namespace

TEST_CASE("Every scenario gives its golden summary and station table byte for byte") {
  const auto cases = golden_cases();
  REQUIRE(cases.size() >= 11);
  for (const auto& [name, args] : cases) {
    INFO("golden case " << name << ": takt " << args);
    const fs::path out = scratch("golden-" + name);
    const auto r = run_takt(args + " --out '" + out.string() + "'");
    REQUIRE(r.status == 0);
    for (const char* file : {"summary.json", "stations.csv"}) {
      const fs::path golden = fs::path(TAKT_SOURCE_DIR) / "tests/golden" / name / file;
      INFO(file << " (regenerate with tools/golden.sh if the change is meant)");
      REQUIRE(fs::exists(golden));
      const std::string expected = slurp(golden), got = slurp(out / file);
      CHECK_MESSAGE(expected == got, first_difference(expected, got));
    }
  }
}

TEST_CASE("Every scenario file of the repository has a golden case") {
  std::string listed;
  for (const auto& [name, args] : golden_cases()) listed += " " + args + " ";
  std::vector<fs::path> files;
  const fs::path root = TAKT_SOURCE_DIR;
  for (const char* dir : {"scenarios", "tools/bench"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (e.path().extension() != ".yaml" || takt::scenario::is_sweep_file(e.path()) ||
          takt::scenario::is_holiday_file(e.path()))
        continue;
      files.push_back(e.path().lexically_relative(root));
    }
  }
  CHECK(files.size() >= 7);
  for (const fs::path& f : files) {
    INFO(f.string());
    // seres.yaml is the built-in scenario: `run` without a file runs it.
    if (f == "scenarios/seres.yaml") continue;
    CHECK(listed.find(" " + f.string() + " ") != std::string::npos);
  }
}
