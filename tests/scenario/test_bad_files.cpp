// Every kind of mistake in a scenario file gets its exact message, with file, line, column and
// key path, and all mistakes of a file are reported at once. One file per kind of mistake in
// tests/data/bad/; the messages are pinned here and reviewed when they change.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

#include "cli_fixture.hpp"
#include "load_error.hpp"
#include "minute_line.hpp"
#include "takt/scenario/scenario.hpp"

using takt::scenario::load_scenario_file;
using takt::scenario::ScenarioError;

namespace {

// The message of loading tests/data/bad/NAME, with the directory left out of file names.
std::string errors_of(const std::string& name) {
  const std::string dir = std::string(TAKT_SOURCE_DIR) + "/tests/data/bad/";
  try {
    load_scenario_file(dir + name);
  } catch (const ScenarioError& e) {
    std::string text = e.what();
    for (std::size_t at; (at = text.find(dir)) != std::string::npos;) text.erase(at, dir.size());
    return text;
  }
  return "no error";
}

}  // namespace

TEST_CASE("An unknown key is an error with a suggestion, and the key it hid is reported missing") {
  CHECK(errors_of("unknown_key.yaml") ==
        "unknown_key.yaml:10:13: error: plants[Demo].shops[weld].line[framing]: missing required "
        "key 'cycle'\n"
        "unknown_key.yaml:11:13: error: plants[Demo].shops[weld].line[framing]: unknown key "
        "'cycel' (did you mean 'cycle'?)");
}

TEST_CASE("A duplicate key is an error that names the first one") {
  CHECK(errors_of("duplicate_key.yaml") ==
        "duplicate_key.yaml:14:13: error: plants[Demo].shops[weld].line[wbs]: duplicate key "
        "'capacity' (first given at line 13)");
}

TEST_CASE("A word where a number belongs is a type error") {
  CHECK(errors_of("wrong_type.yaml") ==
        "wrong_type.yaml:13:23: error: plants[Demo].shops[weld].line[wbs].capacity: expected a "
        "whole number, got \"forty\"");
}

TEST_CASE("A duration with an unknown unit says which units exist") {
  CHECK(errors_of("bad_unit.yaml") ==
        "bad_unit.yaml:11:20: error: plants[Demo].shops[weld].line[framing].cycle: unknown time "
        "unit \"sec\" in \"81 sec\" (use ms, s, min, h, d, w or y)");
}

TEST_CASE("A distribution missing a parameter says what is expected") {
  CHECK(errors_of("bad_distribution.yaml") ==
        "bad_distribution.yaml:11:20: error: plants[Demo].shops[weld].line[framing].cycle: "
        "lognormal: missing cv (expected lognormal(mean=90s, cv=0.15))");
}

TEST_CASE("Zero where a positive number is needed is an error") {
  CHECK(errors_of("not_positive.yaml") ==
        "not_positive.yaml:12:22: error: plants[Demo].shops[weld].line[framing].servers: must be "
        "positive, got 0");
}

TEST_CASE("A reference to a calendar that does not exist suggests the closest one") {
  CHECK(errors_of("unknown_calendar.yaml") ==
        "unknown_calendar.yaml:10:15: error: plants[Demo].calendar: unknown calendar 'two-shfit' "
        "(did you mean 'two-shift'?)");
}

TEST_CASE("A route to a station that does not exist suggests the closest one") {
  CHECK(errors_of("unknown_station.yaml") ==
        "unknown_station.yaml:14:27: error: "
        "plants[Demo].shops[weld].line[inspection].routes[framng].to: unknown station or buffer "
        "'framng' (did you mean 'framing'?)");
}

TEST_CASE("An empty file is an error") {
  CHECK(errors_of("empty.yaml") == "empty.yaml:1:1: error: file is empty");
}

TEST_CASE("Text that is not UTF-8 is refused at its first bad byte") {
  // Names go into JSON and CSV outputs as written: a stray 0xFF would make them unreadable.
  CHECK(errors_of("not_utf8.yaml") ==
        "not_utf8.yaml:5:15: error: not UTF-8 text here: save the file as UTF-8");
}

TEST_CASE("A file of comments only is an empty file") {
  CHECK(errors_of("comments_only.yaml") == "comments_only.yaml:1:1: error: file is empty");
}

TEST_CASE("Text that is not YAML is an error at the parser's position") {
  CHECK(errors_of("not_yaml.yaml") ==
        "not_yaml.yaml:3:1: error: not valid YAML: end of map flow not found");
}

TEST_CASE("An alias inside what it names, or aliases that multiply, are refused, not followed") {
  // Followed, the first overflowed the stack (a crash) and the second took ten times longer a
  // line; both files and --set values are checked before any value is read.
  CHECK(errors_of("recursive_alias.yaml") ==
        "recursive_alias.yaml:8:12: error: this alias names a list or mapping that holds it: the "
        "value would hold itself without end; copy the values instead");
  CHECK(errors_of("alias_bomb.yaml") ==
        "alias_bomb.yaml:1:1: error: the file: its aliases expand to more than 1000000 values, far "
        "more than any scenario: aliases of aliases multiply them");
  const auto set = takt::test::run_takt(
      "capacity tests/data/analytic/two_machines_b3.yaml --set 'plants[line].shops[shop]={name: "
      "shop, line: &a [*a]}'");
  CHECK(set.status == 2);
  // Valid YAML, refused: said as such, as in a file.
  CHECK(set.err.find("--set: error: plants[line].shops[shop]: this alias names a list or mapping "
                     "that holds it") != std::string::npos);
}

TEST_CASE("A missing required key is reported at its parent mapping") {
  CHECK(errors_of("missing_key.yaml") ==
        "missing_key.yaml:10:13: error: plants[Demo].shops[weld].line[framing]: missing required "
        "key 'cycle'");
}

TEST_CASE("Every error of a file is reported at once, in file order") {
  CHECK(errors_of("several_errors.yaml") ==
        "several_errors.yaml:2:8: error: start: \"2023-02-30\" is not a date: February 2023 has 28 "
        "days\n"
        "several_errors.yaml:3:10: error: horizon: must be positive, got -5d\n"
        "several_errors.yaml:4:15: error: replications: expected a whole number, got \"ten\"\n"
        "several_errors.yaml:13:23: error: plants[Demo].shops[weld].line[framing].failures: "
        "missing required key 'mttr'\n"
        "several_errors.yaml:15:23: error: plants[Demo].shops[weld].line[wbs].capacity: must not "
        "be negative, got -1");
}

TEST_CASE("A bad start is the only error a good end or warm-up gets from it") {
  // The run's length was measured from the default start (1970), so a last day of 2080 was
  // called more than 100 years off, one of 1960 before the start, and a warm-up or the events
  // a replication needs were judged against a horizon nobody gave.
  const std::string plant =
      "plants:\n  - name: P\n    capacity: 1000\n    shops:\n      - name: s\n        line:\n"
      "          - station: S\n            cycle: 1min\n";
  const std::string bad_start = "scenario: t\nstart: 2023-13-01\n";
  const std::string start_error =
      "inline.yaml:2:8: error: start: \"2023-13-01\" is not a date: months run from 01 to 12";
  // 2mo from 1970-01-01 is 59 days; from most starts 60 or more.
  for (const std::string& length :
       {std::string("end: 2080-06-30\n"), std::string("end: 1960-01-31\n"),
        std::string("end: 2080-06-30\nwarmup: 400d\n"),
        std::string("horizon: 2mo\nwarmup: 60d\n")}) {
    INFO(length);
    CHECK(takt::test::load_error(bad_start + length + plant) == start_error);
  }
  // 6.3e10 events in a year of 1 ms cycles, 1.7e9 in the ten days the run was to take.
  std::string fast = plant;
  fast.replace(fast.find("1min"), 4, "1ms");
  CHECK(takt::test::load_error(bad_start + "end: 2023-01-10\n" + fast) == start_error);
  // A horizon in days has its length whatever the start: the warm-up is still judged by it.
  const std::string days =
      takt::test::load_error(bad_start + "horizon: 30d\nwarmup: 40d\n" + plant);
  INFO(days);
  CHECK(days == start_error + "\ninline.yaml:4:9: error: warmup: must be shorter than the horizon");
  // The end is still read: one that is no date is told beside the start.
  const std::string both = takt::test::load_error(bad_start + "end: 2080-02-30\n" + plant);
  INFO(both);
  CHECK(std::count(both.begin(), both.end(), '\n') == 1);
  CHECK(both.find("inline.yaml:3:6: error: end: \"2080-02-30\" is not a date") !=
        std::string::npos);
  // A warm-up longer than a horizon that failed to read is not judged against the default.
  const std::string horizon =
      takt::test::load_error("scenario: t\nstart: 2023-01-01\nhorizon: 2x\nwarmup: 400d\n" + plant);
  INFO(horizon);
  CHECK(std::count(horizon.begin(), horizon.end(), '\n') == 0);
  CHECK(horizon.find("inline.yaml:3:10: error: horizon:") != std::string::npos);
}

TEST_CASE("Two buffers with no station between them are a layout error at the second") {
  // It was told at the plant, which may hold dozens of buffers.
  CHECK(errors_of("buffer_after_buffer.yaml") ==
        "buffer_after_buffer.yaml:14:21: error: plants[Demo].shops[weld].line[wbs2].buffer: "
        "buffer 'wbs2' follows 'wbs' with no station between them to move jobs on");
}

TEST_CASE("A layout fault in one plant is told beside another plant's error, in one round") {
  // The wiring ran only when the whole file had no other error, so a fault in the second
  // plant's layout came only once the first plant's misspelt key was mended.
  const std::string yaml =
      "scenario: t\nstart: 2023-01-01\nhorizon: 30d\nplants:\n"
      "  - name: A\n    capacity: 1000\n    shops:\n      - name: s\n        line:\n"
      "          - station: S\n            cycel: 1min\n"
      "  - name: B\n    capacity: 1000\n    shops:\n      - name: s\n        line:\n"
      "          - station: S\n            cycle: 1min\n"
      "          - buffer: b1\n            capacity: 2\n"
      "          - buffer: b2\n            capacity: 2\n"
      "          - station: T\n            cycle: 1min\n";
  const std::string err = takt::test::load_error(yaml);
  INFO(err);
  CHECK(err.find("inline.yaml:11:13: error: plants[A].shops[s].line[S]: unknown key 'cycel'") !=
        std::string::npos);
  CHECK(err.find("inline.yaml:21:21: error: plants[B].shops[s].line[b2].buffer: buffer 'b2' "
                 "follows 'b1' with no station between them") != std::string::npos);
  // Nor does a misspelt top-level key hold it back.
  std::string top = yaml;
  top.replace(top.find("horizon:"), 8, "horizont: 1d\nhorizon:");
  const std::string with_top = takt::test::load_error(top);
  INFO(with_top);
  CHECK(with_top.find("unknown key 'horizont'") != std::string::npos);
  CHECK(with_top.find("follows 'b1'") != std::string::npos);
  // Nor an error in a calendar the plant follows (it held the wiring back, which would have
  // repeated the calendar's error in other words: the wiring now gets a stand-in), nor in the
  // settings. Each is told once, beside the layout fault, and nothing else is.
  std::string calendar = yaml;
  calendar.replace(calendar.find("plants:"), 7,
                   "calendars:\n  c: {workdays: [mon], shifts: [{start: \"25:00\", length: 8h}]}\n"
                   "plants:");
  calendar.replace(calendar.find("  - name: B\n"), 12, "  - name: B\n    calendar: c\n");
  std::string settings = yaml;
  settings.replace(settings.find("start: 2023-01-01"), 17, "start: 2023-13-01\nreplications: 0");
  // 'cycel', the fault and the calendar's error; 'cycel', the fault and two settings' errors.
  for (const auto& [variant, lines] : {std::pair{calendar, 3}, std::pair{settings, 4}}) {
    const std::string told = takt::test::load_error(variant);
    INFO(told);
    CHECK(told.find("follows 'b1'") != std::string::npos);
    CHECK(std::count(told.begin(), told.end(), '\n') == lines);
  }
  CHECK(takt::test::load_error(calendar).find("calendars.c.shifts[0].start") != std::string::npos);
  const std::string bad_settings = takt::test::load_error(settings);
  CHECK(bad_settings.find("start: \"2023-13-01\" is not a date") != std::string::npos);
  CHECK(bad_settings.find("replications: must be positive") != std::string::npos);
}

TEST_CASE("Two items with the same name in a plant are an error") {
  CHECK(errors_of("duplicate_name.yaml") ==
        "duplicate_name.yaml:12:22: error: plants[Demo].shops[weld].line[framing].station: the "
        "name 'framing' is already used at line 10");
}

TEST_CASE("A value that holds a line break is quoted on the error's one line") {
  // The quoted value was echoed as it was, so its line break began a second, forged error.
  std::string yaml = takt::test::minute_line("");
  yaml.replace(yaml.find("cycle: 1min"), 11,
               "cycle: \"1min\\nfake.yaml:9:9: error: forged\\u2028and\\tmore\"");
  CHECK(takt::test::load_error(yaml) ==
        "inline.yaml:12:20: error: plants[P].shops[s].line[S].cycle: expected a duration like "
        "\"90s\", \"8h30min\" or \"8h\", got \"1min\\nfake.yaml:9:9: error: "
        "forged\\u2028and\\tmore\"");
}

TEST_CASE("A long value is quoted in part, and a file that is no holiday file is not read") {
  const std::string yaml = takt::test::minute_line("");
  std::string huge = yaml;
  huge.replace(huge.find("cycle: 1min"), 11, "cycle: " + std::string(500000, 'x'));
  // The whole 500 kB value was echoed, a message of 500 kB.
  const std::string err = takt::test::load_error(huge);
  CHECK(err.size() < 800);
  INFO(err.substr(0, 100));
  CHECK(err.find("error: plants[P].shops[s].line[S].cycle: expected a duration") !=
        std::string::npos);
  CHECK(err.find("xxx... (") != std::string::npos);
  CHECK(err.find(" bytes cut) ...xxx") != std::string::npos);
  // Read as a holiday file, /etc/passwd was quoted back whole.
  std::string passwd = yaml;
  passwd.replace(passwd.find("plants:"), 7,
                 "calendars:\n  c: {workdays: [mon], shifts: [{start: \"06:00\", length: 8h}], "
                 "holidays: /etc/passwd}\nplants:");
  CHECK(takt::test::load_error(passwd) ==
        "inline.yaml:6:74: error: calendars.c.holidays: a holiday file is a .yaml file, got "
        "'/etc/passwd'");
}

TEST_CASE("A name given twice by an edit says so, not 'at line 0'") {
  const std::string yaml =
      "scenario: t\nstart: 2023-01-02\nhorizon: 2d\nplants:\n  - name: P\n    capacity: 1000\n"
      "    shops:\n      - name: s\n        line:\n          - station: A\n            cycle: "
      "1min\n"
      "          - station: B\n            cycle: 1min\n";
  CHECK(takt::test::load_error(yaml, {"plants[P].shops[s].line[A].station=B"}) ==
        "inline.yaml:12:22: error: plants[P].shops[s].line[B].station: the name 'B' is already "
        "used by --set");
}

TEST_CASE("A plant may not be named 'all', which observed files use for every plant") {
  CHECK(errors_of("plant_named_all.yaml") ==
        "plant_named_all.yaml:5:11: error: plants[all].name: 'all' is reserved: observed files "
        "and fit.csv use it for every plant together; give the plant another name");
}

TEST_CASE("Bad weekdays and clock times in a calendar are errors") {
  CHECK(errors_of("bad_shift.yaml") ==
        "bad_shift.yaml:6:26: error: calendars.two-shift.workdays[2]: unknown weekday 'wensday' "
        "(use mon, tue, wed, thu, fri, sat, sun)\n"
        "bad_shift.yaml:7:22: error: calendars.two-shift.shifts[0].start: expected a time of day "
        "like \"08:00\", got \"8 am\"");
}

TEST_CASE("Route shares adding up to more than one are an error") {
  CHECK(errors_of("shares_over_one.yaml") ==
        "shares_over_one.yaml:12:21: error: plants[Demo].shops[weld].line[inspection].routes: "
        "route shares add up to 1.3, more than 1");
}

TEST_CASE("Errors in a variant's overrides point at the override's own line, not at --set") {
  CHECK(errors_of("bad_override.yaml") ==
        "bad_override.yaml:8:5: error: plants[line].shops[shop].line[M3]: no item named 'M3' in "
        "plants[line].shops[shop].line (did you mean 'M1'?)\n"
        "bad_override.yaml:9:5: error: plants[line].shops[shop].line[M2].cycle: expected a "
        "duration like \"81s\" or a distribution like \"exponential(1min)\", \"lognormal(mean=90s, "
        "cv=0.15)\" or \"triangular(70s, 81s, 95s)\", got \"banana\"\n"
        "bad_override.yaml:10:5: error: plants[line].shops[shop].line[B1].capacity: must not be "
        "negative, got -3\n"
        "bad_override.yaml:11:5: error: plants[line].capacity: missing '=' (expected "
        "KEY.PATH=VALUE)");
}

// Limits (docs/reliability.md) are checked while reading, before any plant is built or run.
TEST_CASE("Every limit is enforced before work starts with a located error") {
  CHECK(errors_of("limit_horizon.yaml") ==
        "limit_horizon.yaml:3:10: error: horizon: must be at most 100y, got 101y");
  // In days the limit is the same 100 calendar years: one day more is refused.
  CHECK(errors_of("limit_horizon_days.yaml") ==
        "limit_horizon_days.yaml:3:10: error: horizon: must be at most 100y, got 36525d");
  CHECK(errors_of("limit_end_date.yaml") ==
        "limit_end_date.yaml:3:10: error: horizon: the run would end after 9999-12-31");
  CHECK(errors_of("limit_servers.yaml") ==
        "limit_servers.yaml:12:22: error: plants[Demo].shops[weld].line[framing].servers: must be "
        "at most 2000, got 2001\n"
        "limit_servers.yaml:14:24: error: plants[Demo].shops[weld].line[trim].positions: must be "
        "at most 2000, got 1000000");
  CHECK(errors_of("limit_lines.yaml") ==
        "limit_lines.yaml:9:16: error: plants[Demo].shops[weld].lines: must be at most 1000, got "
        "1000000000");
  CHECK(errors_of("limit_equipment.yaml") ==
        "limit_equipment.yaml:5:5: error: plants[Demo]: has 6000 stations, ovens, paced lines and "
        "buffers (parallel copies and servers that fail alone counted); the limit is 5000");
  CHECK(
      errors_of("limit_events.yaml") ==
      "limit_events.yaml:5:5: error: plants[Demo]: would need about 6.3e+12 events per replication "
      "(the limit is 2e+10, about half an hour); lengthen its cycle times or shorten the horizon");
  CHECK(errors_of("zero_cycle.yaml") ==
        "zero_cycle.yaml:11:20: error: plants[Demo].shops[weld].line[framing].cycle: a cycle time "
        "must average at least 1 microsecond (takt counts time in microseconds), got 0s\n"
        "zero_cycle.yaml:13:20: error: plants[Demo].shops[weld].line[welding].cycle: a cycle time "
        "must average at least 1 microsecond (takt counts time in microseconds), got 1e-9s\n"
        "zero_cycle.yaml:15:30: error: plants[Demo].shops[weld].line[sealing].cycle.vehicle: a "
        "cycle time must average at least 1 microsecond (takt counts time in microseconds), got "
        "0.0000001s");
  CHECK(errors_of("heavy_tail.yaml") ==
        "heavy_tail.yaml:11:20: error: plants[Demo].shops[weld].line[framing].cycle: weibull: its "
        "mean is 3.359743756e+161 s, more than 100 years\n"
        "heavy_tail.yaml:13:20: error: plants[Demo].shops[weld].line[welding].cycle: lognormal: "
        "its standard deviation is not a finite number of seconds\n"
        "heavy_tail.yaml:14:29: error: plants[Demo].shops[weld].line[welding].failures.ttf: "
        "weibull: its mean is 2.687795005e+162 s, more than 100 years");
  CHECK(errors_of("calendar_no_work.yaml") ==
        "calendar_no_work.yaml:6:5: error: calendars.no-days: never works (no shift starts on any "
        "day of a year): give it workdays and shifts\n"
        "calendar_no_work.yaml:9:5: error: calendars.no-shifts: never works (no shift starts on "
        "any day of a year): give it workdays and shifts");
  CHECK(errors_of("per_day.yaml") ==
        "per_day.yaml:7:25: error: plants[Demo].arrivals.per_day: must be between 0.0000274 (one "
        "per 100 years) and 86400000 (one per millisecond), got 1e300");
  CHECK(errors_of("limit_replications.yaml") ==
        "limit_replications.yaml:4:15: error: replications: must be at most 10000, got 10001");
  CHECK(errors_of("missing_extends.yaml") ==
        "missing_extends.yaml:1:10: error: extends: cannot read \"nowhere.yaml\": No such file or "
        "directory");
}

TEST_CASE("A name longer than 100 characters is refused") {
  CHECK(errors_of("long_name.yaml").find("shops[" + std::string(79, 'w')) != std::string::npos);
  CHECK(errors_of("long_name.yaml").find(".name: a name has at most 100 characters, got 101") !=
        std::string::npos);
}

TEST_CASE("A folder or a FIFO given as a scenario file is refused by name without waiting") {
  const std::string dir = std::string(TAKT_SOURCE_DIR) + "/tests/data";
  CHECK_THROWS_WITH_AS(
      load_scenario_file(dir),
      (dir + ": error: cannot read \"" + dir + "\": it is a folder, not a file").c_str(),
      ScenarioError);
  const std::string fifo = std::filesystem::temp_directory_path() /
                           ("takt-fifo-" + std::to_string(::getpid()) + ".yaml");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(
      load_scenario_file(fifo),
      (fifo + ": error: cannot read \"" + fifo + "\": it is not a regular file").c_str(),
      ScenarioError);
  std::filesystem::remove(fifo);
}

TEST_CASE("Slips that used to pass are refused where they are written") {
  CHECK(errors_of("slips.yaml") ==
        "slips.yaml:6:10: error: horizon: the parts of duration \"30h1d\" must go from the largest "
        "unit to the smallest, each once\n"
        "slips.yaml:10:15: error: plants[Demo].arrivals: the time between arrivals must average at "
        "least 1 microsecond, got 0s\n"
        "slips.yaml:19:15: error: plants[Demo].shops[ ].name: expected a name\n"
        "slips.yaml:23:29: error: plants[Demo].shops[ ].line[framing].joins[1]: 'panels' is joined "
        "twice (a station takes one job from each store it names)\n"
        "slips.yaml:26:24: error: plants[Demo].shops[ ].line[framing].failures[jam].name: a "
        "failure profile named 'jam' is already given\n"
        "slips.yaml:27:92: error: plants[Demo].shops[ ].line[framing].ramp_up.midpoint: belongs to "
        "logistic curves, not to a learning curve\n"
        "slips.yaml:30:15: error: plants[Demo].shops[ ].loops[panels].line: a loop needs at least "
        "one station\n"
        // The loop returns vehicles into the press shop's store of panels.
        "slips.yaml:32:17: error: plants[Demo].shops[ ].loops[panels].to: 'panels' is in feeder "
        "shop 'press', this route in the vehicles' flow: a route carries a job on within its own "
        "flow");
}

// An ESC sequence in a name would recolour or erase the terminal takt prints it on.
TEST_CASE("A control character in a name or a key is refused, a line break in text is not") {
  const std::string head = "scenario: s\nstart: 2024-01-01\nhorizon: 30d\n";
  const std::string plant =
      "    capacity: 1000\n"
      "    shops:\n"
      "      - name: weld\n"
      "        line:\n"
      "          - station: framing\n"
      "            cycle: 81s\n";
  using takt::test::load_error;
  CHECK(load_error(head + "plants:\n  - name: \"P\\e[31m1\"\n" + plant) ==
        "inline.yaml:5:11: error: plants[0].name: holds a control character (U+001B, byte 2): "
        "names and text may hold none");
  CHECK(load_error(head + "plants:\n  - name: \"P\\x9b1\"\n" + plant) ==
        "inline.yaml:5:11: error: plants[0].name: holds a control character (U+009B, byte 2): "
        "names and text may hold none");
  const std::string calendar =
      "calendars:\n  \"day\\r\": {workdays: [mon], shifts: [{start: \"06:00\", length: 8h}]}\n";
  CHECK(load_error(head + calendar + "plants:\n  - name: P\n" + plant) ==
        "inline.yaml:5:3: error: calendars: key holds a control character (U+000D, byte 4): names "
        "and text may hold none");
  CHECK(load_error(head + "description: |\n  two\n  \tlines\nplants:\n  - name: P\n" + plant) ==
        "no error");
  CHECK(load_error(head + "plants:\n  - name: P\n" + plant,
                   {"plants[P].shops[weld].name=\"w\\u0007\""}) ==
        "--set: error: plants[P].shops[0].name: holds a control character (U+0007, byte 2): "
        "names and text may hold none");
  // A number or a duration is no name: it is refused as a number, and takt echoes it with
  // the control character escaped, so the terminal is not driven by the message either.
  const auto echoed = takt::test::run_takt(
      "run tests/data/analytic/two_machines_b3.yaml --set "
      "'plants[line].shops[shop].line[M1].cycle=\"1min\\e[31m\"'");
  CHECK(echoed.status == 2);
  CHECK(echoed.err.find("1min\\x1b[31m") != std::string::npos);
  CHECK(echoed.err.find('\x1b') == std::string::npos);
}

TEST_CASE("Joins take parts from a feeder's store only, and routes stay in their flow") {
  // Each of these passed validate and then failed the run's internal checks (a negative WIP),
  // built nothing without a word, or reported a WIP of 701 with a lead time of 0.
  const std::string yaml =
      "scenario: t\nstart: 2024-04-01\nhorizon: 2d\nreplications: 1\nplants:\n"
      "  - name: P\n    capacity: 1000\n    shops:\n"
      "      - name: press\n        feeder: true\n        line:\n"
      "          - station: pr\n            cycle: 30s\n"
      "            routes: [{to: b, share: 0.5}]\n"  // line 14
      "          - buffer: panels\n            capacity: 10\n"
      "      - name: s\n        line:\n"
      "          - station: a\n            cycle: 60s\n"
      "            routes: [{to: pr, share: 0.1}]\n"  // line 21
      "          - buffer: b\n            capacity: 4\n"
      "          - station: c\n            cycle: 60s\n            joins: [b, panels]\n";  // 26
  const std::string err = takt::test::load_error(yaml);
  CHECK(err.find("inline.yaml:14:27: error: plants[P].shops[press].line[pr].routes[b].to: 'b' is "
                 "in the vehicles' flow, this route in feeder shop 'press': a route carries a job "
                 "on within its own flow") != std::string::npos);
  CHECK(err.find("inline.yaml:21:27: error: plants[P].shops[s].line[a].routes[pr].to: 'pr' is in "
                 "feeder shop 'press', this route in the vehicles' flow") != std::string::npos);
  CHECK(err.find("inline.yaml:26:21: error: plants[P].shops[s].line[c].joins[0]: 'b' is not a "
                 "feeder shop's store") != std::string::npos);
  CHECK(err.find("joins[1]") == std::string::npos);  // the feeder's store is what a join takes
  // The feeder's own station cannot join its store either: it is joined from elsewhere.
  const std::string own = takt::test::load_error(
      "scenario: t\nstart: 2024-04-01\nhorizon: 2d\nreplications: 1\nplants:\n"
      "  - name: P\n    capacity: 1000\n    shops:\n"
      "      - name: press\n        feeder: true\n        line:\n"
      "          - station: pr\n            cycle: 30s\n            joins: [panels]\n"
      "          - buffer: panels\n            capacity: 10\n"
      "      - name: s\n        line:\n"
      "          - station: a\n            cycle: 60s\n            joins: [panels]\n");
  CHECK(own.find("'panels' is its own feeder shop's store") != std::string::npos);
}

TEST_CASE("A plant's name given twice is told with the plants' other errors, in one round") {
  const std::string plant =
      "  - name: P\n    capacity: 1000\n    shops:\n      - name: s\n"
      "        line:\n          - station: a\n            cycle: ";
  const std::string err = takt::test::load_error(
      "scenario: t\nstart: 2024-04-01\nhorizon: 2d\nplants:\n" + plant + "60x\n" + plant + "60s\n");
  CHECK(err.find("inline.yaml:11:20: error: plants[P].shops[s].line[a].cycle: unknown time unit") !=
        std::string::npos);
  CHECK(
      err.find("inline.yaml:12:11: error: plants[P].name: a plant named 'P' is already defined") !=
      std::string::npos);
}

TEST_CASE("A YAML tag in a --set value is refused, as in a file") {
  // It was dropped without a word: replications=!!int 5 ran, plants[P].capacity=!!str 5 too.
  const std::string yaml =
      "scenario: t\nstart: 2024-04-01\nhorizon: 2d\nplants:\n"
      "  - name: P\n    capacity: 1000\n    shops:\n      - name: s\n"
      "        line:\n          - station: a\n            cycle: 60s\n";
  for (const char* edit :
       {"replications=!!int 5", "plants[P].capacity=!!str 5", "horizon=!foo 2d"}) {
    CAPTURE(edit);
    CHECK(takt::test::load_error(yaml, {edit}).find("YAML tags such as '") != std::string::npos);
  }
  CHECK(takt::test::load_error(yaml, {"replications=5"}) == "no error");
}

TEST_CASE("A time below a microsecond is told as such, not as not positive") {
  const std::string err = takt::test::load_error(
      "scenario: t\nstart: 2024-04-01\nhorizon: 2d\nplants:\n  - name: P\n    capacity: 1000\n"
      "    shops:\n      - name: s\n        line:\n          - paced: p\n            positions: 3\n"
      "            takt: 0.0000001s\n          - paced: q\n            positions: 3\n"
      "            takt: 0s\n");
  CHECK(err.find("line[p].takt: rounds to 0: takt counts time in whole microseconds, got "
                 "0.0000001s") != std::string::npos);
  CHECK(err.find("line[q].takt: must be positive, got 0s") != std::string::npos);
}
