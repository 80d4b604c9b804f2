// Time is integer ticks; durations read and print with units.
#include <doctest/doctest.h>

#include "takt/sim/error.hpp"
#include "takt/sim/time.hpp"

using takt::sim::format_duration;
using takt::sim::parse_duration;
using takt::sim::ParseError;
using takt::sim::Time;

TEST_CASE("Durations parse with every unit planners use") {
  CHECK(parse_duration("250ms") == Time::ticks(250'000));
  CHECK(parse_duration("90s") == Time::seconds(90));
  CHECK(parse_duration("1.5min") == Time::seconds(90));
  CHECK(parse_duration("8h") == Time::hours(8));
  CHECK(parse_duration("2d") == Time::days(2));
  CHECK(parse_duration("1w") == Time::days(7));
  CHECK(parse_duration("1y") == Time::days(365));
  CHECK(parse_duration(" 0 ") == Time::zero());
  CHECK(parse_duration("0.001ms") == Time::ticks(1));
  CHECK(parse_duration("8h30min") == Time::minutes(510));
  CHECK(parse_duration("1min 30s") == Time::seconds(90));
}

TEST_CASE("Malformed durations are errors that say what was expected") {
  CHECK_THROWS_WITH_AS(parse_duration("abc"),
                       "expected a duration like \"90s\", \"1.5min\" or \"8h\", got \"abc\"",
                       ParseError);
  CHECK_THROWS_WITH_AS(parse_duration("90"),
                       "duration \"90\" needs a unit (ms, s, min, h, d, w or y)", ParseError);
  CHECK_THROWS_WITH_AS(parse_duration("5 hours"),
                       "unknown time unit \"hours\" in \"5 hours\" (use ms, s, min, h, d, w or y)",
                       ParseError);
  CHECK_THROWS_AS(parse_duration("inf s"), ParseError);
  CHECK_THROWS_AS(parse_duration(""), ParseError);
  CHECK_THROWS_WITH_AS(parse_duration("8h30"),
                       "expected a duration like \"90s\", \"8h30min\" or \"8h\", got \"8h30\"",
                       ParseError);
  CHECK_THROWS_WITH_AS(parse_duration("5 hours"),
                       "unknown time unit \"hours\" in \"5 hours\" (use ms, s, min, h, d, w or y)",
                       ParseError);
}

TEST_CASE("Durations print with the largest fitting unit and read back") {
  CHECK(format_duration(Time::seconds(90)) == "1.5min");
  CHECK(format_duration(Time::seconds(81)) == "1.35min");
  CHECK(format_duration(Time::hours(8)) == "8h");
  CHECK(format_duration(Time::seconds(59)) == "59s");
  CHECK(format_duration(Time::ticks(2500)) == "2.5ms");
  CHECK(format_duration(Time::zero()) == "0s");
  for (const char* text : {"1.5min", "8h", "2d", "59s", "2.5ms"}) {
    CHECK(format_duration(parse_duration(text)) == text);
  }
}

TEST_CASE("A hundred simulated years fit in the tick type") {
  const Time century = Time::days(36525);
  CHECK(century.count() > 0);
  CHECK(century.count() < INT64_MAX / 1000);  // three orders of magnitude of head room
  CHECK(century.to_hours() == doctest::Approx(876600.0));
}

TEST_CASE("Seconds round to the nearest tick") {
  CHECK(Time::seconds(1e-6).count() == 1);
  CHECK(Time::seconds(0.4e-6).count() == 0);
  CHECK(Time::seconds(0.6e-6).count() == 1);
  CHECK(Time::seconds(-1.5).count() == -1'500'000);
}
