// Diagnostics print in the compiler's format, sort by position and suggest near-miss names.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "takt/scenario/diagnostics.hpp"

using takt::scenario::closest_match;
using takt::scenario::Diagnostic;
using takt::scenario::Diagnostics;
using takt::scenario::Location;
using takt::scenario::ScenarioError;

TEST_CASE("A diagnostic prints as file, 1-based line and column, path and message") {
  const Diagnostic d{Location{"plant.yaml", 14, 17}, "stations[2].cycle",
                     "expected a duration like \"55s\", got \"abc\""};
  CHECK(
      d.to_string() ==
      "plant.yaml:14:17: error: stations[2].cycle: expected a duration like \"55s\", got \"abc\"");
}

TEST_CASE("A diagnostic leaves out an empty path and an unknown position") {
  CHECK(Diagnostic{Location{"plant.yaml", 3, 1}, "", "file is empty"}.to_string() ==
        "plant.yaml:3:1: error: file is empty");
  CHECK(Diagnostic{Location{"plant.yaml", 0, 0}, "", "file is empty"}.to_string() ==
        "plant.yaml: error: file is empty");
  CHECK(
      Diagnostic{Location{"--set", 0, 0}, "plants[x]", "no item named 'x' in plants"}.to_string() ==
      "--set: error: plants[x]: no item named 'x' in plants");
  CHECK(Diagnostic{Location{"plant.yaml", 7, 0}, "a", "b"}.to_string() ==
        "plant.yaml:7: error: a: b");
}

TEST_CASE("Collected diagnostics are thrown once, sorted by file, line and column") {
  Diagnostics diagnostics;
  CHECK_NOTHROW(diagnostics.throw_if_errors());
  CHECK_FALSE(diagnostics.has_errors());
  diagnostics.error(Location{"b.yaml", 1, 1}, "", "fourth");
  diagnostics.error(Location{"a.yaml", 9, 2}, "x", "third");
  diagnostics.error(Location{"a.yaml", 3, 5}, "", "first");
  diagnostics.error(Location{"a.yaml", 3, 5}, "", "second, same place, reported later");
  CHECK(diagnostics.has_errors());
  CHECK(diagnostics.all().size() == 4);
  CHECK(diagnostics.all().front().message == "fourth");  // all() keeps the reported order

  try {
    diagnostics.throw_if_errors();
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "a.yaml:3:5: error: first\n"
          "a.yaml:3:5: error: second, same place, reported later\n"
          "a.yaml:9:2: error: x: third\n"
          "b.yaml:1:1: error: fourth");
    REQUIRE(e.diagnostics().size() == 4);
    CHECK(e.diagnostics()[2].path == "x");
  }
}

TEST_CASE("The same diagnostic reported twice is kept once") {
  Diagnostics diagnostics;
  diagnostics.error(Location{"p.yaml", 2, 3}, "a", "expected a mapping, got \"x\"");
  diagnostics.error(Location{"p.yaml", 2, 3}, "a", "expected a mapping, got \"x\"");
  diagnostics.error(Location{"p.yaml", 2, 3}, "b", "expected a mapping, got \"x\"");
  CHECK(diagnostics.all().size() == 2);
}

TEST_CASE("The closest match allows about one edit per three letters") {
  const std::vector<std::string> keys{"name", "cycle", "capacity", "failures", "setup"};
  CHECK(closest_match("cycel", keys) == "cycle");  // a swap of neighbours is one edit
  CHECK(closest_match("capacty", keys) == "capacity");
  CHECK(closest_match("CYCLE", keys) == "cycle");  // case does not count
  CHECK(closest_match("failurs", keys) == "failures");
  CHECK(closest_match("nam", keys) == "name");  // short words still get one edit
  CHECK(closest_match("colour", keys).empty());
  CHECK(closest_match("cap", keys).empty());  // 5 edits from "capacity"
  CHECK(closest_match("anything", {}).empty());
}

TEST_CASE("The closest match prefers the nearest candidate, then the earlier one") {
  CHECK(closest_match("wbs1", {"wbs", "wbs1x", "pbs1"}) == "wbs");
  CHECK(closest_match("ab", {"ax", "ay"}) == "ax");
  CHECK(closest_match("paint", {"b_paint", "paint_shop", "paint"}) == "paint");
}

TEST_CASE("Thousands of errors are cut to the first hundred and a count of the rest") {
  Diagnostics diagnostics;
  for (int i = 0; i < 100000; ++i)
    diagnostics.error({"big.yaml", i + 1, 1}, "", "unknown key 'k" + std::to_string(i) + "'");
  CHECK(diagnostics.count() == 100000);
  try {
    diagnostics.throw_if_errors();
    FAIL("nothing thrown");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 101);
    CHECK(e.diagnostics()[99].to_string() == "big.yaml:100:1: error: unknown key 'k99'");
    CHECK(e.diagnostics()[100].to_string() ==
          "big.yaml: error: and 99900 more errors (the first 100 are shown)");
  }
}

TEST_CASE("No suggestion is sought for very long words or among very many names") {
  const std::string long_word(65, 'a');
  CHECK(closest_match(long_word, {std::string(64, 'a')}).empty());
  CHECK(closest_match(std::string(64, 'a'), {std::string(63, 'a')}) == std::string(63, 'a'));
  std::vector<std::string> many(10001, "cycle");
  CHECK(closest_match("cycel", many).empty());
  many.pop_back();
  CHECK(closest_match("cycel", many) == "cycle");
}
