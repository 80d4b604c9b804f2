// `takt improve`: candidates made from a scenario in its own key paths, paired runs whose
// differences are exactly zero where a change cannot matter, the one buffer that matters ranked
// first, the capacity bound's screen on a deterministic line with a known gain, and candidate
// files whose mistakes are reported where they were written.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "cli_fixture.hpp"
#include "takt/run/improve.hpp"
#include "takt/scenario/candidates.hpp"
#include "takt/scenario/scenario.hpp"

using takt::run::ImproveResult;
using takt::run::ImproveRow;
using takt::scenario::Candidate;
using takt::scenario::load_scenario;

namespace {

std::string line(const std::string& items, const std::string& head = "",
                 const std::string& plant_keys = "") {
  return "scenario: t\nstart: 2023-01-02\nhorizon: 20d\nwarmup: 1d\nreplications: 8\n" + head +
         "plants:\n  - name: P\n    capacity: 100000\n" + plant_keys +
         "    shops:\n      - name: s\n        line:\n" + items;
}

ImproveResult improve_yaml(const std::string& yaml, const std::vector<Candidate>& candidates,
                           int jobs = 1) {
  const auto s = load_scenario(yaml, "inline.yaml");
  return takt::run::improve(s, yaml, "inline.yaml", {}, candidates, {0, std::nullopt, jobs, false});
}

const ImproveRow& row_named(const ImproveResult& r, const std::string& name) {
  const auto it = std::find_if(r.rows.begin(), r.rows.end(),
                               [&](const ImproveRow& x) { return x.candidate == name; });
  REQUIRE(it != r.rows.end());
  return *it;
}

// M1 is exponential and M2 deterministic, both a minute: the buffer between them is the only
// one that can fill. M3 and M4 take 10 s and are always free when a job comes, so b2 and b3
// never hold a job and a second server at M3 or M4 is never used.
const std::string kOneBufferMatters =
    "          - station: M1\n            cycle: exponential(1min)\n"
    "          - buffer: b1\n            capacity: 1\n"
    "          - station: M2\n            cycle: 1min\n"
    "          - buffer: b2\n            capacity: 1\n"
    "          - station: M3\n            cycle: 10s\n"
    "          - buffer: b3\n            capacity: 1\n"
    "          - station: M4\n            cycle: 10s\n";

// A scratch folder holding line.yaml (the line above) and a candidates file.
std::filesystem::path folder_with(const std::string& name, const std::string& file,
                                  const std::string& candidates) {
  const auto dir = takt::test::scratch(name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "line.yaml") << line(kOneBufferMatters);
  std::ofstream(dir / file) << candidates;
  return dir;
}

}  // namespace

TEST_CASE("The default candidates: each kind in the scenario's own key paths, each loadable") {
  const std::string yaml = line(
      "          - station: A\n            cycle: 1min\n            servers: 2\n"
      "            failures:\n              - {name: wear, mtbf: 8h, mttr: 10min}\n"
      "              - {ttf: exponential(2h), ttr: \"lognormal(mean=4min, cv=0.5)\", repairs: "
      "pause}\n"
      "          - buffer: direct\n            capacity: 0\n"
      "          - paced: L\n            positions: 3\n            takt: 50s\n"
      "            failures: {mtbf: 5h, mttr: 6min}\n"
      "          - buffer: endless\n            capacity: unlimited\n"
      "          - oven: O\n            capacity: 4\n            time: 2min\n"
      "          - buffer: '10'\n            capacity: 3\n"
      "          - station: C\n            cycle: {x: 30s, y: 40s}\n"
      "            changeover: 1min\n"
      "          - station: D\n            cycle: 10s\n            lot: {size: 5, setup: 1min}\n",
      "calendars:\n  two: {shifts: [{start: \"06:00\", length: 8h}, {start: \"14:00\", length: "
      "8h}]}\n  one: {shifts: [{start: \"06:00\", length: 8h}]}\n  three: {shifts: [{start: "
      "\"06:00\", length: 24h}]}\n",
      "    calendar: one\n    products: {x: 0.5, y: 0.5}\n");
  const auto s = load_scenario(yaml, "inline.yaml");
  const auto all = takt::scenario::default_candidates(s);
  std::vector<std::string> names;
  for (const Candidate& c : all) names.push_back(c.kind + " " + c.name);
  CHECK(names == std::vector<std::string>{
                     "repairs s/A: repairs twice as fast", "servers s/A: 2 -> 3 servers",
                     "buffers s/direct: 0 -> 1 places", "repairs s/L: repairs twice as fast",
                     "servers s/O: 4 -> 5 places", "buffers s/10: 3 -> 6 places",
                     "shifts shop s on two", "shifts plant on two"});
  CHECK(all[5].edits.at(0).expression == "plants[P].shops[s].line['10'].capacity=6");
  for (const Candidate& c : all) {
    CHECK(c.plants == std::vector<std::string>{"P"});
    CAPTURE(c.name);
    CHECK_NOTHROW(takt::scenario::load_candidate(yaml, "inline.yaml", {}, c));
  }
  // Repairs halved: the same profiles by name (so the same random streams), half the mean
  // repair time, the rest as it was.
  const auto changed = takt::scenario::load_candidate(yaml, "inline.yaml", {}, all[0]);
  const auto& before = std::get<takt::models::StationConfig>(s.plants[0].shops[0].line[0].spec);
  const auto& after =
      std::get<takt::models::StationConfig>(changed.plants[0].shops[0].line[0].spec);
  REQUIRE(after.failures.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(after.failures[i].name == before.failures[i].name);
    CHECK(after.failures[i].ttr.mean() == doctest::Approx(before.failures[i].ttr.mean() / 2));
    CHECK(after.failures[i].ttr.variance() ==
          doctest::Approx(before.failures[i].ttr.variance() / 4));
    CHECK(after.failures[i].ttf.mean() == before.failures[i].ttf.mean());
    CHECK(after.failures[i].repairs_pause == before.failures[i].repairs_pause);
  }
  CHECK(after.failures[1].name == "failure2");
  // --kinds picks from the list.
  CHECK(takt::scenario::default_candidates(s, {"buffers"}).size() == 2);
}

TEST_CASE("Names a key path cannot carry are selected by index, so every item gets candidates") {
  // A bracket or a quote in a name cannot be written inside [...]: the plant, the shop and the
  // items are then selected by their place in the file, and every candidate still loads and
  // changes the item it names.
  const std::string yaml =
      "scenario: t\nstart: 2023-01-02\nhorizon: 20d\nwarmup: 1d\nreplications: 8\n"
      "plants:\n  - name: \"P[1]\"\n    capacity: 100000\n    shops:\n"
      "      - name: \"it's\"\n        line:\n"
      "          - station: A\n            cycle: 1min\n"
      "          - buffer: '\"b\"'\n            capacity: 2\n"
      "          - station: \"fram[ing]\"\n            cycle: 1min\n";
  const auto s = load_scenario(yaml, "inline.yaml");
  const auto all = takt::scenario::default_candidates(s);
  std::vector<std::string> edits;
  for (const Candidate& c : all) {
    CAPTURE(c.name);
    CHECK(c.plants == std::vector<std::string>{"P[1]"});
    for (const auto& e : c.edits) edits.push_back(e.expression);
    CHECK_NOTHROW(takt::scenario::load_candidate(yaml, "inline.yaml", {}, c));
  }
  CHECK(edits == std::vector<std::string>{"plants[0].shops[0].line[A].servers=2",
                                          "plants[0].shops[0].line[1].capacity=4",
                                          "plants[0].shops[0].line[2].servers=2"});
  const auto changed = takt::scenario::load_candidate(yaml, "inline.yaml", {}, all[2]);
  CHECK(std::get<takt::models::StationConfig>(changed.plants[0].shops[0].line[2].spec).servers ==
        2);
}

TEST_CASE("Only one buffer matters: it ranks first and the others gain exactly 0, paired") {
  const std::string yaml = line(kOneBufferMatters);
  const auto s = load_scenario(yaml, "inline.yaml");
  const ImproveResult buffers =
      improve_yaml(yaml, takt::scenario::default_candidates(s, {"buffers"}));
  REQUIRE(buffers.rows.size() == 3);
  CHECK(buffers.rows[0].candidate == "s/b1: 1 -> 2 places");
  CHECK(buffers.rows[0].verdict == "gains");
  CHECK(buffers.rows[0].gain.ci_low > 0);
  // With every kind, the servers that are never used gain exactly nothing too, replication by
  // replication: common random numbers leave nothing to chance.
  const ImproveResult all = improve_yaml(yaml, takt::scenario::default_candidates(s));
  for (const char* name : {"s/b2: 1 -> 2 places", "s/b3: 1 -> 2 places", "s/M3: 1 -> 2 servers",
                           "s/M4: 1 -> 2 servers"}) {
    CAPTURE(name);
    for (const ImproveResult* r : {&buffers, &all}) {
      if (r == &buffers && std::string(name).find("servers") != std::string::npos) continue;
      const ImproveRow& row = row_named(*r, name);
      CHECK(row.simulated);
      CHECK(row.verdict == "no effect");
      CHECK(row.differences == std::vector<double>(8, 0.0));
    }
  }
  CHECK(row_named(all, "s/b1: 1 -> 2 places").gain.mean == buffers.rows[0].gain.mean);
}

TEST_CASE("The ranking is the same on one thread and on two") {
  const std::string yaml = line(kOneBufferMatters);
  const auto s = load_scenario(yaml, "inline.yaml");
  const auto candidates = takt::scenario::default_candidates(s);
  CHECK(takt::run::improve_json(improve_yaml(yaml, candidates, 1)) ==
        takt::run::improve_json(improve_yaml(yaml, candidates, 2)));
  CHECK(takt::run::improve_csv(improve_yaml(yaml, candidates, 1)) ==
        takt::run::improve_csv(improve_yaml(yaml, candidates, 2)));
}

TEST_CASE(
    "The bound screens out what cannot gain, a second server at the slow station gains "
    "exactly one vehicle a minute") {
  // A deterministic 60 s station then a 30 s one: the line builds one a minute, its bound.
  const std::string yaml = line(
      "          - station: slow\n            cycle: 60s\n"
      "          - buffer: b\n            capacity: 1\n"
      "          - station: fast\n            cycle: 30s\n");
  const auto s = load_scenario(yaml, "inline.yaml");
  const ImproveResult r = improve_yaml(yaml, takt::scenario::default_candidates(s));
  REQUIRE(r.plants.size() == 1);
  CHECK(r.plants[0].bound == doctest::Approx(60 * 8760));
  CHECK(r.plants[0].annual.mean == doctest::Approx(60 * 8760).epsilon(1e-4));
  CHECK(r.candidates == 3);
  CHECK(r.screened == 2);
  const ImproveRow& server = row_named(r, "s/slow: 1 -> 2 servers");
  CHECK(server.simulated);
  CHECK(server.bound == doctest::Approx(120 * 8760));
  CHECK(server.gain.mean == doctest::Approx(60 * 8760).epsilon(1e-4));
  CHECK(server.gain.stddev == doctest::Approx(0).epsilon(1e-9));
  CHECK(r.rows[0].candidate == server.candidate);
  for (const char* name : {"s/b: 1 -> 2 places", "s/fast: 1 -> 2 servers"}) {
    CAPTURE(name);
    const ImproveRow& row = row_named(r, name);
    CHECK_FALSE(row.simulated);
    CHECK(row.verdict == "cannot gain");
    CHECK(row.bound == doctest::Approx(60 * 8760));
  }
  // Only the base and the one candidate were simulated.
  CHECK(r.runs == 16);
}

TEST_CASE("Nothing is screened where the base builds more than its long-run bound") {
  // A 30-day MTBF in a 5-day window: most replications never fail, so the plant builds more
  // than its bound (which counts A up 3/4 of the time), and a second server at B gains.
  const std::string yaml =
      "scenario: t\nstart: 2023-01-02\nhorizon: 5d\nreplications: 10\nseed: 1\nplants:\n"
      "  - name: p\n    capacity: 500000\n    shops:\n      - name: s\n        line:\n"
      "          - station: A\n            cycle: 60s\n"
      "            failures: {mtbf: 30d, mttr: 10d}\n"
      "          - buffer: b\n            capacity: 5\n"
      "          - station: B\n            cycle: 70s\n";
  const auto s = load_scenario(yaml, "inline.yaml");
  const ImproveResult r = improve_yaml(yaml, takt::scenario::default_candidates(s));
  CHECK(r.plants[0].annual.mean > r.plants[0].bound);
  CHECK(r.screened == 0);
  CHECK(r.rows[0].candidate == "s/B: 1 -> 2 servers");
  CHECK(r.rows[0].verdict == "gains");
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("more than its capacity bound") != std::string::npos);
}

TEST_CASE("A default candidate that breaks a limit is left out with a note") {
  // Doubling each lane of a 2 x 400,000 store would hold 1,600,000: over the limit of 1,000,000.
  const std::string yaml = line(
      "          - station: A\n            cycle: exponential(1min)\n"
      "          - store: big\n            lanes: 2\n            lane_capacity: 400000\n"
      "          - station: B\n            cycle: exponential(1min)\n");
  const auto s = load_scenario(yaml, "inline.yaml");
  const ImproveResult r = improve_yaml(yaml, takt::scenario::default_candidates(s, {"buffers"}));
  CHECK(r.rows.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].rfind("left out: s/big: 400000 -> 800000 places a lane (", 0) == 0);
}

TEST_CASE("takt improve: a candidates file replaces the list, the table, JSON and CSV agree") {
  const auto dir =
      folder_with("improve-cli", "candidates.yaml",
                  "candidates:\n"
                  "  - name: bigger b1\n    set: [\"plants[P].shops[s].line[b1].capacity=2\"]\n"
                  "  - name: bigger b2 and b3\n    set:\n"
                  "      - plants[0].shops[s].line[b2].capacity=2\n"
                  "      - plants[0].shops[s].line[b3].capacity=2\n");
  const std::string base = "improve " + (dir / "line.yaml").string() + " -r 4 -j 1 ";
  const auto text =
      takt::test::run_takt(base + "--candidates " + (dir / "candidates.yaml").string() + " --out " +
                           (dir / "out").string());
  REQUIRE(text.status == 0);
  CHECK(text.out.find("   1  P           bigger b1") != std::string::npos);
  CHECK(text.out.find("bigger b2 and b3") != std::string::npos);
  CHECK(text.out.find("no effect") != std::string::npos);
  const std::string csv = takt::test::slurp(dir / "out" / "improve.csv");
  CHECK(csv.rfind("rank,plant,kind,candidate,edits,simulated,gain_mean", 0) == 0);
  CHECK(csv.find("\n2,P,file,bigger b2 and b3,plants[0].shops[s].line[b2].capacity=2; "
                 "plants[0].shops[s].line[b3].capacity=2,true,0,0,0,") != std::string::npos);
  const auto json = takt::test::run_takt(base + "--candidates " +
                                         (dir / "candidates.yaml").string() + " --format json");
  REQUIRE(json.status == 0);
  CHECK(json.out.find("\"candidate\": \"bigger b1\"") != std::string::npos);
  CHECK(json.out.find("\"verdict\": \"no effect\"") != std::string::npos);
  const auto listed = takt::test::run_takt(base + "--list --kinds buffers");
  CHECK(listed.status == 0);
  CHECK(listed.out.find("buffers  P  s/b1: 1 -> 2 places\n    --set "
                        "'plants[P].shops[s].line[b1].capacity=2'") != std::string::npos);
  // A plant named by digits is quoted in the key path, and the quotes are escaped for a shell.
  const auto digits =
      takt::test::run_takt(base + "--list --kinds buffers --set 'plants[0].name=7'");
  CHECK(digits.out.find("--set 'plants['\\''7'\\''].shops[s].line[b1].capacity=2'") !=
        std::string::npos);
}

TEST_CASE("takt improve: bad candidates and options are reported where written, exit 2") {
  const auto dir =
      folder_with("improve-bad", "bad.yaml",
                  "candidates:\n"
                  "  - name: typo\n    set: [\"plants[P].shops[s].line[b9].capacity=2\"]\n"
                  "  - name: negative\n    set: [\"plants[P].shops[s].line[b1].capacity=-1\"]\n"
                  "  - name: typo\n    sett: []\n");
  const std::string base = "improve " + (dir / "line.yaml").string() + " ";
  const auto bad = takt::test::run_takt(base + "--candidates " + (dir / "bad.yaml").string());
  CHECK(bad.status == 2);
  CHECK(bad.err.find("bad.yaml:7:5: error: candidates[typo]: unknown key 'sett' (did you mean "
                     "'set'?)") != std::string::npos);
  CHECK(bad.err.find("bad.yaml:6:5: error: candidates[typo]: missing required key 'set'") !=
        std::string::npos);
  CHECK(bad.err.find("a candidate named 'typo' is already given") != std::string::npos);
  // The file's own errors come first; once they are fixed the edits are checked, all at once.
  {
    std::ofstream(dir / "bad.yaml")
        << "candidates:\n"
           "  - name: typo\n    set: [\"plants[P].shops[s].line[b9].capacity=2\"]\n"
           "  - name: negative\n    set: [\"plants[P].shops[s].line[b1].capacity=-1\"]\n";
  }
  const auto edits = takt::test::run_takt(base + "--candidates " + (dir / "bad.yaml").string());
  CHECK(edits.status == 2);
  CHECK(edits.err.find("bad.yaml:3:11: error: plants[P].shops[s].line[b9]: no item named 'b9'") !=
        std::string::npos);
  CHECK(edits.err.find("(candidate \"typo\")") != std::string::npos);
  CHECK(edits.err.find("bad.yaml:5:11: error: ") != std::string::npos);
  CHECK(edits.err.find("(candidate \"negative\")") != std::string::npos);
  const auto missing = takt::test::run_takt(base + "--candidates " + (dir / "none.yaml").string());
  CHECK(missing.status == 2);
  CHECK(missing.err.find("none.yaml: error: cannot read") != std::string::npos);
  const auto kinds = takt::test::run_takt(base + "--kinds buffers,robots");
  CHECK(kinds.status == 2);
  CHECK(kinds.err.find("--kinds: expected some of buffers, repairs, servers, shifts") !=
        std::string::npos);
  CHECK(takt::test::run_takt(base + "--top 0").status == 2);
  // --list checks a file's edits as a run would.
  const auto listed =
      takt::test::run_takt(base + "--list --candidates " + (dir / "bad.yaml").string());
  CHECK(listed.status == 2);
  CHECK(listed.err.find("(candidate \"negative\")") != std::string::npos);
  CHECK(takt::test::run_takt(base + "--format csv").status == 2);
  // Every candidate runs the base's seed and replications: an edit of them did nothing and
  // ranked as "no effect".
  {
    std::ofstream(dir / "bad.yaml") << "candidates:\n"
                                       "  - name: seed\n    set: [\"seed=7\"]\n"
                                       "  - name: count\n    set: [\" precision = 1%\"]\n"
                                       "  - name: window\n    set: [\"warmup=1d\"]\n";
  }
  const auto run_count = takt::test::run_takt(base + "--candidates " + (dir / "bad.yaml").string());
  CHECK(run_count.status == 2);
  CHECK(run_count.err ==
        (dir / "bad.yaml").string() +
            ":3:11: error: candidates[seed].set[0]: sets seed, which improve runs alike for the "
            "scenario and every candidate (common random numbers): give -r or --seed instead\n" +
            (dir / "bad.yaml").string() +
            ":5:11: error: candidates[count].set[0]: sets precision, which improve runs alike for "
            "the scenario and every candidate (common random numbers): give -r or --seed "
            "instead\n" +
            (dir / "bad.yaml").string() +
            ":7:11: error: candidates[window].set[0]: sets warmup, which moves the measured "
            "window: the gain would be the windows', not the candidate's; give --set for the "
            "base and every candidate alike\n");
}

TEST_CASE("takt improve: a candidate whose run fails is told, the others are still ranked") {
  // 2,000 servers in front of an unlimited buffer and a 1-minute station: the queue grows
  // until the plant refuses to hold a million vehicles.
  const auto dir = folder_with("improve-failed", "unstable.yaml",
                               "candidates:\n"
                               "  - name: flood\n    set: [\"plants[P].shops[s].line[M1].servers="
                               "2000\", \"plants[P].shops[s].line[b1].capacity=unlimited\"]\n"
                               "  - name: bigger b1\n    set: [\"plants[P].shops[s].line[b1]."
                               "capacity=2\"]\n");
  const auto r = takt::test::run_takt("improve " + (dir / "line.yaml").string() + " --candidates " +
                                      (dir / "unstable.yaml").string() + " -r 2 -j 2 --out " +
                                      (dir / "out").string());
  CHECK(r.status == 0);
  CHECK(r.out.find("   1  P           bigger b1") != std::string::npos);
  CHECK(r.out.find("2 candidates: 1 simulated, 1 failed to run, 0 screened out") !=
        std::string::npos);
  CHECK(r.out.find("note: run failed: flood (plant P): more than 1,000,000 vehicles are inside "
                   "the plant") != std::string::npos);
  const std::string csv = takt::test::slurp(dir / "out" / "improve.csv");
  CHECK(csv.find(",false,,,,") != std::string::npos);
  CHECK(csv.find(",run failed\n") != std::string::npos);
}

TEST_CASE("takt improve: one replication has no interval, a precision rule is not used") {
  const auto dir = folder_with("improve-one", "unused.yaml", "candidates: []\n");
  const std::string base = "improve " + (dir / "line.yaml").string() + " --kinds buffers -j 1 ";
  const auto one = takt::test::run_takt(base + "-r 1 --out " + (dir / "out").string());
  REQUIRE(one.status == 0);
  CHECK(one.out.find("1 replication from seed") != std::string::npos);
  CHECK(one.out.find("n/a (1 replication)  one replication") != std::string::npos);
  CHECK(one.out.find(", +") == std::string::npos);  // no "[+x, +x]" interval of width 0
  const std::string csv = takt::test::slurp(dir / "out" / "improve.csv");
  CHECK(csv.find(",true,") != std::string::npos);
  CHECK(csv.find(",,,") != std::string::npos);  // gain_ci_low and gain_ci_high empty
  const auto ruled = takt::test::run_takt(base + "--set 'precision=50%' --set replications=2");
  CHECK(ruled.status == 0);
  CHECK(ruled.err.find("takt: note: improve runs a fixed count, 2 replications (the scenario's "
                       "`replications`); its precision rule is not used") != std::string::npos);
}
