// Time is integer ticks; durations read and print with units.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

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
  // Parts go from the largest unit to the smallest, each once.
  CHECK(parse_duration("1h30min") == Time::minutes(90));
  CHECK_THROWS_WITH_AS(
      parse_duration("30min8h"),
      "the parts of duration \"30min8h\" must go from the largest unit to the smallest, each once",
      ParseError);
  CHECK_THROWS_AS(parse_duration("1h1h"), ParseError);
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

TEST_CASE("Rounding to ticks is std::round exactly, at halves, edges and random values") {
  // Time::seconds rounds without libm; it must agree with std::round everywhere. The doubles
  // where a shortcut would go wrong: just below one half (0.5 + x rounds up to
  // 1), exact halves (away from zero), around 2^52 (where 0.5 + x can round to even), huge.
  const double half_below = std::nextafter(0.5, 0.0);
  const double two52 = 4503599627370496.0;
  for (const double x : {0.0, half_below, 0.5, std::nextafter(0.5, 1.0), 1.5, 2.5, 1e6 + 0.5,
                         std::nextafter(two52, 0.0), two52 - 0.5, two52, two52 + 1, two52 + 2,
                         1e15 + 0.5, 3.1536e16 - 0.5}) {
    INFO("x = " << x);
    CHECK(Time::seconds(x / 1e6).count() == std::llround(x / 1e6 * 1e6));
    CHECK(Time::seconds(-x / 1e6).count() == std::llround(-x / 1e6 * 1e6));
  }
  // Beyond 1,000 years a duration saturates (a heavy-tailed draw, a time stretched by a
  // ramp's floor): never an overflow, and now + the longest duration still fits.
  for (const double x : {3.1536e16 + 8, 9.1e18, 1e300}) {
    INFO("x = " << x);
    CHECK(Time::seconds(x / 1e6).count() == Time::kMaxDuration);
    CHECK(Time::seconds(-x / 1e6).count() == -Time::kMaxDuration);
  }
  // Random doubles over many binades, and their neighbours.
  std::uint64_t state = 42;
  for (int i = 0; i < 200'000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const double x = std::ldexp(static_cast<double>(state >> 11) / 9007199254740992.0,
                                static_cast<int>(state % 62) - 8);
    for (const double y : {x, std::nextafter(x, 0.0), std::floor(x) + 0.5}) {
      const double expected = std::min(y / 1e6 * 1e6, static_cast<double>(Time::kMaxDuration));
      REQUIRE(Time::seconds(y / 1e6).count() == std::llround(expected));
    }
  }
}
