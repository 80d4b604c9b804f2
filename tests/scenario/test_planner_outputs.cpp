// What a planner reads off a run: help made from the option descriptions, figures that say
// when they have no interval, run ids that repeat exactly when the run does, rows that carry
// their keys and units, flows that add up, and an event trace.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

using takt::test::run_takt;
using takt::test::scratch;
using takt::test::slurp;

namespace {

std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  // takt quotes only fields with a comma, a quote or a line break; none of these tests has one.
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(slurp(file));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::size_t from = 0;
    for (std::size_t comma; (comma = line.find(',', from)) != std::string::npos; from = comma + 1)
      row.push_back(line.substr(from, comma - from));
    row.push_back(line.substr(from));
    rows.push_back(row);
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  FAIL("no column " << name);
  return 0;
}

const char* kRun = "run tests/data/analytic/paint_loop.yaml --set horizon=20d";

}  // namespace

TEST_CASE("Every subcommand's help has one form, made from its option descriptions") {
  const std::string top = run_takt("help").out;
  for (const char* command : {"run", "validate", "sweep", "merge", "exact", "version"}) {
    INFO(command);
    const auto help = run_takt(std::string(command) + " --help");
    CHECK(help.status == 0);
    CHECK(help.out.rfind(std::string("Usage: takt ") + command, 0) == 0);
    CHECK(help.out.find("\nOptions:\n") != std::string::npos);
    CHECK(help.out.find("  -h [ --help ]") != std::string::npos);
    CHECK(help.out.find(" arg ") == std::string::npos);  // every value is named
    CHECK(run_takt(std::string("help ") + command).out == help.out);
    CHECK(top.find(std::string("\n  takt ") + command) != std::string::npos);
  }
  const std::string run = run_takt("run --help").out;
  for (const char* text : {"[ --out ] DIR", "flows.csv", "--trace FILE", "--trace-window FROM..TO",
                           "--set KEY.PATH=VALUE", "[ --seed ] S"}) {
    CHECK(run.find(text) != std::string::npos);
  }
  CHECK(run_takt("sweep --help").out.find("--shard K/N") != std::string::npos);
  CHECK(run_takt("help nonsense").status == 2);
}

TEST_CASE("One replication has no interval, and says so") {
  const auto text = run_takt(std::string(kRun) + " --replications 1");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("n/a (1 replication)") != std::string::npos);
  CHECK(text.out.find("1 replication of ") != std::string::npos);
  CHECK(text.out.find(" (20d), warm-up") != std::string::npos);
  const auto json = run_takt(std::string(kRun) + " --replications 1 --format json");
  CHECK(json.out.find("\"ci95\": null") != std::string::npos);
  CHECK(json.out.find("\"ci95\": [") == std::string::npos);
  const auto two = run_takt(std::string(kRun) + " --replications 2");
  CHECK(two.out.find("n/a") == std::string::npos);
}

TEST_CASE("The run id repeats for the same run and differs for any other") {
  const auto id_of = [](const std::string& args) {
    const auto r = run_takt(args + " --replications 2 --format json");
    REQUIRE(r.status == 0);
    const auto at = r.out.find("\"run\": \"");
    REQUIRE(at != std::string::npos);
    return r.out.substr(at + 8, 16);
  };
  const std::string base = id_of(kRun);
  CHECK(base.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id_of(kRun) == base);
  CHECK(id_of(std::string(kRun) + " --seed 5") != base);
  CHECK(id_of(std::string(kRun) + " --set 'plants[paint].capacity=1'") != base);
  CHECK(id_of("run tests/data/analytic/paint_loop.yaml --set horizon=21d") != base);
  // A comment or a blank line is not a different scenario.
  const fs::path copy = scratch("commented") / "paint_loop.yaml";
  fs::create_directories(copy.parent_path());
  std::ofstream(copy) << "# a comment\n\n" << slurp("tests/data/analytic/paint_loop.yaml");
  CHECK(id_of("run '" + copy.string() + "' --set horizon=20d") == base);
  // Two runs' tables stacked have no two rows with the same key.
  const fs::path a = scratch("stack-a"), b = scratch("stack-b");
  REQUIRE(run_takt(std::string(kRun) + " --replications 2 --out '" + a.string() + "'").status == 0);
  REQUIRE(run_takt(std::string(kRun) + " --replications 2 --seed 5 --out '" + b.string() + "'")
              .status == 0);
  std::set<std::string> keys;
  std::size_t rows = 0;
  for (const fs::path& dir : {a, b}) {
    const auto table = read_csv(dir / "results.csv");
    for (std::size_t i = 1; i < table.size(); ++i, ++rows) {
      const auto& r = table[i];
      keys.insert(r[0] + "," + r[3] + "," + r[4] + "," + r[5] + "," + r[6]);
    }
  }
  CHECK(rows > 100);
  CHECK(keys.size() == rows);
}

TEST_CASE("Every row carries its run, scenario, edits, replication and plant, and a unit") {
  const fs::path dir = scratch("columns");
  REQUIRE(run_takt(std::string(kRun) + " --replications 2 --out '" + dir.string() + "'").status ==
          0);
  for (const char* name : {"results.csv", "monthly.csv", "stations.csv", "flows.csv"}) {
    INFO(name);
    const auto table = read_csv(dir / name);
    REQUIRE(table.size() > 2);
    const auto& header = table[0];
    CHECK(std::vector<std::string>(header.begin(), header.begin() + 5) ==
          std::vector<std::string>{"run", "scenario", "edits", "replication", "plant"});
    CHECK(header.back() == "unit");
    for (std::size_t i = 1; i < table.size(); ++i) {
      REQUIRE(table[i].size() == header.size());
      CHECK(table[i][1] == "paint-loop");
      CHECK(table[i][2] == "horizon=20d");
      CHECK(!table[i].back().empty());
    }
  }
  // monthly.csv: each month's output beside its nameplate (24/7: the capacity x its share of
  // the year's hours) and its working hours.
  const auto monthly = read_csv(dir / "monthly.csv");
  CHECK(monthly[1][5] == "2023-01");
  CHECK(monthly[1][6] == "capacity");  // no orders, no ramp-up: the plant itself limits it
  CHECK(monthly[1][7].empty());        // a plant's row, not a product's
  CHECK(monthly[1][8] == "output");
  CHECK(monthly[2][8] == "nameplate");
  CHECK(std::atof(monthly[2][9].c_str()) == doctest::Approx(420480.0 * 20 / 365).epsilon(1e-9));
  CHECK(monthly[3][8] == "scheduled_hours");
  CHECK(monthly[3][9] == "480");
}

TEST_CASE(
    "stations.csv lists the stations in flow order, with shares of calendar and scheduled time") {
  const fs::path dir = scratch("stations");
  REQUIRE(run_takt("run scenarios/examples/first-plant.yaml --replications 1 --out '" +
                   dir.string() + "'")
              .status == 0);
  const auto table = read_csv(dir / "stations.csv");
  const auto& h = table[0];
  const std::size_t position = column(h, "position"), station = column(h, "station"),
                    state = column(h, "state"), calendar = column(h, "of_calendar_time"),
                    scheduled = column(h, "of_scheduled_time");
  std::vector<std::string> order;
  std::map<std::string, double> calendar_sum, scheduled_sum;
  for (std::size_t i = 1; i < table.size(); ++i) {
    const auto& r = table[i];
    if (order.empty() || order.back() != r[station]) order.push_back(r[station]);
    CHECK(r[position] == std::to_string(order.size()));
    calendar_sum[r[station]] += std::atof(r[calendar].c_str());
    if (r[state] == "off_shift") {
      CHECK(r[scheduled].empty());
    } else {
      scheduled_sum[r[station]] += std::atof(r[scheduled].c_str());
    }
  }
  // The paced assembly line stands between the body stations and the test, as in the file.
  CHECK(order ==
        std::vector<std::string>{"underbody", "framing", "final-assembly", "end-of-line-test"});
  for (const auto& [name, sum] : calendar_sum) {
    INFO(name);
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-8));
    CHECK(scheduled_sum[name] == doctest::Approx(1.0).epsilon(1e-8));
  }
}

// paint_loop: the inspection sends q = 0.2 of the bodies back to the booth, so a body is
// reworked a geometric number of times with mean q / (1 - q) = 0.25 and variance
// q / (1 - q)^2 = 0.3125, and a share q of the bodies is reworked at least once. Over 20 days
// (about 22,800 bodies) the standard errors are 0.0037 and 0.0027; the bounds are 5 of them.
TEST_CASE("Rework visits, products and flows add up as the rework loop says") {
  const fs::path dir = scratch("flows");
  REQUIRE(run_takt(std::string(kRun) + " --replications 1 --out '" + dir.string() + "'").status ==
          0);
  std::map<std::string, double> plant, product, completed;
  for (const auto& r : read_csv(dir / "results.csv")) {
    if (r.size() < 9) continue;
    if (r[5] == "paint") plant[r[6]] = std::atof(r[7].c_str());
    if (r[6] == "product_output") product[r[5]] = std::atof(r[7].c_str());
    if (r[6] == "completed") completed[r[5]] = std::atof(r[7].c_str());
  }
  const double output = plant["output"];
  REQUIRE(output > 20000);
  CHECK(plant["rework_visits"] / output == doctest::Approx(0.25).epsilon(0.0185 / 0.25));
  CHECK(plant["reworked"] / output == doctest::Approx(0.2).epsilon(0.0135 / 0.2));
  CHECK(product.size() == 1);
  CHECK(product.begin()->second == output);
  std::map<std::string, double> line, rework;
  for (const auto& r : read_csv(dir / "flows.csv")) {
    if (r[7] == "line") line[r[5]] = std::atof(r[8].c_str());
    if (r[7] == "rework") {
      CHECK(r[6] == "booth.rework");
      rework[r[5]] = std::atof(r[8].c_str());
    }
  }
  CHECK(line["inspection"] + rework["inspection"] == completed["inspection"]);
  // A share q = 0.2 of about 28,500 inspections: standard error 0.0024, bound 5 of them.
  CHECK(rework["inspection"] / completed["inspection"] ==
        doctest::Approx(0.2).epsilon(0.012 / 0.2));
  CHECK(line["inspection"] == output);  // what passes inspection leaves the plant
}

TEST_CASE("A trace written into --out is one of the run's files: the next run replaces it") {
  // The second run refused the folder for holding trace.csv, a file 'it does not write'.
  const fs::path out = scratch("trace-in-out");
  const std::string run =
      "run tests/data/analytic/two_machines_b3.yaml --set horizon=2d -r 1 "
      "--jobs 1 --out '" +
      out.string() + "' --trace '" + (out / "trace.csv").string() + "'";
  REQUIRE(run_takt(run).status == 0);
  const std::string first = slurp(out / "trace.csv");
  CHECK(first.rfind("run,scenario,", 0) == 0);
  REQUIRE(run_takt(run).status == 0);
  CHECK(slurp(out / "trace.csv") == first);
  // A bare file name is in the working folder, not in --out (it threw "cannot make absolute
  // path" once); the run replaces the folder, and its trace.csv of the run before with it.
  const fs::path here = scratch("trace-bare");
  fs::create_directories(here);
  const auto bare =
      run_takt("run '" + fs::absolute("tests/data/analytic/two_machines_b3.yaml").string() +
                   "' --set horizon=2d -r 1 --jobs 1 --out '" + out.string() + "' --trace bare.csv",
               "cd '" + here.string() + "' &&");
  CHECK(bare.status == 0);
  CHECK(fs::exists(here / "bare.csv"));
  CHECK_FALSE(fs::exists(out / "trace.csv"));
  // A trace.csv of the planner's own is no takt trace: the folder is refused, the file kept.
  std::ofstream(out / "trace.csv") << "shift,operator\nA,Li\n";
  const auto theirs = run_takt(
      "run tests/data/analytic/two_machines_b3.yaml --set horizon=2d -r "
      "1 --jobs 1 --out '" +
      out.string() + "'");
  CHECK(theirs.status == 2);
  CHECK(slurp(out / "trace.csv") == "shift,operator\nA,Li\n");
}

TEST_CASE("A trace names the job that waits for a product changeover") {
  const fs::path dir = scratch("trace-changeover");
  fs::create_directories(dir);
  std::ofstream(dir / "co.yaml")
      << "scenario: co\nstart: 2024-01-01\nhorizon: 1d\nreplications: 1\nplants:\n"
         "  - name: P\n    capacity: 100000\n    products: {A: .5, B: .5}\n"
         "    shops: [{name: s, line: [{station: paint, cycle: 1min, changeover: 5min}]}]\n";
  REQUIRE(run_takt("run '" + (dir / "co.yaml").string() + "' --jobs 1 --trace '" +
                   (dir / "t.csv").string() + "'")
              .status == 0);
  const auto table = read_csv(dir / "t.csv");
  int setups = 0;
  for (std::size_t i = 1; i < table.size(); ++i) {
    if (table[i][12] != "setup") continue;
    ++setups;
    // The job waits in the station while it changes over: it was left empty.
    CHECK_FALSE(table[i][13].empty());
    CHECK((table[i][14] == "A" || table[i][14] == "B"));
  }
  CHECK(setups > 50);
}

TEST_CASE("--trace writes one replication's state intervals without changing the results") {
  const fs::path plain = scratch("untraced"), traced = scratch("traced");
  const fs::path trace = scratch("trace") / "trace.csv";
  fs::create_directories(trace.parent_path());
  const std::string run = "run scenarios/examples/first-plant.yaml --replications 2";
  REQUIRE(run_takt(run + " --out '" + plain.string() + "'").status == 0);
  REQUIRE(run_takt(run + " --out '" + traced.string() + "' --trace '" + trace.string() +
                   "' --trace-window 1d..3d --trace-replication 1")
              .status == 0);
  for (const char* name : {"results.csv", "stations.csv", "monthly.csv", "flows.csv"})
    CHECK(slurp(plain / name) == slurp(traced / name));
  const auto table = read_csv(trace);
  const auto& h = table[0];
  CHECK(h == std::vector<std::string>{"run", "scenario", "edits", "replication", "plant", "shop",
                                      "station", "slot", "begin", "end", "begin_h", "end_h",
                                      "state", "job", "product"});
  // Per slot the intervals follow each other without gap or overlap and cover the window.
  std::map<std::string, std::pair<double, double>> span;  // station/slot -> first begin, last end
  for (std::size_t i = 1; i < table.size(); ++i) {
    const auto& r = table[i];
    CHECK(r[3] == "1");
    const double begin = std::atof(r[10].c_str()), end = std::atof(r[11].c_str());
    CHECK(begin < end);
    const std::string slot = r[6] + "/" + r[7];
    auto it = span.find(slot);
    if (it == span.end()) {
      span[slot] = {begin, end};
    } else {
      CHECK(begin == doctest::Approx(it->second.second));
      it->second.second = end;
    }
    const bool holds = r[12] == "working" || r[12] == "blocked";
    if (holds && r[6] != "final-assembly") CHECK(r[14] == "vehicle");
    if (r[12] == "starved") CHECK(r[13].empty());
  }
  CHECK(span.size() >= 6);  // 2 body stations, the paced line, 3 test bays
  for (const auto& [slot, s] : span) {
    INFO(slot);
    CHECK(s.first == 24);
    CHECK(s.second == 72);
  }
  CHECK(table[1][8] == "2024-04-02T00:00:00.000");
  // Windows that cannot be traced are refused before the run.
  for (const char* bad : {"--trace-window 3d..1d", "--trace-window 0d..40d", "--trace-window 1d",
                          "--trace-replication 2", "--trace-window 100d..101d",
                          "--trace-window -1d..1d", "--set horizon=10d --trace-window 9d..11d"}) {
    INFO(bad);
    const auto r = run_takt(run + " --trace '" + trace.string() + "' " + bad);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("takt: --trace-", 0) == 0);
  }
  CHECK(run_takt(run + " --trace-window 0d..1d").status == 2);  // without --trace
  CHECK(run_takt(run + " --trace no/such/folder/t.csv").status == 2);
  // The trace is renamed over what it replaces: only a trace of takt's own is replaced (the
  // one above, again), never the scenario, a link or a FIFO.
  const std::string days = run + " --set horizon=5d --trace '";
  CHECK(run_takt(days + trace.string() + "'").status == 0);
  const fs::path scenario = trace.parent_path() / "plant.yaml";
  fs::copy_file("scenarios/examples/first-plant.yaml", scenario,
                fs::copy_options::overwrite_existing);
  const fs::path link = trace.parent_path() / "link.csv";
  fs::remove(link);
  fs::create_symlink(trace, link);
  const fs::path fifo = trace.parent_path() / "fifo.csv";
  fs::remove(fifo);
  REQUIRE(mkfifo(fifo.c_str(), 0644) == 0);
  for (const fs::path& target : {scenario, link, fifo}) {
    INFO(target);
    const auto r = run_takt("run '" + scenario.string() + "' --replications 2 --set horizon=5d " +
                            "--trace '" + target.string() + "'");
    CHECK(r.status == 2);
    CHECK(r.err.rfind("takt: --trace: ", 0) == 0);
  }
  CHECK(slurp(scenario) == slurp("scenarios/examples/first-plant.yaml"));
  // An empty file (what mktemp makes) holds nothing to lose: it becomes the trace.
  const fs::path empty = trace.parent_path() / "empty.csv";
  std::ofstream(empty).close();
  CHECK(run_takt(days + empty.string() + "'").status == 0);
  CHECK(slurp(empty).rfind("run,scenario,", 0) == 0);
  CHECK(fs::is_symlink(fs::symlink_status(link)));
  CHECK(fs::is_fifo(fs::symlink_status(fifo)));
}
