// `takt fit`: observations made by takt itself from known parameter values, with the noise of
// other seeds, are recovered within the stated interval; a parameter the data cannot see is
// reported as not identified; bad observed files and --param ranges get located errors.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "takt/run/fit.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/observed.hpp"
#include "takt/scenario/scenario.hpp"

using takt::run::FitParameter;
using takt::run::FitResult;
using takt::run::Identification;
using takt::scenario::load_observed;
using takt::scenario::load_scenario;
using takt::test::run_takt;
using takt::test::scratch;

namespace {

// A plant ramping up from 10 % (logistic in months, midpoint MID) behind a 20-minute station;
// the second station's own ramp (from 50 % of a 1-minute cycle) never makes it the slower, so
// its midpoint cannot show in the output.
std::string ramp_plant(double midpoint) {
  return "scenario: fit-test\nstart: 2023-01-01\nend: 2023-08-31\nwarmup: 0d\nreplications: 5\n"
         "plants:\n  - name: P\n    capacity: 50000\n"
         "    ramp_up: {start: 2023-01-01, curve: logistic, midpoint: " +
         std::to_string(midpoint) +
         ", steepness: 1, floor: 0.1, ceiling: 1.0, applies_to: [speed]}\n"
         "    shops:\n      - name: s\n        line:\n"
         "          - station: M1\n            cycle: exponential(20min)\n"
         "          - buffer: b1\n            capacity: 5\n"
         "          - station: M2\n            cycle: 1min\n"
         "            ramp_up: {start: 2023-01-01, curve: logistic, midpoint: 3, steepness: 1, "
         "floor: 0.5, ceiling: 1.0, applies_to: [speed]}\n";
}

const char* kPlantMidpoint = "plants[P].ramp_up.midpoint=1..8";
const char* kStationMidpoint = "plants[P].shops[s].line[M2].ramp_up.midpoint=1..8";

std::string write(const std::string& name, const std::string& text) {
  const auto path = scratch(name);
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path.string();
}

// One history of the plant at midpoint 4, from a seed the fit never uses: its monthly output
// is what the fit is given.
std::string observed_history() {
  takt::scenario::Scenario s = load_scenario(ramp_plant(4), "truth.yaml");
  s.seed = 777;
  const takt::models::PlantKpis k = takt::run::run_replication(s, 0, 0);
  REQUIRE(k.monthly.size() == 8);
  std::string csv = "plant,period,output\n";
  for (std::size_t m = 0; m < k.monthly.size(); ++m)
    csv += "P,2023-0" + std::to_string(m + 1) + "," + std::to_string(k.monthly[m]) + "\n";
  return csv;
}

FitResult fit_ramp(const std::vector<std::string>& params, int evaluations, int replications,
                   const std::optional<takt::scenario::PrecisionRule>& rule = std::nullopt) {
  const std::string text = ramp_plant(6);  // the file's own value is not the answer
  const auto s = load_scenario(text, "fit.yaml");
  const auto observed = load_observed(write("history.csv", observed_history()), s);
  std::vector<FitParameter> parameters;
  for (const std::string& p : params) parameters.push_back(takt::run::parse_fit_parameter(p));
  return takt::run::fit(text, "fit.yaml", {}, observed, parameters,
                        {replications, std::nullopt, 2, false, 2, evaluations, false, rule});
}

std::string diagnostics_of(const std::string& csv, bool positive = false) {
  const auto s = load_scenario(ramp_plant(4), "fit.yaml");
  try {
    load_observed(write("obs.csv", csv), s, positive);
  } catch (const takt::scenario::ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("A ramp-up's midpoint is recovered within its interval from one history") {
  const FitResult r = fit_ramp({kPlantMidpoint}, 30, 5);
  REQUIRE(r.parameters.size() == 1);
  const auto& p = r.parameters.front();
  CAPTURE(p.value);
  REQUIRE(p.ci_low);
  CAPTURE(*p.ci_low);
  CAPTURE(*p.ci_high);
  CHECK(*p.ci_low <= 4.0);
  CHECK(*p.ci_high >= 4.0);
  // The interval says something: a small share of the range 1..8.
  CHECK(*p.ci_high - *p.ci_low < 1.0);
  CHECK(p.identification == Identification::kIdentified);
  CHECK(p.refits.size() == 5);
  CHECK(r.warnings.empty());
  // The fit's runs stop at the last observed month; the months are those of a full run at
  // the fitted value, to the vehicle.
  takt::scenario::Scenario full = load_scenario(
      ramp_plant(4), "full.yaml",
      {"plants[P].ramp_up.midpoint=" + takt::run::value_text(p.spec, p.value), "end=2023-12-31"});
  const takt::run::RunResult run =
      takt::run::run_scenario(full, {0, std::nullopt, 2, false, {}, std::nullopt});
  for (std::size_t m = 0; m < 8; ++m) {
    std::uint64_t sum = 0;
    for (const auto& k : run.plants[0].replications) sum += k.monthly[m];
    CHECK(r.periods[m].fitted.mean == doctest::Approx(static_cast<double>(sum) / 5).epsilon(1e-12));
  }
}

TEST_CASE("A plant the parameters leave unchanged is simulated once per replication") {
  // P alone, and P beside Q, whose one station takes 1000 days: Q builds nothing, so every
  // trial's objective is the same to the bit and both fits take the same path. Q's runs are
  // the same in every trial (plant_run_key alike) and are taken from the first.
  std::string csv = observed_history();
  for (std::size_t at = csv.find("\nP,"); at != std::string::npos; at = csv.find("\nP,", at + 1))
    csv.replace(at + 1, 1, "all");
  const std::string alone = ramp_plant(6);
  const std::string beside = alone +
                             "  - name: Q\n    capacity: 1000\n    shops:\n      - name: q\n"
                             "        line:\n          - station: Q1\n            cycle: 1000d\n";
  const auto fit_of = [&](const std::string& text, const std::string& name) {
    const auto s = load_scenario(text, name);
    const auto observed = load_observed(write(name + ".csv", csv), s);
    return takt::run::fit(text, name, {}, observed,
                          {takt::run::parse_fit_parameter(kPlantMidpoint)},
                          {3, std::nullopt, 2, false, 2, 12, false, std::nullopt});
  };
  const FitResult a = fit_of(alone, "alone.yaml");
  const FitResult b = fit_of(beside, "beside.yaml");
  CHECK(b.parameters[0].value == a.parameters[0].value);
  CHECK(b.evaluations == a.evaluations);
  CHECK(b.runs == a.runs + 3);  // P's runs, and Q's once per replication
  REQUIRE(b.periods.size() == a.periods.size());
  for (std::size_t i = 0; i < a.periods.size(); ++i)
    CHECK(b.periods[i].fitted.mean == a.periods[i].fitted.mean);
}

TEST_CASE("A precision rule chooses one count for every trial, at the centre of the ranges") {
  takt::scenario::PrecisionRule rule;
  rule.half_width = 0.02;
  rule.min = 2;
  rule.step = 2;
  rule.max = 12;
  const FitResult r = fit_ramp({kPlantMidpoint}, 12, 0, rule);
  REQUIRE(r.precision);
  const int n = r.replications;
  CAPTURE(n);
  CHECK(r.precision->replications == n);
  CHECK(n > 2);  // 2 % of eight months' output takes more than two runs
  CHECK(n % 2 == 0);
  // One entry per observed month (P 2023-01 ... P 2023-08), each within 2 % if met.
  REQUIRE(r.precision->reached.size() == 8);
  CHECK(r.precision->reached.front().first == "P 2023-01");
  for (const auto& [period, share] : r.precision->reached) {
    if (r.precision->met) CHECK(share <= rule.half_width);
  }
  // The rule only chose the count: the same fit as that count asked for.
  const FitResult fixed = fit_ramp({kPlantMidpoint}, 12, n);
  CHECK_FALSE(fixed.precision);
  CHECK(fixed.parameters[0].value == r.parameters[0].value);
  CHECK(fixed.objective == r.objective);
  CHECK(takt::run::fit_text(r).find("precision: " + std::to_string(n) +
                                    " replications (2, then steps of 2, at most 12)") !=
        std::string::npos);
}

// Every start of the search lies where the plant has not started in the observed months: the
// objective is flat there, and each start stopped on the plateau. The profile walks off it;
// its better trial is then the answer, not a warning beside the plateau's value.
TEST_CASE("A search stuck on a plateau takes the better value a profile found") {
  const std::string text =
      "scenario: plateau\nstart: 2023-01-01\nend: 2023-02-28\nwarmup: 0d\nreplications: 2\n"
      "plants:\n  - name: P\n    capacity: 50000\n    start_of_production: 2023-01-01\n"
      "    shops:\n      - name: s\n        line:\n"
      "          - station: M\n            cycle: exponential(10min)\n";
  const auto s = load_scenario(text, "plateau.yaml");
  takt::scenario::Scenario truth = load_scenario(text, "truth.yaml", {"seed=777"});
  const takt::models::PlantKpis k = takt::run::run_replication(truth, 0, 0);
  REQUIRE(k.monthly.size() == 2);
  const std::string csv = "plant,period,output\nP,2023-01," + std::to_string(k.monthly[0]) +
                          "\nP,2023-02," + std::to_string(k.monthly[1]) + "\n";
  const auto observed = load_observed(write("plateau.csv", csv), s);
  const FitResult r = takt::run::fit(
      text, "plateau.yaml", {}, observed,
      {takt::run::parse_fit_parameter("plants[P].start_of_production=2023-01-01..2023-12-01")},
      {0, std::nullopt, 2, false, 4, 120, false, std::nullopt});
  REQUIRE(r.parameters.size() == 1);
  // Fitted before mid-January, where the plant builds most of what was observed (the plateau
  // starts in March: every start of the search lies there).
  CHECK(r.parameters[0].value < 19372);  // 2023-01-15, in days since 1970-01-01
  for (const std::string& w : r.warnings) CHECK(w.find("did not converge") == std::string::npos);
}

TEST_CASE("A parameter the output cannot see is reported as not identified") {
  // Three replications keep the profiles (17 points of the plant's midpoint, 9 of the
  // station's, each refitting the other) quick.
  const FitResult r = fit_ramp({kPlantMidpoint, kStationMidpoint}, 40, 3);
  REQUIRE(r.parameters.size() == 2);
  const auto& plant = r.parameters[0];
  const auto& station = r.parameters[1];
  CHECK(plant.identification == Identification::kIdentified);
  REQUIRE(plant.ci_low);
  CHECK(*plant.ci_low <= 4.0);
  CHECK(*plant.ci_high >= 4.0);
  CHECK(station.identification == Identification::kNotIdentified);
  CHECK(station.consistent_low == 1.0);
  CHECK(station.consistent_high == 8.0);
  // Three replications know the noise too roughly for chi-square (t^2 with 2 degrees of
  // freedom has no mean): the fit says so.
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0].find("with 3 replications the spread of one history is known only "
                           "roughly") == 0);
  CHECK(r.warnings[1].find("plants[P].shops[s].line[M2].ramp_up.midpoint is not identified") == 0);
}

TEST_CASE("Observed files: every problem at once, each at its row and column") {
  const std::string all = diagnostics_of(
      "plant,period,output\n"
      "Q,2023-01,10\n"
      "P,2023-13,10\n"
      "P,2023-05..2023-02,10\n"
      "P,2022-12,10\n"
      "P,2023-02,-3\n"
      "all,2023-03,5\n"
      "all,2023-03..2023-03,6\n"
      "P,2023-04\n");
  CAPTURE(all);
  const std::string file = scratch("obs.csv").string();
  CHECK(all.find(file + ":2:1: error: plant: unknown plant \"Q\" (did you mean 'P'?)") !=
        std::string::npos);
  CHECK(all.find(file + ":3:3: error: period: expected a month like 2022-08") != std::string::npos);
  CHECK(all.find(file + ":4:3: error: period: the span's first month is after its last") !=
        std::string::npos);
  CHECK(all.find(file + ":5:3: error: period: 2022-12 is not inside the run's whole months") !=
        std::string::npos);
  CHECK(all.find(file + ":6:11: error: output: expected a number of vehicles") !=
        std::string::npos);
  CHECK(
      all.find(file + ":8:5: error: period: plant all has the months of 2023-03..2023-03 twice") !=
      std::string::npos);
  CHECK(all.find(file + ":9:1: error: expected PLANT,PERIOD,OUTPUT") != std::string::npos);
  CHECK(diagnostics_of("month,output\nP,2023-01,1\n").find(":1:1: error: expected the header") !=
        std::string::npos);
  CHECK(diagnostics_of("plant,period,output\n").find("no observed periods") != std::string::npos);
  CHECK(diagnostics_of("plant,period,output\nP,2023-01,0\n", true)
            .find("output: relative errors divide by the output") != std::string::npos);
  // A spreadsheet's byte-order mark and CRLF line ends are read as they are meant.
  CHECK(diagnostics_of("\xEF\xBB\xBFplant,period,output\r\nP,2023-01..2023-08,1.5\r\n").empty());
  // Quoted fields, as takt's own CSV files write names with commas or quotes; columns count
  // the quotes; a name in UTF-8 is shown as it is.
  CHECK(diagnostics_of("plant,period,output\n\"P\",\"2023-01\",10\n").empty());
  const std::string quoted = diagnostics_of(
      "plant,period,output\n\"P, \"\"x\"\"\",2023-01,10\n\"P\",2023-13,1\n两江,2023-01,1\n");
  CAPTURE(quoted);
  CHECK(quoted.find(file + ":2:1: error: plant: unknown plant \"P, \"x\"\"") != std::string::npos);
  CHECK(quoted.find(file + ":3:5: error: period: expected a month like 2022-08") !=
        std::string::npos);
  CHECK(quoted.find(file + ":4:1: error: plant: unknown plant \"两江\"") != std::string::npos);
  // A "" inside quotes is one quote, for the column too.
  CHECK(diagnostics_of("plant,period,output\n\"P\"\",x\",2023-13,1\n")
            .find(file + ":2:9: error: period") != std::string::npos);
}

TEST_CASE("--param ranges: numbers, durations and dates, anything else is refused") {
  const FitParameter n = takt::run::parse_fit_parameter("plants[P].ramp_up.midpoint=2..12");
  CHECK(n.kind == FitParameter::Kind::kNumber);
  CHECK(n.low == 2);
  CHECK(n.high == 12);
  const FitParameter d = takt::run::parse_fit_parameter("a.failures.mttr=10min..4h");
  CHECK(d.kind == FitParameter::Kind::kDuration);
  CHECK(d.high == 14400);
  CHECK(takt::run::value_text(d, 5400.4) == "1.5h");
  const FitParameter t =
      takt::run::parse_fit_parameter("plants[F].start_of_production=2022-06-01..2022-12-01");
  CHECK(t.kind == FitParameter::Kind::kDate);
  CHECK(takt::run::value_text(t, t.low + 30.4) == "2022-07-01");
  CHECK(takt::run::parse_fit_parameter("x=0..1.5").kind == FitParameter::Kind::kNumber);
  for (const char* bad : {"midpoint", "x=3", "x=..4", "x=4..2", "x=1..2h", "x=a..b", "seed=1..9",
                          "end=2022-01-01..2022-02-01"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(takt::run::parse_fit_parameter(bad), std::invalid_argument);
  }
}

TEST_CASE("takt fit: bad input exits 2 before any run, -j 1 and -j 2 give the same bytes") {
  const std::string yaml = write("fit.yaml", ramp_plant(6));
  const std::string csv = write("history.csv", observed_history());
  const std::string base = "fit '" + yaml + "' --observed '" + csv + "' ";
  const auto no_range = run_takt(base + "--param plants[P].ramp_up.midpoint=4");
  CHECK(no_range.status == 2);
  // The key is in the error's KEY.PATH place, as for every other input error.
  CHECK(no_range.err.find("--param: error: plants[P].ramp_up.midpoint: expected a range "
                          "LOW..HIGH, got \"4\"") != std::string::npos);
  // A key the scenario does not have is the loader's located error, against --param.
  const auto two_counts =
      run_takt(base + "--param 'plants[P].ramp_up.midpoint=1..8' -r 3 --precision 1%");
  CHECK(two_counts.status == 2);
  CHECK(two_counts.err.find("--precision chooses the replications") != std::string::npos);
  const auto run_key =
      run_takt(base + "--param 'plants[P].ramp_up.midpoint=1..8' --param 'precision=0.001..0.01'");
  CHECK(run_key.status == 2);
  CHECK(run_key.err.find("--param: error: precision: sets the run's window, its randomness or its "
                         "replications") != std::string::npos);
  const auto bad_key = run_takt(base + "--param 'plants[P].ramp_up.midpiont=1..8'");
  CHECK(bad_key.status == 2);
  CHECK(bad_key.err.find("--param: error: ") != std::string::npos);
  CHECK(bad_key.err.find("did you mean 'midpoint'") != std::string::npos);
  // An end the scenario refuses (a steepness below 0) is found before the search.
  const auto bad_end = run_takt(base + "--param 'plants[P].ramp_up.steepness=-1..2'");
  CHECK(bad_end.status == 2);
  CHECK(bad_end.err.find("--param: error: plants[P].ramp_up.steepness: must be positive") !=
        std::string::npos);
  // A distribution, a name or a whole-number key would be changed, not fitted; a key also
  // given to --set is ambiguous; one replication has no spread to judge by. Every problem is
  // reported at once, with the observed file's.
  const std::string bad_csv = write("bad.csv", "plant,period,output\nP,2023-13,5\n");
  const auto refused = run_takt(
      "fit '" + yaml + "' --observed '" + bad_csv + "' -r 1" +
      " --param 'plants[P].shops[s].line[M1].cycle=5min..20min' --param 'plants[P].name=1..5'" +
      " --param 'plants[P].shops[s].line[b1].capacity=1..9'" +
      " --param 'plants[P].ramp_up.midpoint=1..8' --set 'plants[P].ramp_up.midpoint=3'");
  CHECK(refused.status == 2);
  CAPTURE(refused.err);
  for (const char* expected :
       {"--param: error: plants[P].shops[s].line[M1].cycle: holds \"exponential(20min)\", not a "
        "duration",
        "--param: error: plants[P].name: holds \"P\", not a number",
        "--param: error: plants[P].shops[s].line[b1].capacity: takes whole numbers only",
        "--param: error: plants[P].ramp_up.midpoint: is also set by --set",
        "--replications: error: a fit needs at least 2 replications", ":2:3: error: period:"}) {
    CHECK(refused.err.find(expected) != std::string::npos);
  }
  // One value named two ways (by plant name and by index) is one key: given twice, or to
  // --set as well, it is refused like the same text twice.
  const auto twice =
      run_takt(base + "--param 'plants[P].ramp_up.midpoint=1..8'" +
               " --param 'plants[0].ramp_up.midpoint=2..6'" +
               " --param 'plants[0].ramp_up=1..3' --set 'plants[0].ramp_up.midpoint=3'");
  CHECK(twice.status == 2);
  CAPTURE(twice.err);
  for (const char* expected :
       {"--param: error: plants[0].ramp_up.midpoint: names the same value as --param "
        "plants[P].ramp_up.midpoint: fit it once",
        "--param: error: plants[0].ramp_up: overlaps --param plants[P].ramp_up.midpoint",
        "--param: error: plants[P].ramp_up.midpoint: is also set by --set "
        "plants[0].ramp_up.midpoint=3"}) {
    CHECK(twice.err.find(expected) != std::string::npos);
  }
  // Data no value can reproduce are said to be so, not fitted quietly at an end of the range.
  const std::string far = write("far.csv", "plant,period,output\nP,2023-01,100000\n");
  const auto misfit = run_takt("fit '" + yaml + "' --observed '" + far + "' --param '" +
                               kPlantMidpoint + "' -r 2 --evaluations 8 --starts 1");
  CHECK(misfit.status == 0);
  CHECK(misfit.out.find("warning: the model does not reproduce the data") != std::string::npos);
  CHECK(misfit.out.find("is at an end of its range") != std::string::npos);
  // The model's own history, from another seed, is no misfit with two replications, whose
  // spread is a rough estimate of the noise (the threshold widens with t^2's quantile).
  const auto own =
      run_takt("fit '" + yaml + "' --observed '" + write("own.csv", observed_history()) +
               "' --param '" + kPlantMidpoint + "' -r 2 --evaluations 8 --starts 1");
  CHECK(own.status == 0);
  CHECK(own.out.find("the model does not reproduce the data") == std::string::npos);
  CHECK(own.out.find("with 2 replications the spread of one history is known only roughly") !=
        std::string::npos);
  const auto missing = run_takt("fit '" + yaml + "' --observed nowhere.csv --param 'x=1..2'");
  CHECK(missing.status == 2);
  CHECK(missing.err.find("cannot read \"nowhere.csv\"") != std::string::npos);
  const auto no_param = run_takt("fit '" + yaml + "' --observed '" + csv + "'");
  CHECK(no_param.status == 2);

  const std::string fit =
      base + "--param '" + kPlantMidpoint + "' --evaluations 12 --starts 1 -r 3 --format json";
  const auto j1 = scratch("fit-j1"), j2 = scratch("fit-j2");
  const auto one = run_takt(fit + " -j 1 --out '" + j1.string() + "'");
  const auto two = run_takt(fit + " -j 2 --out '" + j2.string() + "'");
  REQUIRE(one.status == 0);
  CHECK(one.out == two.out);
  for (const char* f : {"fit.csv", "parameters.csv"}) {
    CAPTURE(f);
    CHECK(takt::test::slurp(j1 / f) == takt::test::slurp(j2 / f));
  }
  const std::string manifest = takt::test::slurp(j1 / "manifest.json");
  CHECK(manifest.find("\"command\": ") != std::string::npos);
  CHECK(manifest.find("\"seed\": \"42\"") != std::string::npos);
  CHECK(takt::test::slurp(j1 / "fit.csv").rfind("plant,period,first_month", 0) == 0);
}
