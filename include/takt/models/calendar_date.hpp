// Calendar dates, so that shift calendars, holidays and monthly output can speak in the planner's
// dates while the engine keeps counting microseconds from midnight of the start date.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "takt/sim/time.hpp"

namespace takt::models {

/// A day of the proleptic Gregorian calendar, stored as days since 1970-01-01 (negative before).
/// Arithmetic is exact for any day count; parse and to_string cover the years 0000..9999.
class CalendarDate {
 public:
  static constexpr int kMonday = 0;
  static constexpr int kTuesday = 1;
  static constexpr int kWednesday = 2;
  static constexpr int kThursday = 3;
  static constexpr int kFriday = 4;
  static constexpr int kSaturday = 5;
  static constexpr int kSunday = 6;

  /// 1970-01-01.
  constexpr CalendarDate() = default;
  /// The day `days` after 1970-01-01 (before it when negative).
  static constexpr CalendarDate from_days_since_epoch(std::int64_t days) {
    return CalendarDate(days);
  }
  /// The date with this year, month (1..12) and day of month; nullopt if the day does not exist
  /// (2023-02-29, month 13, day 0).
  static std::optional<CalendarDate> from_ymd(int year, int month, int day);
  /// Strict "YYYY-MM-DD" (exactly ten characters, no spaces, zero-padded); nullopt for anything
  /// else, including days that do not exist such as "2023-02-29".
  static std::optional<CalendarDate> parse(std::string_view text);

  /// Whether `year` has a February 29 (divisible by 4, and centuries only by 400).
  static bool is_leap_year(int year);
  /// 28..31; 0 for a month outside 1..12.
  static int days_in_month(int year, int month);

  int year() const;
  /// 1..12.
  int month() const;
  /// Day of month, 1..31.
  int day() const;
  /// 0 = Monday .. 6 = Sunday (ISO order); see kMonday..kSunday.
  int weekday() const;
  constexpr std::int64_t days_since_epoch() const { return days_; }
  /// "2023-01-21"; years are printed with at least four digits.
  std::string to_string() const;

  friend constexpr CalendarDate operator+(CalendarDate d, std::int64_t days) {
    return CalendarDate(d.days_ + days);
  }
  friend constexpr CalendarDate operator-(CalendarDate d, std::int64_t days) {
    return CalendarDate(d.days_ - days);
  }
  /// Whole days from `b` to `a` (negative when `a` is earlier).
  friend constexpr std::int64_t operator-(CalendarDate a, CalendarDate b) {
    return a.days_ - b.days_;
  }
  friend constexpr bool operator==(CalendarDate a, CalendarDate b) { return a.days_ == b.days_; }
  friend constexpr bool operator!=(CalendarDate a, CalendarDate b) { return a.days_ != b.days_; }
  friend constexpr bool operator<(CalendarDate a, CalendarDate b) { return a.days_ < b.days_; }
  friend constexpr bool operator<=(CalendarDate a, CalendarDate b) { return a.days_ <= b.days_; }
  friend constexpr bool operator>(CalendarDate a, CalendarDate b) { return a.days_ > b.days_; }
  friend constexpr bool operator>=(CalendarDate a, CalendarDate b) { return a.days_ >= b.days_; }

 private:
  constexpr explicit CalendarDate(std::int64_t days) : days_(days) {}
  std::int64_t days_ = 0;
};

/// Simulated time of midnight at the start of `d` when time zero is midnight at `start`
/// (negative for days before `start`).
sim::Time midnight_of(CalendarDate start, CalendarDate d);

/// The date on which simulated time `t` falls when time zero is midnight at `start`; midnight
/// belongs to the day it starts, and negative times to days before `start`.
CalendarDate date_at(CalendarDate start, sim::Time t);

/// Calendar months from the month of `start` to the month of `d`: 0 for the start month (even
/// when `start` is mid-month), 1 for the next; negative for months before.
int month_index(CalendarDate start, CalendarDate d);

/// Simulated times of the first instant of each calendar month that [0, horizon) touches, with
/// time zero at midnight of `start`: the first element is 0 (the start, even mid-month), then
/// midnight of each following 1st before `horizon`. Empty when horizon <= 0. Throws
/// std::invalid_argument when the horizon reaches past the year 9999.
std::vector<sim::Time> month_starts(CalendarDate start, sim::Time horizon);

}  // namespace takt::models
