// Tests of ShiftCalendar as a pure value: states at boundaries, next_change walks, holidays,
// make-up workdays, period changes, hand-counted years, brute-force minute counts, and pinned
// error text.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "takt/models/shift_calendar.hpp"

using takt::models::BreakSpec;
using takt::models::CalendarDate;
using takt::models::CalendarPeriod;
using takt::models::Holiday;
using takt::models::ShiftCalendar;
using takt::models::ShiftSpec;
using takt::models::WeekPattern;
using takt::sim::Time;

namespace {

constexpr std::array<bool, 7> kMondayToFriday{true, true, true, true, true, false, false};
constexpr std::array<bool, 7> kEveryDay{true, true, true, true, true, true, true};

CalendarDate date(const char* text) {
  const auto parsed = CalendarDate::parse(text);
  REQUIRE_MESSAGE(parsed.has_value(), text);
  return *parsed;
}

// Simulated time of `day` at hh:mm for a calendar starting on `start`.
Time at(CalendarDate start, const char* day, int hour, int minute = 0) {
  return takt::models::midnight_of(start, date(day)) + Time::hours(hour) + Time::minutes(minute);
}

ShiftSpec shift(int hour, int minute, Time length, std::vector<BreakSpec> breaks = {}) {
  return ShiftSpec{hour * 60 + minute, length, std::move(breaks)};
}

BreakSpec pause(int hour, int minute, Time length) { return BreakSpec{hour * 60 + minute, length}; }

// Mon-Fri, 08:00+8h with a 30 min break at 12:00, then 16:00+8h: 15.5 productive hours a day.
WeekPattern two_shifts() {
  return WeekPattern{kMondayToFriday,
                     {shift(8, 0, Time::hours(8), {pause(12, 0, Time::minutes(30))}),
                      shift(16, 0, Time::hours(8))}};
}

ShiftCalendar single_period(CalendarDate start, WeekPattern week,
                            std::vector<Holiday> holidays = {}) {
  return ShiftCalendar(start, {CalendarPeriod{start, std::move(week)}}, std::move(holidays));
}

// The change times in (from, to), by walking next_change.
std::vector<Time> changes(const ShiftCalendar& calendar, Time from, Time to) {
  std::vector<Time> found;
  for (Time t = calendar.next_change(from); t < to; t = calendar.next_change(t)) {
    found.push_back(t);
  }
  return found;
}

// Productive time in [from, to) as the sum of the intervals that next_change delimits; also
// checks that the state really flips at every change.
Time walked_working_time(const ShiftCalendar& calendar, Time from, Time to, int* intervals) {
  Time total = Time::zero();
  bool working = calendar.is_working(from);
  for (Time t = from; t < to;) {
    const Time next = calendar.next_change(t);
    if (working) {
      total += takt::sim::min(next, to) - t;
      if (intervals != nullptr) ++*intervals;
    }
    if (next < to) REQUIRE(calendar.is_working(next) != working);
    working = !working;
    t = next;
  }
  return total;
}

std::string constructor_error(CalendarDate start, std::vector<CalendarPeriod> periods,
                              std::vector<Holiday> holidays = {},
                              std::vector<CalendarDate> extra_workdays = {}) {
  try {
    ShiftCalendar calendar(start, std::move(periods), std::move(holidays),
                           std::move(extra_workdays));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

// A calendar's arguments, kept so that a naive model can read the same rules.
struct CalendarSpec {
  CalendarDate start;
  std::vector<CalendarPeriod> periods;
  std::vector<Holiday> holidays;
  std::vector<CalendarDate> extra_workdays;
};

ShiftCalendar build(const CalendarSpec& spec) {
  return ShiftCalendar(spec.start, spec.periods, spec.holidays, spec.extra_workdays);
}

bool works_on(const CalendarSpec& spec, CalendarDate d, const WeekPattern& week) {
  for (const Holiday& h : spec.holidays) {
    if (h.from <= d && d <= h.to) return false;
  }
  const auto weekday = static_cast<std::size_t>(d.weekday());
  return week.workdays[weekday] || std::find(spec.extra_workdays.begin(), spec.extra_workdays.end(),
                                             d) != spec.extra_workdays.end();
}

// The calendar's rules, independently and naively: lays every shift of every working day out
// minute by minute (breaks left out) and returns whether each minute of [origin, origin +
// count minutes) is productive. `origin` must be a whole minute; boundaries all are.
std::vector<bool> naive_minutes(const CalendarSpec& spec, Time origin, std::size_t count) {
  const Time::Rep per_minute = Time::minutes(1).count();
  const Time::Rep first = origin.count() / per_minute;
  const auto size = static_cast<Time::Rep>(count);
  std::vector<bool> state(count, false);
  // Day 0 is the first with shifts; the last day whose shifts can reach the range is its own.
  for (Time::Rep day = 0; day * 1440 < first + size; ++day) {
    const CalendarDate d = spec.start + day;
    std::size_t p = 0;
    while (p + 1 < spec.periods.size() && spec.periods[p + 1].from <= d) ++p;
    const WeekPattern& week = spec.periods[p].week;
    if (!works_on(spec, d, week)) continue;
    for (const ShiftSpec& s : week.shifts) {
      for (Time::Rep m = 0; m < s.length.count() / per_minute; ++m) {
        bool in_break = false;
        for (const BreakSpec& b : s.breaks) {
          const Time::Rep offset = ((b.start_minute - s.start_minute) % 1440 + 1440) % 1440;
          in_break = in_break || (offset <= m && m < offset + b.length.count() / per_minute);
        }
        const Time::Rep index = day * 1440 + s.start_minute + m - first;
        if (!in_break && index >= 0 && index < size) state[static_cast<std::size_t>(index)] = true;
      }
    }
  }
  return state;
}

// Checks is_working against `expected` (one flag per minute from `origin`), then next_change
// and working_time (also with sub-minute ends) against the changes and prefix sums of it.
void check_against_minutes(const ShiftCalendar& calendar, const std::vector<bool>& expected,
                           Time origin) {
  const std::size_t count = expected.size();
  const auto minute = [origin](std::size_t m) {
    return origin + Time::minutes(static_cast<Time::Rep>(m));
  };
  std::vector<Time::Rep> prefix(count + 1, 0);  // working minutes before minute m
  for (std::size_t m = 0; m < count; ++m) {
    REQUIRE_MESSAGE(calendar.is_working(minute(m)) == expected[m], "minute ", m);
    // Every boundary is on a whole minute, so the state holds for the whole minute.
    REQUIRE(calendar.is_working(minute(m) + Time::seconds(59.999999)) == expected[m]);
    prefix[m + 1] = prefix[m] + (expected[m] ? 1 : 0);
  }
  for (std::size_t m = 0; m < count; ++m) {
    std::size_t change = m + 1;
    while (change < count && expected[change] == expected[m]) ++change;
    if (change == count) break;
    REQUIRE(calendar.next_change(minute(m)) == minute(change));
    REQUIRE(calendar.next_change(minute(m) + Time::seconds(30)) == minute(change));
  }
  for (std::size_t a = 0; a < count; a += 97) {
    for (std::size_t b = a; b <= count; b += 89) {
      const Time whole = Time::minutes(prefix[b] - prefix[a]);
      REQUIRE(calendar.working_time(minute(a), minute(b)) == whole);
      if (b == a || b == count) continue;
      // Sub-minute ends: drop 20 s of minute a and add 40 s of minute b where they work.
      const Time part = whole - (expected[a] ? Time::seconds(20) : Time::zero()) +
                        (expected[b] ? Time::seconds(40) : Time::zero());
      REQUIRE(calendar.working_time(minute(a) + Time::seconds(20), minute(b) + Time::seconds(40)) ==
              part);
    }
  }
}

// The 2023 public holidays announced by the State Council (days off, weekends included).
std::vector<Holiday> china_2023_holidays() {
  return {{date("2022-12-31"), date("2023-01-02"), "New Year's Day"},
          {date("2023-01-21"), date("2023-01-27"), "Spring Festival"},
          {date("2023-04-05"), date("2023-04-05"), "Qingming Festival"},
          {date("2023-04-29"), date("2023-05-03"), "Labour Day"},
          {date("2023-06-22"), date("2023-06-24"), "Dragon Boat Festival"},
          {date("2023-09-29"), date("2023-10-06"), "Mid-Autumn Festival and National Day"}};
}

}  // namespace

TEST_CASE("Two day shifts work exactly inside the shifts and outside the break") {
  const CalendarDate monday = date("2023-01-02");
  const ShiftCalendar calendar = single_period(monday, two_shifts());
  const Time tick = Time::ticks(1);
  CHECK_FALSE(calendar.is_working(Time::zero()));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-02", 8) - tick));
  CHECK(calendar.is_working(at(monday, "2023-01-02", 8)));
  CHECK(calendar.is_working(at(monday, "2023-01-02", 12) - tick));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-02", 12)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-02", 12, 30) - tick));
  CHECK(calendar.is_working(at(monday, "2023-01-02", 12, 30)));
  CHECK(calendar.is_working(at(monday, "2023-01-02", 16) - tick));
  CHECK(calendar.is_working(at(monday, "2023-01-02", 16)));
  CHECK(calendar.is_working(at(monday, "2023-01-03", 0) - tick));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-03", 0)));
  CHECK_FALSE(calendar.is_working(Time::ticks(-1)));
}

TEST_CASE("next_change walks a week's boundaries in order and skips the weekend") {
  const CalendarDate monday = date("2023-01-02");
  const ShiftCalendar calendar = single_period(monday, two_shifts());
  std::vector<Time> expected;
  for (int day = 0; day < 5; ++day) {
    const Time midnight = Time::days(day);
    // No change at 16:00: the first shift's end touches the second shift's start.
    for (Time offset :
         {Time::hours(8), Time::hours(12), Time::hours(12) + Time::minutes(30), Time::hours(24)}) {
      expected.push_back(midnight + offset);
    }
  }
  expected.push_back(Time::days(7) + Time::hours(8));
  CHECK(changes(calendar, Time::zero(), Time::days(7) + Time::hours(9)) == expected);

  CHECK(calendar.next_change(at(monday, "2023-01-02", 8)) == at(monday, "2023-01-02", 12));
  CHECK(calendar.next_change(at(monday, "2023-01-02", 15, 59)) == at(monday, "2023-01-03", 0));
  CHECK(calendar.next_change(at(monday, "2023-01-06", 23)) == at(monday, "2023-01-07", 0));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-07", 10)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-08", 10)));
  CHECK(calendar.next_change(at(monday, "2023-01-07", 0)) == at(monday, "2023-01-09", 8));
  CHECK(calendar.next_change(Time::days(-30)) == at(monday, "2023-01-02", 8));
  CHECK(calendar.working_time(Time::zero(), Time::days(7)) == Time::minutes(5 * 930));
}

TEST_CASE("A night shift crossing midnight belongs to the day it starts") {
  const CalendarDate monday = date("2023-01-02");
  // 22:00+8h Mon-Fri; the 02:00 break is before 22:00, so it falls on the next morning.
  const ShiftCalendar calendar = single_period(
      monday, WeekPattern{kMondayToFriday,
                          {shift(22, 0, Time::hours(8), {pause(2, 0, Time::minutes(30))})}});
  CHECK_FALSE(calendar.is_working(Time::zero()));  // no Sunday shift before the start date
  CHECK(calendar.next_change(Time::zero()) == at(monday, "2023-01-02", 22));
  CHECK(calendar.is_working(at(monday, "2023-01-02", 23)));
  CHECK(calendar.is_working(at(monday, "2023-01-03", 1, 59)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-03", 2, 15)));
  CHECK(calendar.is_working(at(monday, "2023-01-03", 2, 30)));
  CHECK(calendar.is_working(at(monday, "2023-01-03", 6) - Time::ticks(1)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-03", 6)));
  // Friday's shift runs into Saturday morning; Sunday's would-be shift does not exist.
  CHECK(calendar.is_working(at(monday, "2023-01-07", 3)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-07", 22, 30)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-08", 23)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-09", 3)));
  CHECK(calendar.is_working(at(monday, "2023-01-09", 22)));
  CHECK(changes(calendar, at(monday, "2023-01-06", 21), at(monday, "2023-01-10", 0)) ==
        std::vector<Time>{at(monday, "2023-01-06", 22), at(monday, "2023-01-07", 2),
                          at(monday, "2023-01-07", 2, 30), at(monday, "2023-01-07", 6),
                          at(monday, "2023-01-09", 22)});
  // Any seven days hold five 7.5h shifts: Tuesday to Tuesday takes 5.5h of Monday's shift
  // after midnight and 2h of the next Monday's before it.
  CHECK(calendar.working_time(Time::zero(), Time::days(7)) == Time::minutes(5 * 450));
  CHECK(calendar.working_time(Time::days(1), Time::days(8)) == Time::minutes(5 * 450));
}

TEST_CASE("No shift starts during a holiday range, but the evening shift before it finishes") {
  const CalendarDate monday = date("2023-01-02");
  const Holiday spring_festival{date("2023-01-21"), date("2023-01-27"), "Spring Festival"};
  const ShiftCalendar day_shifts = single_period(monday, two_shifts(), {spring_festival});
  CHECK(day_shifts.next_change(at(monday, "2023-01-20", 20)) == at(monday, "2023-01-21", 0));
  CHECK(day_shifts.next_change(at(monday, "2023-01-21", 0)) == at(monday, "2023-01-30", 8));
  CHECK_FALSE(day_shifts.is_working(at(monday, "2023-01-24", 9)));
  CHECK(day_shifts.working_time(at(monday, "2023-01-16", 0), at(monday, "2023-01-23", 0)) ==
        Time::minutes(5 * 930));
  CHECK(day_shifts.working_time(at(monday, "2023-01-21", 0), at(monday, "2023-01-30", 0)) ==
        Time::zero());
  REQUIRE(day_shifts.holiday_on(date("2023-01-24")) != nullptr);
  CHECK(day_shifts.holiday_on(date("2023-01-24"))->name == "Spring Festival");
  CHECK(day_shifts.holiday_on(date("2023-01-21")) != nullptr);
  CHECK(day_shifts.holiday_on(date("2023-01-28")) == nullptr);

  const ShiftCalendar nights = single_period(
      monday, WeekPattern{kEveryDay, {shift(22, 0, Time::hours(8))}}, {spring_festival});
  CHECK(nights.is_working(at(monday, "2023-01-21", 3)));  // Friday 01-20's shift
  CHECK(nights.next_change(at(monday, "2023-01-21", 3)) == at(monday, "2023-01-21", 6));
  CHECK_FALSE(nights.is_working(at(monday, "2023-01-27", 23)));  // last holiday: no shift starts
  CHECK(nights.next_change(at(monday, "2023-01-21", 6)) == at(monday, "2023-01-28", 22));
}

TEST_CASE("A make-up Saturday works its shifts, and its night shift runs into Sunday") {
  const CalendarDate monday = date("2023-01-23");
  // Mon-Fri 08:00+8h and 22:00+8h, each with a 30 min break (the night's at 02:00): 900 min.
  const WeekPattern day_and_night{kMondayToFriday,
                                  {shift(8, 0, Time::hours(8), {pause(12, 0, Time::minutes(30))}),
                                   shift(22, 0, Time::hours(8), {pause(2, 0, Time::minutes(30))})}};
  const CalendarDate saturday = date("2023-01-28");
  const ShiftCalendar calendar(monday, {CalendarPeriod{monday, day_and_night}}, {}, {saturday});
  CHECK(calendar.is_extra_workday(saturday));
  CHECK_FALSE(calendar.is_extra_workday(date("2023-01-29")));
  CHECK(calendar.is_working(at(monday, "2023-01-28", 10)));
  CHECK(calendar.is_working(at(monday, "2023-01-29", 3)));  // Saturday's night shift
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-29", 10)));
  CHECK_FALSE(calendar.is_working(at(monday, "2023-01-29", 23)));  // Sunday stays off
  // Friday's night shift ends at 06:00 on Saturday, then Saturday runs like a weekday.
  CHECK(changes(calendar, at(monday, "2023-01-27", 21), at(monday, "2023-01-30", 9)) ==
        std::vector<Time>{at(monday, "2023-01-27", 22), at(monday, "2023-01-28", 2),
                          at(monday, "2023-01-28", 2, 30), at(monday, "2023-01-28", 6),
                          at(monday, "2023-01-28", 8), at(monday, "2023-01-28", 12),
                          at(monday, "2023-01-28", 12, 30), at(monday, "2023-01-28", 16),
                          at(monday, "2023-01-28", 22), at(monday, "2023-01-29", 2),
                          at(monday, "2023-01-29", 2, 30), at(monday, "2023-01-29", 6),
                          at(monday, "2023-01-30", 8)});
  // Six working days, the last night ending on Sunday morning.
  CHECK(calendar.working_time(Time::zero(), Time::days(7)) == Time::minutes(6 * 900));
  CHECK(calendar.working_time(at(monday, "2023-01-29", 0), at(monday, "2023-01-30", 0)) ==
        Time::minutes(330));

  // A holiday on the same date wins: only Friday's night shift runs into Saturday.
  const ShiftCalendar on_holiday(monday, {CalendarPeriod{monday, day_and_night}},
                                 {Holiday{saturday, saturday, "Plant anniversary"}}, {saturday});
  CHECK(on_holiday.is_extra_workday(saturday));
  CHECK(on_holiday.is_working(at(monday, "2023-01-28", 3)));
  CHECK_FALSE(on_holiday.is_working(at(monday, "2023-01-28", 10)));
  CHECK(on_holiday.next_change(at(monday, "2023-01-28", 6)) == at(monday, "2023-01-30", 8));
  CHECK(on_holiday.working_time(Time::zero(), Time::days(7)) == Time::minutes(5 * 900));

  // A make-up date that is a workday anyway changes nothing.
  const ShiftCalendar on_workday(monday, {CalendarPeriod{monday, day_and_night}}, {},
                                 {date("2023-01-25")});
  CHECK(on_workday.working_time(Time::zero(), Time::days(14)) == Time::minutes(10 * 900));
}

TEST_CASE("A period change switches from one shift to two and then three at its dates") {
  const CalendarDate monday = date("2023-01-02");
  const ShiftSpec early = shift(6, 0, Time::hours(8));
  const ShiftSpec late = shift(14, 0, Time::hours(8));
  const ShiftSpec night = shift(22, 0, Time::hours(8));
  const ShiftCalendar calendar(
      monday,
      {CalendarPeriod{monday, WeekPattern{kMondayToFriday, {early}}},
       CalendarPeriod{date("2023-01-09"), WeekPattern{kMondayToFriday, {early, late}}},
       CalendarPeriod{date("2023-01-16"), WeekPattern{kMondayToFriday, {early, late, night}}}},
      {});
  CHECK(calendar.working_time(Time::days(0), Time::days(7)) == Time::hours(40));
  CHECK(calendar.working_time(Time::days(7), Time::days(14)) == Time::hours(80));
  CHECK(calendar.working_time(Time::days(14), Time::days(21)) == Time::hours(120));
  CHECK(calendar.working_time(Time::days(21), Time::days(28)) == Time::hours(120));

  CHECK(calendar.next_change(at(monday, "2023-01-02", 6)) == at(monday, "2023-01-02", 14));
  CHECK(calendar.next_change(at(monday, "2023-01-08", 12)) == at(monday, "2023-01-09", 6));
  CHECK(calendar.next_change(at(monday, "2023-01-09", 6)) == at(monday, "2023-01-09", 22));
  CHECK(calendar.next_change(at(monday, "2023-01-13", 6)) == at(monday, "2023-01-13", 22));
  // Three touching shifts run without a change from Monday 06:00 to Saturday 06:00.
  CHECK(changes(calendar, at(monday, "2023-01-16", 0), at(monday, "2023-01-24", 0)) ==
        std::vector<Time>{at(monday, "2023-01-16", 6), at(monday, "2023-01-21", 6),
                          at(monday, "2023-01-23", 6)});
}

TEST_CASE("A period that began before the start date covers the start") {
  const CalendarDate start = date("2023-01-04");
  const ShiftCalendar calendar(start, {CalendarPeriod{date("2022-06-01"), two_shifts()}}, {});
  CHECK(calendar.next_change(Time::zero()) == at(start, "2023-01-04", 8));
  CHECK(calendar.working_time(Time::zero(), Time::days(7)) == Time::minutes(5 * 930));
}

TEST_CASE("An always calendar works at every instant and never changes") {
  const ShiftCalendar always = ShiftCalendar::always();
  CHECK(always.is_always());
  for (Time t : {Time::days(-5), Time::zero(), Time::days(3650), Time::max() - Time::ticks(1)}) {
    CHECK(always.is_working(t));
    CHECK(always.next_change(t) == Time::max());
  }
  CHECK(always.working_time(Time::hours(1), Time::hours(5)) == Time::hours(4));
  CHECK(always.working_time(Time::hours(5), Time::hours(1)) == Time::zero());
  CHECK(always.working_time(Time::days(-1), Time::max()) == Time::max());
  CHECK(ShiftCalendar(date("2023-01-01"), {}, {}).is_always());
  CHECK(ShiftCalendar().is_always());
}

TEST_CASE("Without periods the calendar works around the clock except on holidays") {
  const CalendarDate start = date("2023-01-01");
  const ShiftCalendar calendar(
      start, {}, {Holiday{date("2023-01-21"), date("2023-01-27"), "Spring Festival"}});
  CHECK_FALSE(calendar.is_always());
  CHECK(calendar.is_working(Time::zero()));
  CHECK(calendar.next_change(Time::zero()) == Time::days(20));
  CHECK(calendar.next_change(Time::days(20)) == Time::days(27));
  CHECK(calendar.next_change(Time::days(27)) == Time::max());
  CHECK(calendar.working_time(Time::zero(), Time::days(365)) == Time::days(358));
}

TEST_CASE("A continuous pattern never changes and its working time reaches Time::max") {
  const CalendarDate start = date("2023-01-01");
  const ShiftCalendar calendar =
      single_period(start, WeekPattern{kEveryDay, {shift(0, 0, Time::days(1))}});
  CHECK(calendar.next_change(Time::ticks(-1)) == Time::zero());
  CHECK(calendar.next_change(Time::zero()) == Time::max());
  CHECK(calendar.next_change(Time::days(36500)) == Time::max());
  CHECK(calendar.working_time(Time::zero(), Time::max()) == Time::max());

  const ShiftCalendar idle = single_period(start, WeekPattern{{}, {shift(8, 0, Time::hours(8))}});
  CHECK_FALSE(idle.is_working(Time::hours(9)));
  CHECK(idle.next_change(Time::zero()) == Time::max());
  CHECK(idle.working_time(Time::zero(), Time::max()) == Time::zero());
}

TEST_CASE("A year of two shifts on Chinese working days matches a hand count") {
  const CalendarDate start = date("2023-01-01");
  // The 2023 public holidays without the make-up working weekends, which stay off here (the
  // next test adds them).
  const ShiftCalendar calendar = single_period(start, two_shifts(), china_2023_holidays());
  // Hand count. 2023 has 365 days = 52 weeks + 1; it starts and ends on a Sunday, so it holds
  // 52 * 5 = 260 weekdays. Holidays falling on weekdays: New Year 01-02 (Mon) = 1; Spring
  // Festival 01-23..01-27 (Mon-Fri) = 5; Qingming 04-05 (Wed) = 1; Labour Day 05-01..05-03
  // (Mon-Wed) = 3; Dragon Boat 06-22, 06-23 (Thu, Fri) = 2; Mid-Autumn/National Day 09-29 (Fri)
  // and 10-02..10-06 (Mon-Fri) = 6; together 18. Working days: 260 - 18 = 242. Each works
  // 08:00-16:00 less 30 min (450 min) plus 16:00-24:00 (480 min) = 930 min. The last shift,
  // Friday 12-29 16:00, ends at midnight inside the year. Total 242 * 930 = 225,060 min.
  const Time year = Time::days(365);
  CHECK(calendar.working_time(Time::zero(), year) == Time::minutes(225'060));
  int intervals = 0;
  CHECK(walked_working_time(calendar, Time::zero(), year, &intervals) == Time::minutes(225'060));
  CHECK(intervals == 242 * 2);  // 08:00-12:00 and 12:30-24:00 on each working day
}

TEST_CASE("A year of two shifts with China's 2023 make-up weekends matches a hand count") {
  const CalendarDate start = date("2023-01-01");
  // The make-up working days of the State Council's 2023 notice, out of order on purpose.
  const std::vector<CalendarDate> make_up{
      date("2023-10-08"), date("2023-01-28"), date("2023-01-29"), date("2023-04-23"),
      date("2023-05-06"), date("2023-06-25"), date("2023-10-07")};
  const ShiftCalendar calendar(start, {CalendarPeriod{start, two_shifts()}}, china_2023_holidays(),
                               make_up);
  // Hand count. The test above finds 242 working weekdays. The seven make-up days are Saturdays
  // (01-28, 05-06, 10-07) and Sundays (01-29, 04-23, 06-25, 10-08), none inside a holiday range,
  // so each adds a working day: 249. That is 2023's official count: 260 weekdays (the year has
  // 52 Saturdays and 53 Sundays) less the 11 statutory holiday days of the 2013 rules (New Year
  // 1, Spring Festival 3, Qingming 1, Labour Day 1, Dragon Boat 1, Mid-Autumn 1, National Day
  // 3), the 18 weekdays off less the 7 make-up days. The often quoted "250 working days a year"
  // is the nominal 365 - 104 - 11 of the wage rules, for a year of 104 weekend days; 2023 has 105.
  // A make-up day works 08:00-24:00 like any weekday (930 min, ending by its midnight):
  // 249 * 930 = 231,570 min.
  const Time year = Time::days(365);
  CHECK(calendar.working_time(Time::zero(), year) == Time::minutes(231'570));
  int intervals = 0;
  CHECK(walked_working_time(calendar, Time::zero(), year, &intervals) == Time::minutes(231'570));
  CHECK(intervals == 249 * 2);
  for (const CalendarDate d : make_up) {
    CHECK(calendar.is_working(takt::models::midnight_of(start, d) + Time::hours(9)));
  }
}

TEST_CASE("Working time and next_change agree with a minute-by-minute count") {
  // Thursday start inside a period that began earlier; from Wednesday 01-25 three shifts
  // Mon-Sat with breaks, one inside the night shift after midnight; a holiday on Fri-Sat.
  const CalendarDate start = date("2023-01-19");
  const WeekPattern three_shifts{
      {true, true, true, true, true, true, false},
      {shift(6, 0, Time::hours(8),
             {pause(10, 0, Time::minutes(15)), pause(12, 0, Time::minutes(30))}),
       shift(14, 0, Time::hours(8), {pause(18, 0, Time::minutes(30))}),
       shift(22, 0, Time::hours(8), {pause(2, 0, Time::minutes(30))})}};
  const CalendarSpec spec{start,
                          {CalendarPeriod{date("2023-01-10"), two_shifts()},
                           CalendarPeriod{date("2023-01-25"), three_shifts}},
                          {Holiday{date("2023-01-27"), date("2023-01-28"), "Short break"}},
                          {}};
  // From the day before the start (nothing works) for 17 days.
  const Time origin = Time::days(-1);
  check_against_minutes(build(spec), naive_minutes(spec, origin, 17 * 1440), origin);
}

TEST_CASE("Make-up days agree with a minute-by-minute count across periods and holidays") {
  // A Saturday start that is itself a make-up day. Two shifts Mon-Fri, then from Saturday 02-04
  // three touching shifts Mon-Fri whose night shift crosses midnight, then from Monday 02-13 a
  // night shift on no weekday at all. Make-up days: Sat-Sun 01-28/29 (the first is day 0), Sat-Sun
  // 02-04/05 (the Saturday begins a period; Sunday's night runs into Monday's early shift), a
  // Wednesday that works anyway, a Saturday inside a holiday, and two days of the idle period.
  const CalendarDate start = date("2023-01-28");
  const WeekPattern three_shifts{kMondayToFriday,
                                 {shift(6, 0, Time::hours(8), {pause(10, 0, Time::minutes(15))}),
                                  shift(14, 0, Time::hours(8), {pause(18, 0, Time::minutes(30))}),
                                  shift(22, 0, Time::hours(8), {pause(2, 0, Time::minutes(30))})}};
  const WeekPattern nights_on_call{{}, {shift(22, 0, Time::hours(8))}};
  const CalendarSpec spec{
      start,
      {CalendarPeriod{date("2023-01-10"), two_shifts()},
       CalendarPeriod{date("2023-02-04"), three_shifts},
       CalendarPeriod{date("2023-02-13"), nights_on_call}},
      {Holiday{date("2023-02-10"), date("2023-02-11"), "Short break"}},
      {date("2023-02-04"), date("2023-01-28"), date("2023-01-29"), date("2023-02-05"),
       date("2023-02-08"), date("2023-02-11"), date("2023-02-15"), date("2023-02-18")}};
  const ShiftCalendar calendar = build(spec);
  CHECK(calendar.is_working(at(start, "2023-01-28", 9)));
  CHECK_FALSE(calendar.is_working(at(start, "2023-02-11", 9)));
  CHECK(calendar.is_working(at(start, "2023-02-16", 3)));  // Wednesday 02-15's night shift
  CHECK_FALSE(calendar.is_working(at(start, "2023-02-16", 23)));
  CHECK(calendar.next_change(at(start, "2023-02-16", 6)) == at(start, "2023-02-18", 22));
  CHECK(calendar.next_change(at(start, "2023-02-19", 6)) == Time::max());
  // From the day before the start (nothing works) to Tuesday 02-21.
  const Time origin = Time::days(-1);
  check_against_minutes(calendar, naive_minutes(spec, origin, 26 * 1440), origin);
}

TEST_CASE("Ten years of next_change steps add up to the working time") {
  const CalendarDate start = date("2023-01-01");
  const WeekPattern three_shifts{kMondayToFriday,
                                 {shift(6, 0, Time::hours(8), {pause(11, 0, Time::minutes(30))}),
                                  shift(14, 0, Time::hours(8), {pause(18, 0, Time::minutes(30))}),
                                  shift(22, 0, Time::hours(8), {pause(2, 0, Time::minutes(30))})}};
  const ShiftCalendar calendar =
      single_period(start, three_shifts,
                    {Holiday{date("2023-01-21"), date("2023-01-27"), "Spring Festival"},
                     Holiday{date("2024-02-10"), date("2024-02-17"), "Spring Festival"}});
  const Time horizon = takt::models::midnight_of(start, date("2033-01-01"));
  CHECK(horizon == Time::days(3653));
  // Hand count. 3653 days from Sunday 2023-01-01 are 521 weeks and 6 days (Sun 12-26 to Fri
  // 2032-12-31), so 521 * 5 + 5 = 2610 weekdays; the two Spring Festivals take 01-23..01-27 and
  // 2024-02-12..02-16, 10 weekdays, leaving 2600 working days of 3 * 7.5h = 1350 min. The last
  // night shift (Fri 22:00) keeps only 22:00-24:00 inside the horizon: 330 min fall outside.
  const Time expected = Time::minutes(2600 * 1350 - 330);
  CHECK(calendar.working_time(Time::zero(), horizon) == expected);
  CHECK(walked_working_time(calendar, Time::zero(), horizon, nullptr) == expected);
}

TEST_CASE("Overlapping shifts and misplaced breaks are refused with the offending element") {
  const CalendarDate monday = date("2023-01-02");
  const auto one_period = [monday](std::vector<ShiftSpec> shifts) {
    return std::vector<CalendarPeriod>{
        CalendarPeriod{monday, WeekPattern{kMondayToFriday, std::move(shifts)}}};
  };
  CHECK(constructor_error(
            monday, one_period({shift(6, 0, Time::hours(8)), shift(13, 0, Time::hours(8))})) ==
        "invalid shift calendar: periods[0].shifts[0] (06:00+8h) and periods[0].shifts[1] "
        "(13:00+8h) overlap");
  CHECK(constructor_error(
            monday, one_period({shift(6, 0, Time::hours(8)), shift(22, 0, Time::hours(10))})) ==
        "invalid shift calendar: periods[0].shifts[1] (22:00+10h) overlaps periods[0].shifts[0] "
        "(06:00+8h) of the next day");
  CHECK(constructor_error(
            monday, one_period({shift(8, 0, Time::hours(8), {pause(17, 0, Time::minutes(30))})})) ==
        "invalid shift calendar: periods[0].shifts[0].breaks[0] (17:00+30min) is not inside its "
        "shift 08:00+8h");
  CHECK(constructor_error(monday, one_period({shift(8, 0, Time::hours(8),
                                                    {pause(15, 45, Time::minutes(30))})})) ==
        "invalid shift calendar: periods[0].shifts[0].breaks[0] (15:45+30min) is not inside its "
        "shift 08:00+8h");
  CHECK(constructor_error(monday, one_period({shift(8, 0, Time::hours(8),
                                                    {pause(12, 0, Time::minutes(30)),
                                                     pause(12, 15, Time::minutes(30))})})) ==
        "invalid shift calendar: periods[0].shifts[0].breaks[0] (12:00+30min) and breaks[1] "
        "(12:15+30min) overlap");
  CHECK(constructor_error(
            monday, one_period({shift(8, 0, Time::hours(8), {pause(12, 0, Time::zero())})})) ==
        "invalid shift calendar: periods[0].shifts[0].breaks[0] (12:00+0s): length must be more "
        "than 0");
  CHECK(constructor_error(monday, one_period({shift(8, 0, Time::hours(25))})) ==
        "invalid shift calendar: periods[0].shifts[0] (08:00+25h): length must be more than 0 and "
        "at most 24h");
  CHECK(constructor_error(monday, one_period({ShiftSpec{1440, Time::hours(8), {}}})) ==
        "invalid shift calendar: periods[0].shifts[0]: start minute 1440 is not a time of day "
        "(expected 0..1439)");
  // Touching shifts and a 24h shift that meets itself the next day are fine.
  CHECK(constructor_error(monday,
                          one_period({shift(6, 0, Time::hours(8)), shift(14, 0, Time::hours(8)),
                                      shift(22, 0, Time::hours(8))})) == "no error");
  CHECK(constructor_error(monday, one_period({shift(6, 0, Time::days(1))})) == "no error");
}

TEST_CASE("Periods out of order, a late first period and reversed holidays are refused") {
  const CalendarDate monday = date("2023-01-02");
  const WeekPattern day{kMondayToFriday, {shift(6, 0, Time::hours(8))}};
  CHECK(constructor_error(monday, {CalendarPeriod{date("2023-01-09"), day}}) ==
        "invalid shift calendar: periods[0] starts 2023-01-09, after the start date 2023-01-02; "
        "the first period must cover the start date");
  CHECK(constructor_error(monday, {CalendarPeriod{monday, day}, CalendarPeriod{monday, day}}) ==
        "invalid shift calendar: periods[1] starts 2023-01-02, not after periods[0] (2023-01-02); "
        "periods must be in date order");
  CHECK(constructor_error(monday, {CalendarPeriod{monday, day}},
                          {Holiday{date("2023-01-27"), date("2023-01-21"), "Spring Festival"}}) ==
        "invalid shift calendar: holidays[0] (\"Spring Festival\") ends 2023-01-21, before it "
        "starts 2023-01-27");
  CHECK(constructor_error(
            monday,
            {CalendarPeriod{monday, WeekPattern{kMondayToFriday, {shift(22, 0, Time::hours(8))}}},
             CalendarPeriod{date("2023-01-09"),
                            WeekPattern{kMondayToFriday, {shift(5, 0, Time::hours(8))}}}}) ==
        "invalid shift calendar: periods[1].shifts[0] (05:00+8h) on 2023-01-09 overlaps "
        "periods[0].shifts[0] (22:00+8h) from the day before");
}

TEST_CASE("Extra workdays before the start date or listed twice are refused") {
  const CalendarDate monday = date("2023-01-02");
  const std::vector<CalendarPeriod> periods{CalendarPeriod{monday, two_shifts()}};
  const std::vector<std::string> found =
      ShiftCalendar::problems(monday, periods, {},
                              {date("2023-01-28"), date("2022-12-31"), date("2023-01-29"),
                               date("2023-01-28"), date("2023-01-28")});
  REQUIRE(found.size() == 3);
  CHECK(found[0] == "extra_workdays[1] is 2022-12-31, before the start date 2023-01-02");
  CHECK(found[1] == "extra_workdays[3] is 2023-01-28, the same date as extra_workdays[0]");
  CHECK(found[2] == "extra_workdays[4] is 2023-01-28, the same date as extra_workdays[0]");
  CHECK(constructor_error(monday, periods, {}, {date("2023-01-01")}) ==
        "invalid shift calendar: extra_workdays[0] is 2023-01-01, before the start date "
        "2023-01-02");
  // They come after the holiday problems.
  CHECK(constructor_error(monday, periods, {Holiday{date("2023-02-02"), date("2023-02-01"), "x"}},
                          {date("2023-01-07"), date("2023-01-07")}) ==
        "invalid shift calendar: holidays[0] (\"x\") ends 2023-02-01, before it starts "
        "2023-02-02; extra_workdays[1] is 2023-01-07, the same date as extra_workdays[0]");
  // The start date, a workday anyway and a date inside a holiday are all fine.
  CHECK(ShiftCalendar::problems(monday, periods,
                                {Holiday{date("2023-01-21"), date("2023-01-27"), "Spring"}},
                                {monday, date("2023-01-04"), date("2023-01-21")})
            .empty());
  // A 24/7 calendar checks them too, though they change nothing there.
  CHECK(constructor_error(monday, {}, {}, {date("2023-01-01")}) ==
        "invalid shift calendar: extra_workdays[0] is 2023-01-01, before the start date "
        "2023-01-02");
  const ShiftCalendar always(monday, {}, {}, {date("2023-01-07")});
  CHECK(always.is_always());
  CHECK(always.is_extra_workday(date("2023-01-07")));
}

TEST_CASE("Every problem is reported, and the constructor joins them with semicolons") {
  const CalendarDate monday = date("2023-01-02");
  const std::vector<CalendarPeriod> periods{CalendarPeriod{
      monday, WeekPattern{kMondayToFriday,
                          {shift(8, 0, Time::hours(8), {pause(17, 0, Time::minutes(30))}),
                           shift(12, 0, Time::hours(8))}}}};
  const std::vector<Holiday> holidays{Holiday{date("2023-02-02"), date("2023-02-01"), "x"}};
  const std::vector<std::string> found = ShiftCalendar::problems(monday, periods, holidays);
  REQUIRE(found.size() == 3);
  CHECK(found[0] ==
        "periods[0].shifts[0].breaks[0] (17:00+30min) is not inside its shift 08:00+8h");
  CHECK(found[1] == "periods[0].shifts[0] (08:00+8h) and periods[0].shifts[1] (12:00+8h) overlap");
  CHECK(found[2] == "holidays[0] (\"x\") ends 2023-02-01, before it starts 2023-02-02");
  CHECK(constructor_error(monday, periods, holidays) ==
        "invalid shift calendar: " + found[0] + "; " + found[1] + "; " + found[2]);
  CHECK(ShiftCalendar::problems(monday, {CalendarPeriod{monday, two_shifts()}}, {}).empty());
}
