// The takt program as a planner uses it: exit codes, messages, output files, and outputs that
// are byte-identical whatever the thread count.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

using takt::test::scratch;
using takt::test::slurp;
using Result = takt::test::CliResult;

using takt::test::run_takt;

TEST_CASE("validate accepts good files and rejects bad ones with exit code 2") {
  const Result good = run_takt("validate scenarios/seres.yaml tests/data/analytic/paint_loop.yaml");
  CHECK(good.status == 0);
  CHECK(good.out ==
        "scenarios/seres.yaml: ok (3 plants)\ntests/data/analytic/paint_loop.yaml: ok (1 plant)\n");
  const Result bad = run_takt("validate tests/data/bad/unknown_key.yaml");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("tests/data/bad/unknown_key.yaml:11:13: error: plants[Demo].shops[weld]."
                     "line[framing]: unknown key 'cycel' (did you mean 'cycle'?)") !=
        std::string::npos);
  CHECK(run_takt("validate does/not/exist.yaml").status == 2);
}

TEST_CASE("run writes its six files, and one or two threads give the same bytes") {
  const fs::path one = scratch("jobs1"), two = scratch("jobs2");
  const std::string file = "tests/data/analytic/two_machines_b3.yaml --replications 4";
  REQUIRE(run_takt("run " + file + " --jobs 1 --out '" + one.string() + "'").status == 0);
  REQUIRE(run_takt("run " + file + " --jobs 2 --out '" + two.string() + "'").status == 0);
  for (const char* name :
       {"summary.json", "results.csv", "monthly.csv", "stations.csv", "flows.csv"}) {
    INFO(name);
    CHECK(!slurp(one / name).empty());
    CHECK(slurp(one / name) == slurp(two / name));
  }
  const std::string manifest = slurp(one / "manifest.json");
  CHECK(manifest.find("\"scenario_hash\"") != std::string::npos);
  CHECK(manifest.find("\"seed\": 1") != std::string::npos);
  CHECK(slurp(one / "results.csv")
            .rfind("run,scenario,edits,replication,plant,entity,metric,value,unit\n", 0) == 0);
  int leftovers = 0;
  for (const auto& e : fs::directory_iterator(one)) {
    const std::string name = e.path().filename().string();
    leftovers += name[0] == '.' && name != ".takt.lock" ? 1 : 0;
  }
  CHECK(leftovers == 0);
}

TEST_CASE("--set changes a value by its key path and --format json prints the summary") {
  // Without the buffer the two machines run at 2/3 per minute = 40 per hour.
  const Result r = run_takt(
      "run tests/data/analytic/two_machines_b3.yaml --replications 2 --format json "
      "--set 'plants[line].shops[shop].line[B1].capacity=0'");
  REQUIRE(r.status == 0);
  const std::string key = "\"throughput_per_hour\": {\"mean\": ";
  const auto at = r.out.find(key);
  REQUIRE(at != std::string::npos);
  const double jph = std::atof(r.out.c_str() + at + key.size());
  CHECK(jph > 39.0);
  CHECK(jph < 41.0);
}

TEST_CASE("Bad options and bad overrides exit with code 2 and say why") {
  const Result bad_set =
      run_takt("run tests/data/analytic/two_machines_b3.yaml --set 'plants[lin].capacity=5'");
  CHECK(bad_set.status == 2);
  CHECK(bad_set.err.find(
            "--set: error: plants[lin]: no item named 'lin' in plants (did you mean 'line'?)") !=
        std::string::npos);
  CHECK(run_takt("run --format xml").status == 2);
  CHECK(run_takt("frobnicate").status == 2);
}

TEST_CASE("A deadlock is a run-time error with exit code 1 in the plant's words") {
  const fs::path out = scratch("deadlocked") / "new";
  const fs::path kept = scratch("deadlocked-empty");
  fs::create_directories(kept);
  fs::create_directories(out.parent_path());
  const Result r = run_takt("run tests/data/deadlock.yaml --out '" + out.string() + "'");
  CHECK(r.status == 1);
  CHECK(r.err.find("deadlock: in plant 'loop' station 'release' is blocked on 'queue'") !=
        std::string::npos);
  // The folder the run created for its files goes again with its lock file; the planner's
  // own empty folder stays, as it was.
  CHECK_FALSE(fs::exists(out));
  CHECK(fs::exists(out.parent_path()));
  // So do the parents it created for it; those that were there stay.
  const fs::path deep = out.parent_path() / "a" / "b" / "c";
  CHECK(run_takt("run tests/data/deadlock.yaml --out '" + deep.string() + "/'").status == 1);
  CHECK_FALSE(fs::exists(out.parent_path() / "a"));
  CHECK(fs::exists(out.parent_path()));
  CHECK(run_takt("run tests/data/deadlock.yaml --out '" + kept.string() + "'").status == 1);
  CHECK(fs::is_directory(kept));
}

TEST_CASE("A deadlock under a shift calendar is caught by the watchdog, not run to the horizon") {
  // Calendar changes never let the event list run dry; the watchdog sees that nothing has
  // moved for a week while every station was on shift, up and blocked.
  const Result r = run_takt("run tests/data/deadlock-calendar.yaml");
  CHECK(r.status == 1);
  CHECK(r.err.find("deadlock: in plant 'loop' station 'release' is blocked on 'queue'") !=
        std::string::npos);
  CHECK(r.err.find("(nothing has moved for 7d)") != std::string::npos);
}

TEST_CASE("stdout is the same bytes from run to run: the time taken goes to stderr") {
  const std::string run = "run tests/data/analytic/two_machines_b3.yaml --replications 2";
  const Result first = run_takt(run), second = run_takt(run);
  REQUIRE(first.status == 0);
  CHECK(first.out == second.out);
  CHECK(first.out.find(" events\n") != std::string::npos);  // the count stays: it is the same
  CHECK(first.err.find(" events in ") != std::string::npos);
  CHECK(first.out.find(" s\n") == std::string::npos);
}

TEST_CASE("The default run prints the SERES table") {
  const Result r = run_takt("run --replications 1 --set horizon=30d");
  REQUIRE(r.status == 0);
  for (const char* plant : {"Liangjiang", "Fenghuang", "SE-Project"}) {
    CHECK(r.out.find(plant) != std::string::npos);
  }
  CHECK(r.out.find("annual rate, extrapolated") != std::string::npos);
  CHECK(r.out.find("built in 2023 (part)") != std::string::npos);
}

TEST_CASE("exact solves a small line and refuses a bad one") {
  const Result r = run_takt("exact --rates 1,1 --buffers 3");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("throughput 0.833333", 0) == 0);
  CHECK(run_takt("exact --rates 1,1 --buffers 3,3").status == 2);
  // A line the chain cannot hold, or cannot solve in doubles, is refused as input (exit 2).
  const Result big = run_takt("exact --rates 1,1 --buffers 100000000");
  CHECK(big.status == 2);
  CHECK(big.err.find("reachable states, the exact chain's limit") != std::string::npos);
  CHECK(run_takt("exact --rates 1e308,1e-308").status == 2);
  // One failure and one repair rate per machine: a short list left the last machines never
  // failing, a long one dropped its extra rates, both without a word.
  const Result short_list =
      run_takt("exact --rates 1,1,1 --failure-rates .1 --repair-rates .5,.5,.5");
  CHECK(short_list.status == 2);
  CHECK(short_list.err ==
        "takt: exact: --failure-rates needs one rate per machine (3), got 1 (give "
        "0 for a machine that never fails)\n");
  CHECK(run_takt("exact --rates 1,1 --failure-rates .1,.1 --repair-rates .5,.5,.5").status == 2);
  CHECK(run_takt("exact --rates 1,1 --failure-rates .1,0 --repair-rates .5,.5").status == 0);
  const Result repairs_alone = run_takt("exact --rates 1,1 --repair-rates .5,.5");
  CHECK(repairs_alone.status == 2);  // it was accepted, and meant nothing
  CHECK(repairs_alone.err ==
        "takt: exact: --repair-rates needs --failure-rates (one per machine)\n");
  // --list runs nothing: a folder or a format for results would be dropped without a word.
  const fs::path listed = scratch("listed");
  CHECK(run_takt("improve --list --out '" + listed.string() + "'").status == 2);
  CHECK(run_takt("improve --list --format json").status == 2);
  CHECK_FALSE(fs::exists(listed));
  // Long buffers between equal rates: the iterative solver does not converge (at 200,000
  // places it took 23 s to find out), the direct one solves one buffer at once. Two machines
  // of rate 1 with N places build (N + 2) / (N + 3).
  const Result long_buffer = run_takt("exact --rates 1,1 --buffers 3000");
  CHECK(long_buffer.status == 0);
  CHECK(long_buffer.out.rfind("throughput 0.999667", 0) == 0);  // 3002 / 3003
  // Beyond the decomposition's 100,000 places the exact answer stands and the comparison is
  // told as missing (it was an exit 1 after the solve).
  const Result longer = run_takt("exact --rates 1,1 --buffers 100001");
  CHECK(longer.status == 0);
  CHECK(longer.out.rfind("throughput 0.999990", 0) == 0);  // 100003 / 100004
  CHECK(longer.out.find("line decomposition: none (") != std::string::npos);
  CHECK(run_takt("exact --rates 1,1.01 --buffers 5000").out.find("-0.0000") == std::string::npos);
}

TEST_CASE("Replications beyond the limit and guessed option prefixes are usage errors") {
  const Result many =
      run_takt("run tests/data/analytic/two_machines_b3.yaml --replications 1000000000");
  CHECK(many.status == 2);
  CHECK(many.err == "takt: --replications must be at most 10000, got 1000000000\n");
  const Result prefix = run_takt("run tests/data/analytic/two_machines_b3.yaml --replication 2");
  CHECK(prefix.status == 2);
  CHECK(prefix.err.find("unrecognised option '--replication'") != std::string::npos);
  // 10,000 replications of SERES's 160 stations and buffers fit in the results limit; of a
  // plant five times as large they would not.
  const Result rows = run_takt(
      "run tests/data/bad/../analytic/two_machines_b3.yaml --replications 10000 "
      "--set 'plants[line].shops[shop].lines=1000'");
  CHECK(rows.status == 2);
  CHECK(rows.err.find("--replications: 10000 replications of 3000 stations and buffers would keep "
                      "30000000 results "
                      "in memory; the limit is 2000000") != std::string::npos);
}

TEST_CASE("Malformed command-line values are usage errors rather than quietly read") {
  for (const char* args : {"run --seed -1", "run --seed 12x", "run ''", "run --out ''",
                           "version extra", "exact --rates 1,1, --buffers 0",
                           "sweep tests/data/sweeps/small.yaml --out x --shard 1x/2y",
                           "merge does/not/exist --out x"}) {
    INFO(args);
    const Result r = run_takt(args);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("takt: ", 0) == 0);
  }
  CHECK(run_takt("merge does/not/exist --out x").err ==
        "takt: merge: \"does/not/exist\" is not a folder\n");
}

TEST_CASE("A misspelt option gets a suggestion as a misspelt key does") {
  const Result r = run_takt("run --replicatons 2");
  CHECK(r.status == 2);
  CHECK(r.err == "takt: unrecognised option '--replicatons' (did you mean '--replications'?)\n");
}

TEST_CASE("validate recognises a sweep file and checks every point") {
  const Result r = run_takt("validate scenarios/sweeps/ramp-up.yaml tests/data/sweeps/small.yaml");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "scenarios/sweeps/ramp-up.yaml: ok (a sweep of 40 points)\n"
        "tests/data/sweeps/small.yaml: ok (a sweep of 6 points)\n");
  const Result bad = run_takt("validate tests/data/sweeps/bad_factor.yaml");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("point 0 (plants[line].shops[shop].line[B9].capacity=1) does not fit the base "
                     "scenario") != std::string::npos);
}

TEST_CASE("The manifest's command line can be run again: words a shell would split are quoted") {
  const fs::path out = scratch("quoted out");
  REQUIRE(run_takt("run tests/data/analytic/two_machines_b3.yaml -r 1 --set "
                   "\"plants[line].name=it's\" --out '" +
                   out.string() + "'")
              .status == 0);
  const std::string manifest = slurp(out / "manifest.json");
  // In JSON the backslash of '\'' is doubled.
  CHECK(manifest.find("--set 'plants[line].name=it'\\\\''s' --out '" + out.string() + "'\"") !=
        std::string::npos);
  CHECK(manifest.find(" run tests/data/analytic/two_machines_b3.yaml -r 1 ") != std::string::npos);
}
