// Forecasts run on the calendar: a run ends on a date, years are calendar years, holidays come
// from a shared file that says which years it covers, and a run may start in any year of it.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cli_fixture.hpp"
#include "load_error.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using namespace takt::scenario;
using namespace takt::run;
using takt::sim::Time;
namespace fs = std::filesystem;

namespace {

// One 1-minute station on one 8 h shift (06:00-14:00, no break), Monday to Friday, with
// `holidays` as its calendar's holidays; `run` holds start and horizon or end.
std::string one_shift_line(const std::string& run, const std::string& holidays) {
  return "scenario: t\n" + run +
         "replications: 1\n"
         "calendars:\n"
         "  day:\n"
         "    workdays: [mon, tue, wed, thu, fri]\n"
         "    shifts: [{start: \"06:00\", length: 8h}]\n" +
         holidays +
         "plants:\n"
         "  - name: P\n"
         "    capacity: 120000\n"
         "    calendar: day\n"
         "    shops:\n"
         "      - name: s\n"
         "        line:\n"
         "          - station: S\n"
         "            cycle: 1min\n";
}

std::string error_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return takt::test::load_error(yaml, sets);
}

Scenario load(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return load_scenario(yaml, "inline.yaml", sets);
}

const fs::path kSeres = fs::path(TAKT_SOURCE_DIR) / "scenarios" / "seres.yaml";

}  // namespace

TEST_CASE("Whole years and months of horizon are calendar spans, end names the last day") {
  const auto days = [](const std::string& run) {
    return load(one_shift_line(run, "")).horizon.count() / Time::days(1).count();
  };
  CHECK(days("start: 2023-01-01\nhorizon: 1y\n") == 365);
  CHECK(days("start: 2023-01-01\nhorizon: 2y\n") == 731);  // 2024 is a leap year
  CHECK(days("start: 2024-03-01\nhorizon: 1y\n") == 365);
  // A month span from a day the last month lacks ends on that month's last day, included (it
  // once stopped the day before, so the 29th, 30th and 31st all ended a day short).
  CHECK(days("start: 2023-01-31\nhorizon: 1mo\n") == 29);  // to 2023-02-28
  CHECK(days("start: 2024-03-31\nhorizon: 1mo\n") == 31);  // to 2024-04-30
  CHECK(days("start: 2024-01-30\nhorizon: 1mo\n") == 31);  // to 2024-02-29
  CHECK(days("start: 2024-01-29\nhorizon: 1mo\n") == 31);  // to 2024-02-28, as from the 15th
  CHECK(days("start: 2024-02-29\nhorizon: 1y\n") == 366);  // to 2025-02-28
  CHECK(load(one_shift_line("start: 2024-08-31\nhorizon: 6mo\n", "")).last_day().to_string() ==
        "2025-02-28");
  CHECK(days("start: 2023-01-31\nhorizon: 18mo\n") == 547);
  // A span may end on the last day a date can have (it was refused, the day after being none).
  CHECK(days("start: 9999-12-01\nhorizon: 1mo\n") == 31);
  CHECK(days("start: 9999-01-01\nhorizon: 1y\n") == 365);
  CHECK(error_of(one_shift_line("start: 9999-12-02\nhorizon: 1mo\n", "")) ==
        "inline.yaml:3:10: error: horizon: the run would end after 9999-12-31");
  CHECK(days("start: 2023-01-01\nhorizon: 730d\n") == 730);
  CHECK(days("start: 2023-01-01\nend: 2024-12-31\n") == 731);
  CHECK(days("start: 2023-01-01\nend: 2023-01-01\n") == 1);
  CHECK(load(one_shift_line("start: 2023-01-01\nhorizon: 2y\n", "")).last_day().to_string() ==
        "2024-12-31");
  CHECK(error_of(one_shift_line("start: 2023-01-01\nend: 2022-12-31\n", "")) ==
        "inline.yaml:3:6: error: end: the last day 2022-12-31 is before the start 2023-01-01");
  CHECK(error_of(one_shift_line("start: 2023-01-01\nhorizon: 1y\nend: 2023-12-31\n", "")) ==
        "inline.yaml:4:6: error: end: give the run's length as horizon or its last day as end, "
        "not both");
  CHECK(error_of(one_shift_line("start: 2023-01-01\nhorizon: 0y\n", "")) ==
        "inline.yaml:3:10: error: horizon: must be positive, got 0y");
  // Part of a month is told in what the horizon takes, not in a duration's units.
  CHECK(error_of(one_shift_line("start: 2023-01-01\nhorizon: 1.5mo\n", "")) ==
        "inline.yaml:3:10: error: horizon: a horizon in months is a whole number of them, like "
        "18mo, got 1.5mo; give part of a month in days, like 45d");
  CHECK(error_of(one_shift_line("start: 2023-01-01\nhorizon: -2mo\n", "")) ==
        "inline.yaml:3:10: error: horizon: must be positive, got -2mo");
  CHECK(error_of(one_shift_line("start: 2023-01-01\nhorizon: 12345mo\n", "")) ==
        "inline.yaml:3:10: error: horizon: must be at most 100y, got 12345mo");
  // An edit replaces the file's own horizon or end.
  const std::string file = one_shift_line("start: 2023-01-01\nhorizon: 1y\n", "");
  CHECK(load(file, {"end=2023-03-31"}).horizon.count() / Time::days(1).count() == 90);
  // An edit of either replaces the other, so the last edit wins (two edits, or a --set after a
  // variant's `overrides:`, were refused as "not both").
  CHECK(load(file, {"horizon=10d", "end=2023-03-31"}).horizon.count() / Time::days(1).count() ==
        90);
  CHECK(load(file, {"end=2023-03-31", "horizon=10d"}).horizon.count() / Time::days(1).count() ==
        10);
}

TEST_CASE("A deterministic line's calendar year 2025 is counted to the vehicle with its holidays") {
  // 2025 has 261 weekdays; its holidays take 18 of them (1 Jan; 28-31 Jan, 3-4 Feb; 4 Apr;
  // 1, 2 and 5 May; 2 Jun; 1-3 and 6-8 Oct) and 5 weekend days are worked instead (26 Jan,
  // 8 Feb, 27 Apr, 28 Sep, 11 Oct): 248 days of 480 one-minute jobs.
  const Scenario s =
      load(one_shift_line("start: 2024-12-01\nend: 2026-01-31\n", "    holidays: cn-public\n"));
  REQUIRE(s.warnings.size() == 1);  // 2026 is not covered
  const RunResult r = run_scenario(s, {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  const PlantSummary sum = summarize_plant(r.plants[0]);
  REQUIRE(sum.years.size() == 3);
  CHECK(sum.years[0].year == 2024);
  CHECK(!sum.years[0].whole);
  CHECK(sum.years[1].year == 2025);
  CHECK(sum.years[1].whole);
  CHECK(sum.years[1].output.mean == 248 * 480);
  // The nameplate of a whole year is the capacity.
  CHECK(sum.years[1].nameplate == doctest::Approx(120000));
  CHECK(!sum.years[2].whole);
  // December 2024 has 22 weekdays and no holiday. January 2026 has 22 weekdays, and since the
  // file does not cover 2026 (the warning), 1 January is worked there.
  CHECK(sum.years[0].output.mean == 22 * 480);
  CHECK(sum.years[2].output.mean == 22 * 480);
  // The extrapolated rate is not a calendar year's output.
  CHECK(sum.annual_rate.mean != doctest::Approx(248 * 480));
}

TEST_CASE("A run past the years its holidays cover gets a warning naming the calendar") {
  const Scenario covered =
      load(one_shift_line("start: 2025-01-01\nhorizon: 1y\n", "    holidays: cn-public\n"));
  CHECK(covered.warnings.empty());
  const Scenario later =
      load(one_shift_line("start: 2025-06-01\nhorizon: 2y\n", "    holidays: cn-public\n"));
  REQUIRE(later.warnings.size() == 1);
  CHECK(later.warnings[0] ==
        "inline.yaml:9:15: warning: calendars.day.holidays: its holiday file cn-public covers "
        "2022-2025; the run reaches 2026-2027 too, whose holidays and make-up days it does not "
        "give (a day it does not list works as the week says)");
  // Holidays listed in the file speak for the years they fall in.
  const Scenario listed =
      load(one_shift_line("start: 2023-01-01\nhorizon: 2y\n",
                          "    holidays: [{from: 2023-10-02, to: 2023-10-06, name: Golden "
                          "Week}]\n"));
  REQUIRE(listed.warnings.size() == 1);
  CHECK(listed.warnings[0] ==
        "inline.yaml:9:15: warning: calendars.day.holidays: its holidays cover 2023; the run "
        "reaches 2024 too, whose holidays and make-up days it does not give (a day it does not "
        "list works as the week says)");
  // A calendar without holidays makes no claim, so it gets no warning.
  CHECK(load(one_shift_line("start: 2023-01-01\nhorizon: 5y\n", "")).warnings.empty());
  // The command line prints it and still runs.
  const auto r = takt::test::run_takt("run -r 1 --set start=2025-06-01 --set end=2026-01-31");
  CHECK(r.status == 0);
  CHECK(r.err.find("<built-in seres.yaml>:52:15: warning: calendars.two-shift.holidays: its "
                   "holiday file cn-public covers 2022-2025; the run reaches 2026 too") !=
        std::string::npos);
}

TEST_CASE("--set start= moves a run into any year its calendars cover") {
  // Make-up days and pattern changes before the start cannot matter; they used to be refused
  // under the model's own name for make-up days.
  for (const char* start : {"start=2022-03-01", "start=2024-01-01", "start=2025-01-01"}) {
    INFO(start);
    const Scenario s = load_scenario_file(kSeres, {start});
    CHECK(s.warnings.empty());
  }
  const std::string changes =
      "    changes:\n"
      "      - {from: 2023-03-01, shifts: [{start: \"06:00\", length: 10h}]}\n"
      "      - {from: 2023-06-01, shifts: [{start: \"06:00\", length: 12h}]}\n";
  // From 2023-04-01 the first change is in force at time zero; 3 Apr 2023 is a Monday.
  const Scenario s = load(one_shift_line("start: 2023-04-01\nhorizon: 2mo\n", changes));
  const RunResult r = run_scenario(s, {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  const auto& k = r.plants[0].replications[0];
  REQUIRE(k.monthly.size() == 2);
  CHECK(k.monthly[0] == 20 * 600);  // April 2023: 20 weekdays of 10 h
  CHECK(k.monthly[1] == 23 * 600);  // May: 23 weekdays, still 10 h (12 h from June)
}

TEST_CASE("A change without workdays keeps the week's, a make-up day on a holiday is refused") {
  const auto calendar = [](const std::string& more) {
    return "scenario: t\nstart: 2024-04-01\nhorizon: 14d\nreplications: 1\ncalendars:\n"
           "  week:\n    workdays: [mon, tue, wed, thu, fri, sat, sun]\n"
           "    shifts: [{start: \"06:00\", length: 8h}]\n" +
           more +
           "plants:\n  - name: P\n    capacity: 120000\n    calendar: week\n    shops:\n"
           "      - name: s\n        line:\n          - station: S\n            cycle: 1min\n";
  };
  // Seven days of 8 h, then seven of 10 h: the longer shift does not drop the weekend.
  const Scenario longer = load(
      calendar("    changes: [{from: 2024-04-08, shifts: [{start: \"06:00\", length: 10h}]}]\n"));
  const RunResult r = run_scenario(longer, {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  REQUIRE(r.plants[0].replications[0].monthly_scheduled_hours.size() == 1);
  CHECK(r.plants[0].replications[0].monthly_scheduled_hours[0] == doctest::Approx(7 * 8 + 7 * 10));
  // A make-up day that is also a holiday would be off without a word.
  CHECK(error_of(calendar("    holidays: [{from: 2024-04-05, to: 2024-04-07, name: h}]\n"
                          "    makeup_days: [2024-04-06]\n")) ==
        "inline.yaml:10:19: error: calendars.week.makeup_days[0]: is also a holiday (h): a make-up "
        "day is a day worked; to work it, leave it out of the holidays");
}

// The first, partial year's nameplate spreads the capacity over the year from the start: from
// 2024-03-01 that year holds no leap day, though 2024 is a leap year.
TEST_CASE("A partial first year's nameplate is the year from the start, leap day or not") {
  const Scenario s = load(
      "scenario: t\nstart: 2024-03-01\nhorizon: 12mo\nreplications: 1\nplants:\n"
      "  - name: P\n    capacity: 8760\n    shops:\n      - name: s\n        line:\n"
      "          - station: S\n            cycle: 1h\n");
  const RunResult r = run_scenario(s, {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  const auto& k = r.plants[0].replications[0];
  REQUIRE(k.monthly_nameplate.size() == 12);
  CHECK(k.monthly_nameplate[0] == doctest::Approx(744));  // March: 31 days of 24 h
  double year = 0;
  for (const double n : k.monthly_nameplate) year += n;
  CHECK(year == doctest::Approx(8760).epsilon(1e-12));
}

TEST_CASE("Calendar mistakes are named by the file's keys") {
  const std::string bad =
      "    makeup_days: [2022-12-31, 2023-01-28, 2023-02-04, 2023-01-28]\n"
      "    changes:\n"
      "      - {from: 2023-03-01, shifts: [{start: \"06:00\", length: 25h}]}\n";
  const std::string e = error_of(one_shift_line("start: 2023-01-01\nhorizon: 1y\n", bad));
  // 2022-12-31 is before the start and dropped; the indexes stay those of the file.
  // Each told where it is written (they were all told at the calendar's first key).
  CHECK(e.find("inline.yaml:9:55: error: calendars.day.makeup_days[3]: makeup_days[3] is "
               "2023-01-28, the same date as makeup_days[1]") != std::string::npos);
  CHECK(e.find("inline.yaml:11:37: error: calendars.day.changes[2023-03-01].shifts[0]: "
               "changes[0].shifts[0] (06:00+25h)") != std::string::npos);
  // A break overlapping another is told at the break.
  const std::string breaks = error_of(one_shift_line(
      "start: 2023-01-01\nhorizon: 1y\n",
      "    changes:\n      - {from: 2023-03-01, shifts: [{start: \"06:00\", length: 8h, breaks: "
      "[{start: \"09:00\", length: 30min}, {start: \"09:15\", length: 30min}]}]}\n"));
  CHECK(breaks.find("inline.yaml:10:75: error: calendars.day.changes[2023-03-01].shifts[0]."
                    "breaks[0]: changes[0].shifts[0].breaks[0] (09:00+30min) and breaks[1] "
                    "(09:15+30min) overlap") != std::string::npos);
  // A make-up day a holiday file lists too is named by the file, not by an index into a list
  // the planner never wrote.
  const std::string file_day =
      error_of(one_shift_line("start: 2024-01-01\nhorizon: 1y\n",
                              "    holidays: cn-public\n    makeup_days: [2024-02-04]\n"));
  CHECK(file_day.find("calendars.day.makeup_days[0]: makeup_days[0] is 2024-02-04, the same date "
                      "as the make-up day 2024-02-04 of holiday file 'cn-public'") !=
        std::string::npos);
  CHECK(e.find("changes[0].shifts[0]") != std::string::npos);
  CHECK(e.find("extra_workdays") == std::string::npos);
  CHECK(e.find("periods[") == std::string::npos);
}

TEST_CASE("A make-up day the week in force works anyway is told, as it changes nothing") {
  const Scenario s = load(one_shift_line(
      "start: 2023-01-01\nhorizon: 1y\n",
      "    makeup_days: [2023-01-28, 2023-02-06, 2023-06-10, 2022-12-26]\n"
      "    changes:\n"
      "      - {from: 2023-06-01, workdays: [mon, tue, wed, thu, fri, sat], shifts: [{start: "
      "\"06:00\", length: 8h}]}\n"));
  // A Saturday before the change works as a make-up day; a Monday, and a Saturday once the
  // week has six days, do not change anything. A day before the start is dropped in silence.
  CHECK(s.warnings == std::vector<std::string>{
                          "inline.yaml:9:31: warning: calendars.day.makeup_days[1]: 2023-02-06 is "
                          "a Monday, which the week in force works anyway: as a make-up day it "
                          "changes nothing",
                          "inline.yaml:9:43: warning: calendars.day.makeup_days[2]: 2023-06-10 is "
                          "a Saturday, which the week in force works anyway: as a make-up day it "
                          "changes nothing"});
  // A holiday file's make-up days serve weeks of five and of six days alike: no word.
  const Scenario six = load(
      "scenario: t\nstart: 2024-01-01\nhorizon: 1y\ncalendars:\n  six:\n"
      "    workdays: [mon, tue, wed, thu, fri, sat]\n    shifts: [{start: \"06:00\", length: 8h}]\n"
      "    holidays: cn-public\nplants:\n  - name: P\n    capacity: 1000\n    calendar: six\n"
      "    shops:\n      - name: s\n        line:\n          - station: S\n            cycle: "
      "1min\n");
  CHECK(six.warnings.empty());
}

TEST_CASE("Holiday files: built in by name, or a path, their mistakes point into them") {
  CHECK(error_of(one_shift_line("start: 2023-01-01\nhorizon: 1y\n", "    holidays: cn-publik\n")) ==
        "inline.yaml:9:15: error: calendars.day.holidays: unknown holiday file 'cn-publik' (did "
        "you mean 'cn-public'?); name a built-in one or a path ending in .yaml");
  const fs::path dir = takt::test::scratch("holidays");
  fs::create_directories(dir);
  {
    std::ofstream(dir / "plant.yaml") << "holidays: plant\nyears:\n"
                                         "  - year: 2023\n"
                                         "    notice: 2022-11-01\n"
                                         "    holidays: [{from: 2023-07-31, to: 2023-08-11, "
                                         "name: summer shutdown}]\n";
    std::ofstream(dir / "bad.yaml")
        << "holidays: bad\nyears:\n"
           "  - year: 2023\n"
           "    notice: 2022-13-01\n"
           "    holidays: [{from: 2023-07-31, too: 2023-08-11},\n"
           "               {from: 2023-05-10, to: 2023-05-01},\n"
           "               {from: 2024-05-01, to: 2024-05-03},\n"
           "               {from: 2023-12-30, to: 2024-01-01}]\n"
           "    makeup_days: [2023-12-31, 2022-12-31, 2021-06-05, 2024-01-13]\n";
    std::ofstream(dir / "run.yaml") << one_shift_line("start: 2023-01-01\nhorizon: 1y\n",
                                                      "    holidays: [cn-public, plant.yaml]\n");
    std::ofstream(dir / "bad-run.yaml")
        << one_shift_line("start: 2023-01-01\nhorizon: 1y\n", "    holidays: bad.yaml\n");
  }
  // The summer shutdown's ten weekdays come on top of the public holidays.
  const Scenario both = load_scenario_file(dir / "run.yaml");
  const Scenario public_only =
      load(one_shift_line("start: 2023-01-01\nhorizon: 1y\n", "    holidays: cn-public\n"));
  const auto output = [](const Scenario& s) {
    return run_scenario(s, {1, std::nullopt, 1, false, std::nullopt, std::nullopt})
        .plants[0]
        .replications[0]
        .output;
  };
  CHECK(output(public_only) - output(both) == 10 * 480);
  CHECK(both.resolved_hash != public_only.resolved_hash);
  std::string e;
  try {
    load_scenario_file(dir / "bad-run.yaml");
  } catch (const ScenarioError& x) {
    e = x.what();
  }
  CHECK(e.find((dir / "bad.yaml").string() +
               ":4:13: error: years['2023'].notice: \"2022-13-01\" is not a date") !=
        std::string::npos);
  CHECK(e.find((dir / "bad.yaml").string() + ":5:35: error: years['2023'].holidays[0]: "
                                             "unknown key 'too'") != std::string::npos);
  // A range that ends before it starts or misses its year, and a make-up day that is a holiday
  // too or far from its year, are errors in the file, not at the calendar that uses it. A
  // range across New Year, and a make-up day of the December before or January after, are fine.
  CAPTURE(e);
  for (const char* expected :
       {":6:39: error: years['2023'].holidays[1].to: ends before it starts (from 2023-05-10)",
        ":7:16: error: years['2023'].holidays[2]: lies outside the year 2023 it is listed under",
        ":9:19: error: years['2023'].makeup_days[0]: is also a holiday (holiday): a make-up day "
        "is a day worked",
        ":9:43: error: years['2023'].makeup_days[2]: lies outside the year 2023"}) {
    CHECK(e.find((dir / "bad.yaml").string() + expected) != std::string::npos);
  }
  CHECK(e.find("makeup_days[1]") == std::string::npos);
  CHECK(e.find("makeup_days[3]") == std::string::npos);  // the January after: a break's
  CHECK(e.find("holidays[3]") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("A weekday or a holiday file named twice is refused where it is named again") {
  std::string twice =
      one_shift_line("start: 2024-01-01\nhorizon: 30d\n", "    holidays: [cn-public, cn-public]\n");
  twice.replace(twice.find("[mon, tue"), 9, "[mon, mon");
  // A file twice was told as 13 make-up days "listed twice" under indices never written.
  CHECK(error_of(twice) ==
        "inline.yaml:7:21: error: calendars.day.workdays[1]: 'mon' is listed twice\n"
        "inline.yaml:9:27: error: calendars.day.holidays[1]: the holiday file 'cn-public' is "
        "named twice");
  // Overlapping ranges stay a union: a company's days around the Spring Festival are common.
  CHECK(error_of(one_shift_line("start: 2024-01-01\nhorizon: 60d\n",
                                "    holidays: [cn-public, {name: plant, from: 2024-02-08, to: "
                                "2024-02-20}]\n")) == "no error");
}
