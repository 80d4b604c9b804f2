// Tests of CalendarDate and the monthly helpers: parsing, known weekdays, and a day-by-day walk
// across two centuries that checks the arithmetic against the calendar's own rules.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "takt/models/calendar_date.hpp"

using takt::models::CalendarDate;
using takt::sim::Time;

namespace {

CalendarDate date(const char* text) {
  const auto parsed = CalendarDate::parse(text);
  REQUIRE_MESSAGE(parsed.has_value(), text);
  return *parsed;
}

}  // namespace

TEST_CASE("A well-formed date parses into its year, month and day") {
  const CalendarDate d = date("2023-01-21");
  CHECK(d.year() == 2023);
  CHECK(d.month() == 1);
  CHECK(d.day() == 21);
  CHECK(d.to_string() == "2023-01-21");
  CHECK(date("2024-02-29").to_string() == "2024-02-29");
  CHECK(date("2000-02-29").day() == 29);
  CHECK(date("0001-01-01").year() == 1);
  CHECK(date("9999-12-31").to_string() == "9999-12-31");
}

TEST_CASE("Dates that do not exist or are not written YYYY-MM-DD do not parse") {
  for (const char* text :
       {"2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-01-00",
        "2023-01-32", "abc", "", "2023-1-21", "2023-01-1", "2023/01/21", " 2023-01-21",
        "2023-01-21 ", "+023-01-21", "2023-01-2x", "20230-01-21", "2023-01-21T00:00"}) {
    CAPTURE(text);
    CHECK_FALSE(CalendarDate::parse(text).has_value());
  }
  CHECK_FALSE(CalendarDate::from_ymd(2023, 2, 29).has_value());
  CHECK(CalendarDate::from_ymd(2024, 2, 29).has_value());
}

TEST_CASE("Known dates fall on their weekdays") {
  CHECK(date("1970-01-01").weekday() == CalendarDate::kThursday);
  CHECK(date("1969-12-31").weekday() == CalendarDate::kWednesday);
  CHECK(date("2000-01-01").weekday() == CalendarDate::kSaturday);
  CHECK(date("2023-01-01").weekday() == CalendarDate::kSunday);
  CHECK(date("2023-01-02").weekday() == CalendarDate::kMonday);
  CHECK(date("2023-01-21").weekday() == CalendarDate::kSaturday);
  CHECK(date("2023-10-01").weekday() == CalendarDate::kSunday);
  CHECK(date("2024-02-29").weekday() == CalendarDate::kThursday);
  CHECK(date("1900-01-01").weekday() == CalendarDate::kMonday);
}

TEST_CASE("Days since the epoch count from 1970-01-01 and go negative before it") {
  CHECK(date("1970-01-01").days_since_epoch() == 0);
  CHECK(date("1969-12-31").days_since_epoch() == -1);
  CHECK(date("2000-01-01").days_since_epoch() == 10957);
  CHECK(CalendarDate::from_days_since_epoch(19378) == date("2023-01-21"));
  CHECK(CalendarDate() == date("1970-01-01"));
}

TEST_CASE("Adding days crosses month, leap-day and year ends") {
  CHECK(date("2023-12-31") + 1 == date("2024-01-01"));
  CHECK(date("2024-02-28") + 1 == date("2024-02-29"));
  CHECK(date("2023-02-28") + 1 == date("2023-03-01"));
  CHECK(date("2024-03-01") - 1 == date("2024-02-29"));
  CHECK(date("2024-01-01") - date("2023-01-01") == 365);
  CHECK(date("2025-01-01") - date("2024-01-01") == 366);
  CHECK(date("2023-01-01") - date("2023-01-21") == -20);
  CHECK(date("2023-01-21") < date("2023-01-22"));
  CHECK(date("2023-01-21") <= date("2023-01-21"));
  CHECK(date("2023-02-01") > date("2023-01-31"));
  CHECK(date("2023-02-01") != date("2023-01-31"));
}

TEST_CASE("Walking day by day from 1899 to 2101 follows the month lengths and weekdays") {
  CalendarDate d = date("1899-12-31");
  int weekday = d.weekday();
  while (d < date("2101-01-01")) {
    const CalendarDate next = d + 1;
    weekday = (weekday + 1) % 7;
    REQUIRE(next.weekday() == weekday);
    if (d.day() < CalendarDate::days_in_month(d.year(), d.month())) {
      REQUIRE(next.year() == d.year());
      REQUIRE(next.month() == d.month());
      REQUIRE(next.day() == d.day() + 1);
    } else {
      REQUIRE(next.day() == 1);
      REQUIRE(next.month() == d.month() % 12 + 1);
      REQUIRE(next.year() == (d.month() == 12 ? d.year() + 1 : d.year()));
    }
    REQUIRE(CalendarDate::parse(next.to_string()) == next);
    d = next;
  }
}

TEST_CASE("Simulated time maps to dates with midnight belonging to the day it starts") {
  const CalendarDate start = date("2023-01-21");
  CHECK(takt::models::midnight_of(start, date("2023-01-22")) == Time::days(1));
  CHECK(takt::models::midnight_of(start, date("2023-01-20")) == Time::days(-1));
  CHECK(takt::models::date_at(start, Time::zero()) == start);
  CHECK(takt::models::date_at(start, Time::days(1) - Time::ticks(1)) == start);
  CHECK(takt::models::date_at(start, Time::days(1)) == date("2023-01-22"));
  CHECK(takt::models::date_at(start, Time::ticks(-1)) == date("2023-01-20"));
}

TEST_CASE("Month index counts calendar months from the start date's month") {
  const CalendarDate start = date("2023-01-21");
  CHECK(takt::models::month_index(start, start) == 0);
  CHECK(takt::models::month_index(start, date("2023-01-01")) == 0);
  CHECK(takt::models::month_index(start, date("2023-01-31")) == 0);
  CHECK(takt::models::month_index(start, date("2023-02-01")) == 1);
  CHECK(takt::models::month_index(start, date("2023-12-31")) == 11);
  CHECK(takt::models::month_index(start, date("2024-01-01")) == 12);
  CHECK(takt::models::month_index(start, date("2022-12-31")) == -1);
}

TEST_CASE("Month starts begin at time zero and follow each first of the month before the horizon") {
  using takt::models::month_starts;
  const CalendarDate mid_january = date("2023-01-21");
  // 2023-02-01 is 11 days after 2023-01-21, 2023-03-01 is 11 + 28 = 39 days after.
  CHECK(month_starts(mid_january, Time::days(30)) ==
        std::vector<Time>{Time::zero(), Time::days(11)});
  CHECK(month_starts(mid_january, Time::days(11)) == std::vector<Time>{Time::zero()});
  CHECK(month_starts(mid_january, Time::days(11) + Time::ticks(1)) ==
        std::vector<Time>{Time::zero(), Time::days(11)});
  CHECK(month_starts(mid_january, Time::days(40)) ==
        std::vector<Time>{Time::zero(), Time::days(11), Time::days(39)});
  CHECK(month_starts(mid_january, Time::ticks(1)) == std::vector<Time>{Time::zero()});
  CHECK(month_starts(mid_january, Time::zero()).empty());

  // A start on the 1st is not listed twice; a year from 2023-01-01 touches twelve months.
  const CalendarDate new_year = date("2023-01-01");
  const std::vector<Time> year = month_starts(new_year, Time::days(365));
  REQUIRE(year.size() == 12);
  CHECK(year[0] == Time::zero());
  int days = 0;
  for (int m = 1; m < 12; ++m) {
    days += CalendarDate::days_in_month(2023, m);
    CHECK(year[static_cast<std::size_t>(m)] == Time::days(days));
  }
  CHECK(month_starts(new_year, Time::days(365) + Time::ticks(1)).size() == 13);
}

TEST_CASE("Month starts refuse a horizon past the year 9999") {
  CHECK_THROWS_WITH_AS(takt::models::month_starts(date("2023-01-01"), Time::max()),
                       "monthly output needs a horizon that ends by the year 9999",
                       std::invalid_argument);
}
