// Sweeps give the same bytes for any thread count, for any sharding after a merge, after a
// kill -9 and --resume, and under mpirun; and the SERES ramp-up sweep runs at reduced size.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "cli_fixture.hpp"
#include "takt/experiment/directory_lock.hpp"
#include "takt/experiment/summary.hpp"

namespace fs = std::filesystem;
using takt::experiment::DirectoryLock;
using takt::test::run_takt;
using takt::test::scratch;
using takt::test::slurp;

namespace {

const char* kFiles[] = {"runs.csv", "points.csv", "monthly.csv", "manifest.json"};

void check_same(const fs::path& a, const fs::path& b) {
  for (const char* name : kFiles) {
    INFO(a.string() << " vs " << b.string() << ": " << name);
    REQUIRE(fs::exists(a / name));
    CHECK(slurp(a / name) == slurp(b / name));
  }
}

// A reference run of the small grid, made once.
const fs::path& reference(const std::string& extra) {
  static std::map<std::string, fs::path> done;
  auto it = done.find(extra);
  if (it != done.end()) return it->second;
  const fs::path dir = scratch("reference" + std::to_string(done.size()));
  REQUIRE(
      run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + dir.string() + "' " + extra)
          .status == 0);
  return done[extra] = dir;
}

}  // namespace

TEST_CASE("A sweep writes runs, points and a manifest, the same for one or two threads") {
  const fs::path two = scratch("jobs2");
  REQUIRE(
      run_takt("sweep tests/data/sweeps/small.yaml --jobs 2 --out '" + two.string() + "'").status ==
      0);
  check_same(reference(""), two);
  const std::string runs = slurp(two / "runs.csv");
  // 3 x 2 grid points, 2 replications, 1 plant, 6 metrics: a header and 72 rows.
  CHECK(std::count(runs.begin(), runs.end(), '\n') == 73);
  const std::string factors =
      "sweep,point,plants[line].shops[shop].line[B1].capacity,plants[line].shops[shop].line[M2]."
      "cycle,";
  CHECK(runs.rfind(factors + "replication,plant,bottleneck,metric,value,unit\n", 0) == 0);
  // The sweep's id, the point and its factor values key every row; every value has its unit.
  const std::string id = runs.substr(runs.find('\n') + 1, 16);
  CHECK(runs.find("\n" + id + ",5,3,exponential(50s),1,line,M1,annual_rate,") != std::string::npos);
  CHECK(runs.find(",capacity_ratio,") != std::string::npos);
  const std::string points = slurp(two / "points.csv");
  CHECK(points.find(",line,annual_rate,2,,0,") != std::string::npos);  // no rule: no precision
  CHECK(points.rfind(
            factors +
                "plant,metric,n,precision,not_reached,mean,ci95_low,ci95_high,p10,p50,p90,unit\n",
            0) == 0);
  // A month's output and its nameplate per point and replication, for a ramp-up fan chart:
  // 6 points x 2 replications x 1 month x 2 metrics.
  const std::string monthly = slurp(two / "monthly.csv");
  CHECK(monthly.rfind(factors + "replication,plant,month,limited_by,metric,value,unit\n", 0) == 0);
  CHECK(std::count(monthly.begin(), monthly.end(), '\n') == 1 + 6 * 2 * 2);
  CHECK(monthly.find(",0,line,2023-01,capacity,output,") != std::string::npos);
  CHECK(monthly.find(",1,line,2023-01,capacity,nameplate,") != std::string::npos);
}

TEST_CASE("Shards merged give exactly the files of one run") {
  const fs::path a = scratch("shard1"), b = scratch("shard2"), merged = scratch("merged");
  const auto first =
      run_takt("sweep tests/data/sweeps/small.yaml --shard 1/2 --out '" + a.string() + "'");
  REQUIRE(first.status == 0);
  CHECK(first.err.find("run `takt merge`") != std::string::npos);
  CHECK_FALSE(fs::exists(a / "runs.csv"));
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --shard 2/2 --out '" + b.string() + "'")
              .status == 0);
  REQUIRE(
      run_takt("merge '" + a.string() + "' '" + b.string() + "' --out '" + merged.string() + "'")
          .status == 0);
  check_same(reference(""), merged);
  const auto incomplete =
      run_takt("merge '" + a.string() + "' --out '" + scratch("partial").string() + "'");
  CHECK(incomplete.status == 2);  // the planner's shards leave points out: bad input
  // The folder the failed merge created goes again: it held only the lock file before.
  CHECK_FALSE(fs::exists(scratch("partial")));
  // So are a shard folder without its manifest.json and an --out that is a file.
  fs::remove(a / "manifest.json");
  const auto no_manifest = run_takt("merge '" + a.string() + "' '" + b.string() + "' --out '" +
                                    scratch("no-manifest").string() + "'");
  CHECK(no_manifest.status == 2);
  CHECK(no_manifest.err.find("holds no manifest.json") != std::string::npos);
  const fs::path file = scratch("a-file");
  std::ofstream(file) << "x";
  const auto into_file = run_takt("merge '" + b.string() + "' --out '" + file.string() + "'");
  CHECK(into_file.status == 2);
  CHECK(into_file.err.find("is a file, not a folder: give --out a folder") != std::string::npos);
  CHECK(incomplete.err.find("points 1, 3 and 5 are missing; run their shards first") !=
        std::string::npos);
}

// Which files are whole and which temporary is decided by how far the sweep got, not by when a
// timer fired: TAKT_TEST_KILL_AT=N makes takt kill itself at its N-th step of writing a file
// (two per file: before the temporary file, and before the rename). So every stopping point is
// tried, the first before any file exists, and the test means the same on a loaded machine.
TEST_CASE(
    "A sweep killed at any step of its writing and resumed ends with the files of an uninterrupted "
    "run") {
  const fs::path& full = reference("");
  int kill_at = 0;
  for (;; ++kill_at) {
    INFO("killed at writing step " << kill_at);
    REQUIRE(kill_at < 200);
    const fs::path dir = scratch("killed" + std::to_string(kill_at));
    // --resume from the start: a folder that does not exist yet resumes as a fresh sweep.
    const auto killed = run_takt(
        "sweep tests/data/sweeps/small.yaml --resume --jobs 2 --out '" + dir.string() + "'",
        "TAKT_TEST_KILL_AT=" + std::to_string(kill_at));
    const bool finished = killed.status == 0;
    if (!finished)
      CHECK(killed.status == 128 + 9);  // killed by SIGKILL (as the shell reports it), not failed
    // Whatever the kill left is complete: point files are whole or absent.
    if (fs::exists(dir / "points")) {
      for (const auto& e : fs::directory_iterator(dir / "points")) {
        if (e.path().filename().string()[0] == '.') continue;
        const std::string saved = slurp(e.path());
        CHECK(saved.rfind("takt-point 3\n", 0) == 0);
        CHECK(saved.size() > 4);
        CHECK(saved.compare(saved.size() - 4, 4, "end\n") == 0);
      }
    }
    REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --resume --jobs 1 --out '" + dir.string() +
                     "'")
                .status == 0);
    check_same(full, dir);
    // No temporary file is left; the lock file stays by design (removing it would race).
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path() == dir / DirectoryLock::kFileName) continue;
      CHECK(e.path().filename().string()[0] != '.');
    }
    if (finished) break;
  }
  // sweep.json, manifest.json, six points, runs.csv, points.csv, monthly.csv and manifest.json
  // again with the outcome: two steps each.
  CHECK(kill_at == 24);
}

TEST_CASE(
    "A sweep or merge into a directory another process is writing is refused, and its points "
    "stay") {
  const fs::path dir = scratch("claimed");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --shard 1/2 --out '" + dir.string() + "'")
              .status == 0);
  std::map<fs::path, std::string> before;
  for (const auto& e : fs::directory_iterator(dir / "points")) before[e.path()] = slurp(e.path());
  REQUIRE(!before.empty());
  {
    const DirectoryLock other(dir);  // as a running shard holds it
    const auto sweep =
        run_takt("sweep tests/data/sweeps/small.yaml --shard 2/2 --out '" + dir.string() + "'");
    CHECK(sweep.status == 1);
    CHECK(sweep.err.find("is in use by another takt process (pid " + std::to_string(getpid()) +
                         ")") != std::string::npos);
    const auto merge = run_takt("merge '" + dir.string() + "' --out '" + dir.string() + "'");
    CHECK(merge.status == 1);
    CHECK(merge.err.find("is in use") != std::string::npos);
  }
  std::map<fs::path, std::string> after;
  for (const auto& e : fs::directory_iterator(dir / "points")) after[e.path()] = slurp(e.path());
  CHECK(after == before);
  // Once the holder is gone, the directory is free again.
  CHECK(run_takt("sweep tests/data/sweeps/small.yaml --shard 1/2 --resume --out '" + dir.string() +
                 "'")
            .status == 0);
}

// A file's overrides tag what they set with the file's path and line, for errors; the ids
// once hashed those, so shards started from other folders could not be merged.
TEST_CASE("Run and sweep ids do not depend on how the file's path is written") {
  const std::string absolute = std::string(TAKT_SOURCE_DIR) + "/";
  std::set<std::string> ids;
  for (const std::string& prefix : {std::string(), std::string("./tests/../"), absolute}) {
    const auto r = run_takt("run " + prefix +
                            "scenarios/seres-ramp-up.yaml -r 1 --set horizon=2d --set warmup=0d");
    REQUIRE(r.status == 0);
    const std::size_t at = r.out.find(", run ");
    REQUIRE(at != std::string::npos);
    ids.insert(r.out.substr(at + 6, 16));
  }
  CHECK(ids.size() == 1);
  const fs::path a = scratch("path-shard1"), b = scratch("path-shard2"), merged = scratch("path-m");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --shard 1/2 --out '" + a.string() + "'")
              .status == 0);
  REQUIRE(run_takt("sweep " + absolute + "tests/data/sweeps/../sweeps/small.yaml --shard 2/2 " +
                   "--out '" + b.string() + "'")
              .status == 0);
  const auto m =
      run_takt("merge '" + a.string() + "' '" + b.string() + "' --out '" + merged.string() + "'");
  CHECK(m.status == 0);
  CHECK(m.err == "takt: merged 2 directories into " + merged.string() + "\n");
  check_same(reference(""), merged);
}

TEST_CASE("Resuming into a directory of another sweep is refused") {
  const fs::path dir = scratch("other");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --out '" + dir.string() + "'").status == 0);
  const auto r =
      run_takt("sweep tests/data/sweeps/sampled.yaml --resume --out '" + dir.string() + "'");
  CHECK(r.status == 2);  // bad input, not trouble of the machine
  CHECK(r.err.find("holds a different sweep") != std::string::npos);
  // Merging it into a folder of another sweep is the same mistake.
  const fs::path other = scratch("other-sampled");
  REQUIRE(run_takt("sweep tests/data/sweeps/sampled.yaml --out '" + other.string() + "'").status ==
          0);
  const auto m = run_takt("merge '" + dir.string() + "' --out '" + other.string() + "'");
  CHECK(m.status == 2);
  CHECK(m.err.find("holds a different sweep") != std::string::npos);
}

TEST_CASE("A sweep or a merge into a folder of other files is refused, the files untouched") {
  // A takt run's folder: the sweep replaced its monthly.csv and manifest.json and left its
  // summary.json beside them.
  const fs::path run = scratch("run-folder");
  REQUIRE(run_takt("run tests/data/analytic/two_machines_b3.yaml --set horizon=3d -r 2 --out '" +
                   run.string() + "'")
              .status == 0);
  const std::string monthly = slurp(run / "monthly.csv"), manifest = slurp(run / "manifest.json");
  const auto swept = run_takt("sweep tests/data/sweeps/small.yaml --out '" + run.string() + "'");
  CHECK(swept.status == 2);
  CHECK(swept.err.find("holds files that a sweep does not write (flows.csv, results.csv, "
                       "stations.csv and 1 more)") != std::string::npos);
  const fs::path shard = scratch("merge-source");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --out '" + shard.string() + "'").status ==
          0);
  const auto merged = run_takt("merge '" + shard.string() + "' --out '" + run.string() + "'");
  CHECK(merged.status == 2);
  CHECK(merged.err.find("holds files that a sweep does not write") != std::string::npos);
  CHECK(slurp(run / "monthly.csv") == monthly);
  CHECK(slurp(run / "manifest.json") == manifest);
  CHECK_FALSE(fs::exists(run / "points"));
  // Refused before it is claimed: no lock file is left among the planner's own files.
  const fs::path mine = scratch("planner-folder");
  fs::create_directories(mine);
  std::ofstream(mine / "plan.xlsx") << "1\n";
  CHECK(run_takt("sweep tests/data/sweeps/small.yaml --out '" + mine.string() + "'").status == 2);
  CHECK(run_takt("merge '" + shard.string() + "' --out '" + mine.string() + "'").status == 2);
  CHECK_FALSE(fs::exists(mine / ".takt.lock"));
  // A sweep's own folder, with sensitivity.csv beside it, is still the sweep's to resume.
  std::ofstream(shard / "sensitivity.csv") << "x\n";
  CHECK(run_takt("sweep tests/data/sweeps/small.yaml --resume --out '" + shard.string() + "'")
            .status == 0);
}

TEST_CASE("A factor that does not fit the base scenario is an input error naming the point") {
  const auto r =
      run_takt("sweep tests/data/sweeps/bad_factor.yaml --out '" + scratch("bad").string() + "'");
  CHECK(r.status == 2);
  // The error points at the factor's path in the sweep file; point 1 fails alike and is
  // counted, not told again.
  CHECK(r.err ==
        "tests/data/sweeps/bad_factor.yaml: error: point 0 "
        "(plants[line].shops[shop].line[B9].capacity=1) does not fit the base scenario:\n"
        "tests/data/sweeps/bad_factor.yaml:5:11: error: plants[line].shops[shop].line[B9]: no "
        "item named 'B9' in plants[line].shops[shop].line (did you mean 'B1'?)\n"
        "tests/data/sweeps/bad_factor.yaml: error: and 1 more of the 2 points do not fit the base "
        "scenario\n");
  // Of many points that do not fit, the first ten are told and the rest counted.
  const fs::path dir = scratch("bad-many");
  fs::create_directories(dir);
  std::ofstream(dir / "many.yaml")
      << "sweep: many\nbase: '" << fs::absolute("tests/data/analytic/two_machines_b3.yaml").string()
      << "'\nfactors: [{path: 'plants[line].shops[shop].line[B1].capacity', values: [1, -1, -2, "
         "-3, -4, -5, -6, -7, -8, -9, -10, -11, -12]}]\n";
  const auto many = run_takt("sweep '" + (dir / "many.yaml").string() + "' --out '" +
                             (dir / "out").string() + "'");
  CHECK(many.status == 2);
  CHECK(many.err.find("point 1 (") != std::string::npos);
  CHECK(many.err.find("point 10 (") != std::string::npos);
  CHECK(many.err.find("point 11 (") == std::string::npos);
  CHECK(many.err.find("error: and 2 more of the 13 points do not fit the base scenario\n") !=
        std::string::npos);
}

TEST_CASE("A sweep file's errors, its design's and its points' are told in one round") {
  // They came in up to four rounds, each found only once the one before was fixed.
  const fs::path dir = scratch("one-round");
  fs::create_directories(dir);
  const std::string base = fs::absolute("tests/data/analytic/two_machines_b3.yaml").string();
  std::ofstream(dir / "file.yaml")
      << "sweep: many\nbase: '" << base << "'\nbogus: 1\nreplications: -1\nfactors:\n"
      << "  - {path: 'plants[line].shops[shop].line[M1].cycle', values: [50s, 70s]}\n"
      << "  - {path: 'plants[line].shops[shop].line[M1].cycle', values: [55s]}\n"
      << "  - {path: 'plants[line].shops[shop].line[B1].capacity', range: [1, 3]}\n"
      << "  - {path: seed, range: [3, 1]}\n";
  const auto file = run_takt("validate '" + (dir / "file.yaml").string() + "'");
  CHECK(file.status == 2);
  for (const char* told :
       {":3:1: error: unknown key 'bogus'", ":4:15: error: replications: must be positive",
        ":7:12: error: plants[line].shops[shop].line[M1].cycle: names the same value as factor",
        ":8:12: error: factors[plants[line].shops[shop].line[B1].capacity]: a grid over a range "
        "needs levels >= 2",
        ":9:25: error: factors[seed].range: expected low < high"}) {
    CAPTURE(told);
    CHECK(file.err.find(told) != std::string::npos);
  }
  // With a design that holds, the points are loaded and told beside the file's own errors.
  std::ofstream(dir / "points.yaml") << "sweep: many\nbase: '" << base << "'\nbogus: 1\nfactors:\n"
                                     << "  - {path: 'plants[line].nosuch', values: [1]}\n";
  const auto points = run_takt("validate '" + (dir / "points.yaml").string() + "'");
  CHECK(points.status == 2);
  CHECK(points.err.find(":3:1: error: unknown key 'bogus'\n") != std::string::npos);
  CHECK(
      points.err.find("error: point 0 (plants[line].nosuch=1) does not fit the base scenario:\n") !=
      std::string::npos);
}

TEST_CASE("A sweep's mistakes are told once each and stop only what they spoil") {
  const fs::path dir = scratch("told-once");
  fs::create_directories(dir);
  const std::string base = fs::absolute("tests/data/analytic/two_machines_b3.yaml").string();
  const auto errors = [&](const std::string& name, const std::string& rest) {
    std::ofstream(dir / name) << "sweep: s\nbase: '" << base << "'\n" << rest;
    const auto r = run_takt("validate '" + (dir / name).string() + "'");
    CHECK(r.status == 2);
    return r.err;
  };
  // A kind misspelt was taken for a grid, whose 10,000 points were all loaded (minutes) to
  // tell nothing more; a point that does not fit is not looked for then.
  const std::string kind =
      errors("kind.yaml",
             "design: {kind: lhz, points: 4}\nfactors: [{path: 'plants[line].nosuch', "
             "values: [1]}, {path: seed, range: [1, 9]}]\n");
  CHECK(kind.find(":3:16: error: design.kind: expected grid, lhs, sobol or random, got \"lhz\"") !=
        std::string::npos);
  CHECK(kind.find("does not fit") == std::string::npos);
  CHECK(kind.find("levels >= 2") == std::string::npos);
  // No factor at all was a sweep of no point.
  CHECK(errors("none.yaml", "factors: []\n").find("a design needs at least one factor") !=
        std::string::npos);
  // A path given twice was told at both factors, the first time as "appears twice".
  const std::string twice = errors(
      "twice.yaml", "factors:\n  - {path: seed, values: [1, 2]}\n  - {path: seed, values: [3]}\n");
  CHECK(twice.find("appears twice") == std::string::npos);
  CHECK(twice.find(":5:12: error: seed: names the same value as factor seed") != std::string::npos);
  // A step finer than ten digits can write gave points of one value.
  CHECK(errors("fine.yaml",
               "factors: [{path: warmup, range: [1, 1.000000001], step: 1e-10, unit: min}]\n")
            .find("step 1e-10 is too fine to write: 1.000000001 and its neighbour print alike") !=
        std::string::npos);
  // A sweep's name is one line, as a scenario's is.
  std::ofstream(dir / "name.yaml")
      << "sweep: \"s\\nFAKE\"\nbase: '" << base << "'\nfactors: [{path: seed, values: [1]}]\n";
  CHECK(run_takt("validate '" + (dir / "name.yaml").string() + "'")
            .err.find(":1:8: error: sweep: holds a tab, a line break or a text-direction mark "
                      "(U+000A, byte 2)") != std::string::npos);
}

TEST_CASE("An end among the overrides and a horizon as a factor are one value, told so") {
  const fs::path dir = scratch("end-horizon");
  fs::create_directories(dir);
  std::ofstream(dir / "s.yaml") << "sweep: s\nbase: '"
                                << fs::absolute("tests/data/analytic/two_machines_b3.yaml").string()
                                << "'\noverrides: [end=2023-01-10]\n"
                                << "factors: [{path: horizon, values: [2d, 3d]}]\n";
  const auto r = run_takt("validate '" + (dir / "s.yaml").string() + "'");
  CHECK(r.status == 2);
  CHECK(r.err.find(":3:13: error: end: is replaced by factor horizon") != std::string::npos);
}

TEST_CASE("Edits that undo a factor at every point are refused, however they name its value") {
  // Two factors naming one capacity (by name and by index), and an override a factor's mapping
  // replaces: points.csv would list values that never ran.
  const auto undone = run_takt("sweep tests/data/sweeps/undone_factor.yaml --out '" +
                               scratch("undone").string() + "'");
  CHECK(undone.status == 2);
  CHECK(undone.err ==
        "tests/data/sweeps/undone_factor.yaml:6:26: error: plants[0].shops[shop].line[M2].cycle: "
        "is replaced by factor plants[line].shops[shop].line[M2] "
        "(tests/data/sweeps/undone_factor.yaml:13:11) at every point, so it changes nothing\n"
        "tests/data/sweeps/undone_factor.yaml:11:11: error: plants[0].shops[0].line[1].capacity: "
        "names the same value as factor plants[line].shops[shop].line[B1].capacity "
        "(tests/data/sweeps/undone_factor.yaml:9:11): sweep each value once\n");
  // A --set comes after the factors: of the factor's value, or of the mapping holding it, it
  // would make every point alike. Of another value it is fine.
  for (const char* set : {"plants[0].shops[0].line[B1].capacity=5",
                          "plants[line].shops[shop].line[1]={buffer: B1}"}) {
    CAPTURE(set);
    const auto r = run_takt("sweep tests/data/sweeps/small.yaml --out '" +
                            scratch("undone-set").string() + "' --set '" + set + "'");
    CHECK(r.status == 2);
    CHECK(r.err.find("would replace factor plants[line].shops[shop].line[B1].capacity "
                     "(tests/data/sweeps/small.yaml:8:11) at every point") != std::string::npos);
  }
  CHECK(run_takt("sweep tests/data/sweeps/small.yaml --out '" + scratch("kept-set").string() +
                 "' --set 'plants[0].shops[0].line[M1].cycle=exponential(55s)'")
            .status == 0);
}

TEST_CASE("An error in a sweep's own overrides points at the override's line") {
  const auto r = run_takt("sweep tests/data/sweeps/bad_override.yaml --out '" +
                          scratch("bad-override").string() + "'");
  CHECK(r.status == 2);
  CHECK(r.err ==
        "tests/data/sweeps/bad_override.yaml: error: point 0 "
        "(plants[line].shops[shop].line[M1].cycle=1min) "
        "does not fit the base scenario:\ntests/data/sweeps/bad_override.yaml:4:5: error: "
        "plants[line].shops[shop].line[B1].capacity: must not be negative, got -1\n"
        "tests/data/sweeps/bad_override.yaml: error: and 1 more of the 2 points do not fit the "
        "base scenario\n");
}

TEST_CASE("A Sobol design over a range runs its points in order") {
  const fs::path dir = scratch("sobol");
  REQUIRE(run_takt("sweep tests/data/sweeps/sampled.yaml --out '" + dir.string() + "'").status ==
          0);
  const std::string points = slurp(dir / "points.csv");
  CHECK(points.find(",0,40s,1,line,annual_rate,1,,0,") != std::string::npos);  // the origin first
  CHECK(points.find(",1,60s,5,line,annual_rate,1,,0,") != std::string::npos);
}

TEST_CASE("A sampled sweep over a count with step 1 runs whole values, and a bad step is told") {
  const fs::path dir = scratch("stepped");
  fs::create_directories(dir);
  const std::string base = fs::absolute("tests/data/analytic/two_machines_b3.yaml").string();
  std::ofstream(dir / "places.yaml")
      << "sweep: places\nbase: '" << base << "'\nreplications: 1\n"
      << "overrides: [horizon=2d, warmup=0]\ndesign: {kind: lhs, points: 6, seed: 3}\n"
      << "factors: [{path: 'plants[line].shops[shop].line[B1].capacity', range: [1, 3], "
         "step: 1}]\n";
  const auto r = run_takt("sweep '" + (dir / "places.yaml").string() + "' --out '" +
                          (dir / "out").string() + "'");
  REQUIRE(r.status == 0);
  // Each of the three whole values twice (six strata over three values), none refused.
  std::map<std::string, int> seen;
  for (const char* value : {"1", "2", "3"}) {
    seen[value] = 0;
    const std::string cell = "," + std::string(value) + ",line,annual_rate,";
    for (std::size_t at = 0;
         (at = slurp(dir / "out" / "points.csv").find(cell, at)) != std::string::npos; ++at) {
      ++seen[value];
    }
  }
  CHECK(seen == std::map<std::string, int>{{"1", 2}, {"2", 2}, {"3", 2}});
  std::ofstream(dir / "bad.yaml") << "sweep: bad\nbase: '" << base
                                  << "'\ndesign: {kind: lhs, points: 2}\nfactors:\n"
                                  << "  - {path: seed, range: [1, 9], step: -1}\n"
                                  << "  - {path: warmup, values: [0, 1d], step: 1}\n";
  const auto bad = run_takt("sweep '" + (dir / "bad.yaml").string() + "' --out '" +
                            (dir / "bad").string() + "'");
  CHECK(bad.status == 2);
  CHECK(bad.err.find(":5:39: error: factors[seed].step: expected a positive number") !=
        std::string::npos);
  CHECK(bad.err.find(
            ":6:43: error: factors[warmup].step: a step goes with a range, not with values") !=
        std::string::npos);
  // Levels outside a grid over a range were dropped unsaid; a level twice ran twice.
  std::ofstream(dir / "levels.yaml")
      << "sweep: levels\nbase: '" << base << "'\ndesign: {kind: sobol, points: 2}\nfactors:\n"
      << "  - {path: seed, range: [1, 9], levels: 3}\n"
      << "  - {path: warmup, values: [0, 1d, 0], levels: 2}\n";
  const auto levels = run_takt("validate '" + (dir / "levels.yaml").string() + "'");
  CHECK(levels.status == 2);
  CHECK(levels.err.find(":5:41: error: factors[seed].levels: levels space a grid's values over a "
                        "range; a sobol design draws them: give the design's points instead") !=
        std::string::npos);
  CHECK(levels.err.find(":6:36: error: factors[warmup].values[2]: '0' is listed twice") !=
        std::string::npos);
  CHECK(levels.err.find("factors[warmup].levels: levels space") != std::string::npos);
}

#ifdef TAKT_HAS_MPI
TEST_CASE("mpirun spreads the points over ranks and writes the files of a local run") {
  const fs::path dir = scratch("mpi");
  const auto r =
      run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + dir.string() + "'",
               std::string(MPIEXEC) + " --allow-run-as-root --oversubscribe -np 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  check_same(reference(""), dir);
}
#endif

TEST_CASE("The SERES ramp-up sweep runs at reduced size") {
  const fs::path dir = scratch("seres-sweep");
  const auto r =
      run_takt("sweep scenarios/sweeps/ramp-up.yaml --replications 1 --set horizon=45d --out '" +
               dir.string() + "'");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string runs = slurp(dir / "runs.csv");
  // 40 points x 1 replication x 3 plants x 6 metrics, and a header.
  CHECK(std::count(runs.begin(), runs.end(), '\n') == 721);
  CHECK(runs.find(",Fenghuang,") != std::string::npos);
}

TEST_CASE("On a terminal a sweep draws a progress line, into a file it writes none") {
  // script(1) (Debian's bsdutils, an essential package) gives takt a terminal as stderr.
  const fs::path dir = scratch("progress");
  const fs::path shown = scratch("progress.txt");
  fs::create_directories(shown.parent_path());
  const std::string command = "cd '" + std::string(TAKT_SOURCE_DIR) + "' && script -qec \"'" +
                              TAKT_BINARY +
                              "' sweep tests/data/sweeps/small.yaml --jobs 1 --out '" +
                              dir.string() + "'\" /dev/null > '" + shown.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string terminal = slurp(shown);
  CHECK(terminal.find("\rpoints 6/6  ") != std::string::npos);
  CHECK(terminal.find("  took 0:") != std::string::npos);
  const auto piped = run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" +
                              scratch("quiet").string() + "'");
  REQUIRE(piped.status == 0);
  CHECK(piped.err.find('\r') == std::string::npos);
  CHECK(piped.err.find("took") == std::string::npos);
}

TEST_CASE("A sweep of more points than the limit is refused before any point is read") {
  const auto r = run_takt("sweep tests/data/sweeps/too_many_points.yaml --out '" +
                          scratch("too-many").string() + "'");
  CHECK(r.status == 2);
  // At the count itself, as every count of a sweep file is held to its limit.
  CHECK(r.err ==
        "tests/data/sweeps/too_many_points.yaml:5:29: error: design.points: must be at "
        "most 10000, got 20000\n");
}

TEST_CASE("A sweep file's counts are held to their limits, never cut to 32 bits") {
  const fs::path dir = scratch("sweep-counts");
  fs::create_directories(dir);
  const std::string base = fs::absolute("tests/data/analytic/two_machines_b3.yaml").string();
  // 4294967297 is 2^32 + 1: cut to 32 bits it read as 1 replication, and 10001 ran unchecked.
  std::ofstream(dir / "counts.yaml")
      << "sweep: counts\nbase: '" << base << "'\nreplications: 4294967297\n"
      << "design: {kind: lhs, points: 2000000}\n"
      << "factors: [{path: seed, range: [1, 9], levels: 4294967299}]\n";
  const auto r = run_takt("sweep '" + (dir / "counts.yaml").string() + "' --out '" +
                          (dir / "out").string() + "'");
  CHECK(r.status == 2);
  CHECK(r.err.find(":3:15: error: replications: must be at most 10000, got 4294967297") !=
        std::string::npos);
  CHECK(r.err.find(":4:29: error: design.points: must be at most 10000, got 2000000") !=
        std::string::npos);
  // Levels belong to a grid (on this lhs design they are refused, unread).
  std::ofstream(dir / "levels.yaml")
      << "sweep: counts\nbase: '" << base << "'\n"
      << "factors: [{path: seed, range: [1, 9], levels: 4294967299}]\n";
  const auto levels = run_takt("validate '" + (dir / "levels.yaml").string() + "'");
  CHECK(levels.err.find("levels: must be at most 10000, got 4294967299") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("A sweep over the seed names no one seed in its manifest") {
  const fs::path dir = scratch("seed-swept");
  fs::create_directories(dir);
  std::ofstream(dir / "seeds.yaml")
      << "sweep: seeds\nbase: '"
      << fs::absolute("tests/data/analytic/two_machines_b3.yaml").string()
      << "'\nreplications: 1\noverrides: [horizon=2d]\nfactors: [{path: seed, values: [11, 12]}]\n";
  REQUIRE(run_takt("sweep '" + (dir / "seeds.yaml").string() + "' --jobs 1 --out '" +
                   (dir / "out").string() + "'")
              .status == 0);
  // It said "seed": 11, the first point's, although point 1 ran seed 12.
  CHECK(slurp(dir / "out" / "manifest.json").find("\"seed\": null,") != std::string::npos);
}

TEST_CASE("A saved point of another sweep or under another point's name is refused by name") {
  const fs::path a = scratch("foreign-a"), b = scratch("foreign-b");
  const std::string sweep_a =
      "sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + a.string() + "'";
  REQUIRE(run_takt(sweep_a).status == 0);
  REQUIRE(
      run_takt("sweep tests/data/sweeps/sampled.yaml --jobs 1 --out '" + b.string() + "'").status ==
      0);
  const std::string points = slurp(a / "points.csv");
  const std::string own = slurp(a / "points" / "000001.point");
  // Another sweep's point 1, copied in: resume would have taken it as done and mixed its rows in.
  fs::copy_file(b / "points" / "000001.point", a / "points" / "000001.point",
                fs::copy_options::overwrite_existing);
  auto r = run_takt(sweep_a + " --resume");
  CHECK(r.status == 1);
  CHECK(r.err.find("points/000001.point: a saved point of another sweep") != std::string::npos);
  CHECK(r.err.find("remove it and run the sweep again with --resume") != std::string::npos);
  CHECK(slurp(a / "points.csv") == points);
  const fs::path merged = scratch("foreign-merged");
  r = run_takt("merge '" + a.string() + "' --out '" + merged.string() + "'");
  CHECK(r.status == 1);
  CHECK(r.err.find("points/000001.point: a saved point of another sweep") != std::string::npos);
  CHECK(r.err.find("remove it from the shard folder that holds it") != std::string::npos);
  CHECK_FALSE(fs::exists(merged / "points.csv"));
  // The sweep's own point 4 under point 1's name: point 4 twice and point 1 lost.
  fs::copy_file(a / "points" / "000004.point", a / "points" / "000001.point",
                fs::copy_options::overwrite_existing);
  r = run_takt(sweep_a + " --resume");
  CHECK(r.status == 1);
  CHECK(r.err.find("points/000001.point: holds point 4, not 1") != std::string::npos);
  // Put back, it resumes to the same tables.
  std::ofstream(a / "points" / "000001.point", std::ios::binary | std::ios::trunc) << own;
  REQUIRE(run_takt(sweep_a + " --resume").status == 0);
  CHECK(slurp(a / "points.csv") == points);
}

TEST_CASE("A damaged saved point is reported, never turned into tables") {
  const fs::path dir = scratch("damaged");
  const std::string sweep =
      "sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + dir.string() + "'";
  REQUIRE(run_takt(sweep).status == 0);
  // Cut the second point's figures short, as a disk that lost its end would.
  const fs::path point = dir / "points" / "000001.point";
  const std::string text = slurp(point);
  std::ofstream(point, std::ios::binary | std::ios::trunc) << text.substr(0, text.size() / 2);
  const auto r = run_takt(sweep + " --resume");
  CHECK(r.status == 1);
  CHECK(r.err.find("points/000001.point: a saved sweep point is damaged") != std::string::npos);
  CHECK(r.err.find("--resume") != std::string::npos);
  // Whole again, but with something after its end: no file takt writes looks so.
  std::ofstream(point, std::ios::binary | std::ios::trunc) << text << "end\n";
  const auto extra = run_takt(sweep + " --resume");
  CHECK(extra.status == 1);
  CHECK(
      extra.err.find("points/000001.point: a saved sweep point is damaged (text after the end)") !=
      std::string::npos);
  std::ofstream(point, std::ios::binary | std::ios::trunc) << text;
  CHECK(run_takt(sweep + " --resume").status == 0);
}

TEST_CASE("A sweep's monthly.csv says what limited each month, with the orders and backlog") {
  const fs::path dir = scratch("sweep-orders"), out = scratch("sweep-orders-out");
  fs::create_directories(dir);
  // One 1-minute station, January 2023 (44,640 minutes), against orders of N vehicles.
  std::ofstream(dir / "base.yaml")
      << "scenario: t\nstart: 2023-01-01\nend: 2023-01-31\nreplications: 1\nplants:\n"
         "  - name: P\n    capacity: 525600\n    orders: [{month: 2023-01, vehicles: 1000}]\n"
         "    shops:\n      - name: s\n        line:\n          - station: S\n"
         "            cycle: 1min\n";
  std::ofstream(dir / "sweep.yaml")
      << "sweep: orders\nbase: base.yaml\ndesign: {kind: grid}\nfactors:\n"
         "  - path: plants[P].orders[2023-01].vehicles\n    values: [1000, 50000]\n";
  REQUIRE(run_takt("sweep '" + (dir / "sweep.yaml").string() + "' --out '" + out.string() + "'")
              .status == 0);
  const std::string monthly = slurp(out / "monthly.csv");
  CHECK(monthly.find(",1000,0,P,2023-01,orders,output,1000,vehicles\n") != std::string::npos);
  CHECK(monthly.find(",1000,0,P,2023-01,orders,backlog,0,vehicles\n") != std::string::npos);
  // 44,640 minutes build 44,640 jobs, the last at the run's last instant; the rest is backlog.
  CHECK(monthly.find(",50000,0,P,2023-01,capacity,output,44640,vehicles\n") != std::string::npos);
  CHECK(monthly.find(",50000,0,P,2023-01,capacity,backlog,5360,vehicles\n") != std::string::npos);
}

TEST_CASE("A sweep runs a plant that several points share once, with the same bytes") {
  const auto dir = takt::test::scratch("sweep-reuse");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "base.yaml")
      << "scenario: t\nstart: 2023-01-02\nhorizon: 5d\nwarmup: 1d\nreplications: 2\nplants:\n"
         "  - name: P\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
         "          - station: M1\n            cycle: exponential(1min)\n"
         "          - buffer: b1\n            capacity: 2\n"
         "          - station: M2\n            cycle: exponential(1min)\n"
         "  - name: Q\n    capacity: 100000\n    shops:\n      - name: s\n        line:\n"
         "          - station: M1\n            cycle: exponential(1min)\n";
  // The factor touches P only: Q is the same run at all three points.
  std::ofstream(dir / "sweep.yaml")
      << "sweep: reuse\nbase: base.yaml\ndesign: {kind: grid}\nfactors:\n"
         "  - path: plants[P].shops[s].line[b1].capacity\n    values: [1, 2, 4]\n";
  const std::string sweep = "sweep '" + (dir / "sweep.yaml").string() + "' --jobs 2 --out '";
  const auto shared = takt::test::run_takt(sweep + (dir / "shared").string() + "'");
  const auto each = takt::test::run_takt(sweep + (dir / "each").string() + "' --no-reuse");
  REQUIRE(shared.status == 0);
  REQUIRE(each.status == 0);
  // Q: 3 points x 2 replications, of which the last two points' 4 are taken from the first's.
  CHECK(shared.err.find("4 of 12 plant replications were identical") != std::string::npos);
  CHECK(each.err.find("identical") == std::string::npos);
  for (const char* f : {"points.csv", "runs.csv", "monthly.csv", "manifest.json"}) {
    CAPTURE(f);
    CHECK(takt::test::slurp(dir / "shared" / f) == takt::test::slurp(dir / "each" / f));
  }
  // The manifest says how many were alike: a property of the sweep, so the same either way.
  const std::string manifest = takt::test::slurp(dir / "shared" / "manifest.json");
  CHECK(manifest.find("\"outcome\": {\n    \"plant_replications\": 12,\n    \"distinct_runs\": "
                      "8,\n    \"alike_runs\": 4,") != std::string::npos);
}

namespace {

// Each point's annual rates by replication, from runs.csv (small.yaml: one plant).
std::map<int, std::vector<double>> annual_rates(const fs::path& dir) {
  std::map<int, std::vector<double>> by_point;
  std::ifstream in(dir / "runs.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t from = 0;
    for (std::size_t at; (at = line.find(',', from)) != std::string::npos; from = at + 1)
      f.push_back(line.substr(from, at - from));
    f.push_back(line.substr(from));
    // sweep,point,B1,M2,replication,plant,bottleneck,metric,value,unit
    if (f.size() == 10 && f[7] == "annual_rate")
      by_point[std::stoi(f[1])].push_back(std::stod(f[8]));
  }
  return by_point;
}

double half_width_share(std::vector<double> v, std::size_t n) {
  v.resize(n);
  const takt::experiment::Summary s = takt::experiment::summarize(v);
  return (s.ci_high - s.ci_low) / 2 / s.mean;
}

}  // namespace

TEST_CASE(
    "A sweep with a precision rule stops each point on its own, with the same bytes for any "
    "thread count, sharding or resume") {
  const std::string rule = " --precision 0.4% --min-replications 3 --max-replications 10";
  const std::string sweep = "sweep tests/data/sweeps/small.yaml" + rule;
  const fs::path one = scratch("rule-j1"), two = scratch("rule-j2");
  const auto first = run_takt(sweep + " --jobs 1 --out '" + one.string() + "'");
  REQUIRE(first.status == 0);
  REQUIRE(run_takt(sweep + " --jobs 2 --out '" + two.string() + "'").status == 0);
  check_same(one, two);

  // Each point stopped at the first look (3, 8, then 10: the maximum) whose 95 % interval was
  // within 0.4 % of its mean, judged here again from the replications runs.csv lists.
  const double share = 0.004, margin = 1e-6;  // runs.csv rounds to 10 digits
  std::set<std::size_t> counts;
  int met = 0;
  for (const auto& [point, rates] : annual_rates(one)) {
    CAPTURE(point);
    const std::size_t n = rates.size();
    counts.insert(n);
    REQUIRE((n == 3 || n == 8 || n == 10));
    if (n < 10) CHECK(half_width_share(rates, n) <= share + margin);
    if (half_width_share(rates, n) <= share - margin) ++met;
    for (std::size_t look = 3; look < n; look += 5)
      CHECK(half_width_share(rates, look) > share - margin);
  }
  CHECK(counts.size() >= 2);  // the points did stop apart
  const std::string manifest = slurp(one / "manifest.json");
  CHECK(manifest.find("\"precision\": {\n    \"half_width\": 0.004,\n    \"min\": 3,\n    "
                      "\"max\": 10,\n    \"step\": 5\n  }") != std::string::npos);
  CHECK(manifest.find("\"points_with_rule\": 6,\n    \"points_met\": " + std::to_string(met)) !=
        std::string::npos);
  CHECK(first.err.find("takt: precision 0.4 %: " + std::to_string(met) + " of 6 points met it") !=
        std::string::npos);
  // Each point's four rows (one plant) say whether it met the rule.
  const std::string points = slurp(one / "points.csv");
  const auto rows_with = [&points](const std::string& text) {
    int n = 0;
    for (auto at = points.find(text); at != std::string::npos; at = points.find(text, at + 1)) ++n;
    return n;
  };
  CHECK(rows_with(",met,") == 4 * met);
  CHECK(rows_with(",not_met,") == 4 * (6 - met));

  // Shards merged: the same files, manifest and outcome included.
  const fs::path a = scratch("rule-shard1"), b = scratch("rule-shard2"),
                 merged = scratch("rule-merged");
  REQUIRE(run_takt(sweep + " --shard 1/2 --out '" + a.string() + "'").status == 0);
  REQUIRE(run_takt(sweep + " --shard 2/2 --out '" + b.string() + "'").status == 0);
  const auto merge =
      run_takt("merge '" + a.string() + "' '" + b.string() + "' --out '" + merged.string() + "'");
  REQUIRE(merge.status == 0);
  CHECK(merge.err.find("takt: precision 0.4 %: " + std::to_string(met) + " of 6 points met it") !=
        std::string::npos);
  check_same(one, merged);

  // Killed after two points were saved (sweep.json and manifest.json take the first four
  // writing steps): the resumed sweep keeps them and ends with the same files.
  const fs::path killed = scratch("rule-killed");
  const auto kill =
      run_takt(sweep + " --jobs 2 --out '" + killed.string() + "'", "TAKT_TEST_KILL_AT=8");
  CHECK(kill.status == 128 + 9);
  REQUIRE(run_takt(sweep + " --resume --jobs 2 --out '" + killed.string() + "'").status == 0);
  check_same(one, killed);
  // Main effects weigh every point alike, whatever its count: each level's mean is the mean of
  // its points' means (B1 capacity 0 is points 0 and 1, 1 is points 2 and 3, 3 is 4 and 5).
  const fs::path sensitivity = scratch("rule-sens");
  REQUIRE(
      run_takt("sensitivity '" + one.string() + "' --out '" + sensitivity.string() + "'").status ==
      0);
  const std::string sens = slurp(sensitivity / "sensitivity.csv");
  const auto rates = annual_rates(one);
  const auto point_mean = [&](int p) {
    double sum = 0;
    for (const double v : rates.at(p)) sum += v;
    return sum / static_cast<double>(rates.at(p).size());
  };
  for (const auto& [level, pair_start] :
       {std::pair<std::string, int>{"0", 0}, {"1", 2}, {"3", 4}}) {
    const std::string row =
        "line,annual_rate,plants[line].shops[shop].line[B1].capacity,level:" + level + ",";
    const std::size_t at = sens.find(row);
    REQUIRE(at != std::string::npos);
    const double mean = std::stod(sens.substr(at + row.size()));
    CHECK(mean ==
          doctest::Approx((point_mean(pair_start) + point_mean(pair_start + 1)) / 2).epsilon(1e-9));
  }
  // Another rule is another sweep: its points are not mixed with these.
  const auto other = run_takt("sweep tests/data/sweeps/small.yaml --precision 1% --resume --out '" +
                              killed.string() + "'");
  CHECK(other.status != 0);
}

TEST_CASE("A sweep file gives replications or a precision rule, not both") {
  const fs::path dir = scratch("rule-file");
  fs::create_directories(dir);
  std::ofstream(dir / "sweep.yaml")
      << "sweep: both\nbase: " << fs::absolute("tests/data/analytic/two_machines_b3.yaml").string()
      << "\nreplications: 2\nprecision: 1%\ndesign: {kind: grid}\nfactors:\n"
         "  - path: plants[line].shops[shop].line[B1].capacity\n    values: [0, 1]\n";
  const auto both = run_takt("sweep '" + (dir / "sweep.yaml").string() + "' --out '" +
                             (dir / "out").string() + "'");
  CHECK(both.status == 2);
  CHECK(both.err.find(
            "sweep.yaml:4:12: error: precision: give replications or precision, not both") !=
        std::string::npos);
  // The rule in the sweep file alone, and --replications replacing it.
  std::ofstream(dir / "rule.yaml")
      << "sweep: rule\nbase: " << fs::absolute("tests/data/analytic/two_machines_b3.yaml").string()
      << "\nprecision: {half_width: 50%, min: 2, max: 4}\noverrides: [horizon=2d, warmup=1d]\n"
         "design: {kind: grid}\nfactors:\n"
         "  - path: plants[line].shops[shop].line[B1].capacity\n    values: [0, 1]\n";
  const auto ruled = run_takt("sweep '" + (dir / "rule.yaml").string() + "' --out '" +
                              (dir / "ruled").string() + "'");
  REQUIRE(ruled.status == 0);
  CHECK(ruled.err.find("takt: precision 50 %: 2 of 2 points met it; 2 to 2 replications") !=
        std::string::npos);
  const auto fixed = run_takt("sweep '" + (dir / "rule.yaml").string() + "' -r 3 --out '" +
                              (dir / "fixed").string() + "'");
  REQUIRE(fixed.status == 0);
  CHECK(fixed.err.find("precision") == std::string::npos);
  CHECK(slurp(dir / "fixed" / "points.csv").find(",annual_rate,3,") != std::string::npos);
  // The count is the sweep's: a factor, an override or --set on it is refused where written.
  std::ofstream(dir / "factor.yaml")
      << "sweep: rule\nbase: " << fs::absolute("tests/data/analytic/two_machines_b3.yaml").string()
      << "\noverrides: [replications=3]\ndesign: {kind: grid}\nfactors:\n"
         "  - path: precision\n    values: [1%, 0.3%]\n";
  const auto factor = run_takt("sweep '" + (dir / "factor.yaml").string() +
                               "' --set ' precision.max = 9' --out '" + (dir / "f").string() + "'");
  CHECK(factor.status == 2);
  CAPTURE(factor.err);
  for (const char* expected :
       {"factor.yaml:3:13: error: replications: sets the replications, which are the sweep's",
        "factor.yaml:6:11: error: precision: sets the replications",
        "--set: error: precision.max: sets the replications"}) {  // spaces as the loader reads them
    CHECK(factor.err.find(expected) != std::string::npos);
  }
}
