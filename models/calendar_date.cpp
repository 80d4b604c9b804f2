// Gregorian date arithmetic (after Howard Hinnant's days_from_civil / civil_from_days), kept
// integer-only so that a date maps to simulated time exactly.
#include "takt/models/calendar_date.hpp"

#include <cstdio>
#include <stdexcept>

namespace takt::models {
namespace {

constexpr std::int64_t kTicksPerDay = sim::Time::days(1).count();

struct Civil {
  std::int64_t year;
  std::int64_t month;  // 1..12
  std::int64_t day;    // 1..31
};

// Days since 1970-01-01 of a valid civil date. Works in 400-year eras (146097 days) counted
// from 0000-03-01, so that the leap day is the last day of its year and needs no special case.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;                                    // [0, 399]
  const std::int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const std::int64_t mp = (5 * day_of_year + 2) / 153;  // 0 = March .. 11 = February
  const std::int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return Civil{year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Value of the digits text[first, first + count); the caller has checked they are digits.
int digits_value(std::string_view text, std::size_t first, std::size_t count) {
  int value = 0;
  for (std::size_t i = first; i < first + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

}  // namespace

bool CalendarDate::is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int CalendarDate::days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

std::optional<CalendarDate> CalendarDate::from_ymd(int year, int month, int day) {
  if (month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return CalendarDate(days_from_civil(year, month, day));
}

std::optional<CalendarDate> CalendarDate::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && !is_digit(text[i])) return std::nullopt;
  }
  return from_ymd(digits_value(text, 0, 4), digits_value(text, 5, 2), digits_value(text, 8, 2));
}

int CalendarDate::year() const { return static_cast<int>(civil_from_days(days_).year); }
int CalendarDate::month() const { return static_cast<int>(civil_from_days(days_).month); }
int CalendarDate::day() const { return static_cast<int>(civil_from_days(days_).day); }

int CalendarDate::weekday() const {
  // 1970-01-01 was a Thursday (3 in Monday-first numbering).
  return static_cast<int>((days_ % 7 + 7 + kThursday) % 7);
}

std::string CalendarDate::to_string() const {
  const Civil c = civil_from_days(days_);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(c.year),
                static_cast<long long>(c.month), static_cast<long long>(c.day));
  return text;
}

sim::Time midnight_of(CalendarDate start, CalendarDate d) { return sim::Time::days(d - start); }

CalendarDate date_at(CalendarDate start, sim::Time t) {
  return start + floor_div(t.count(), kTicksPerDay);
}

int month_index(CalendarDate start, CalendarDate d) {
  return (d.year() - start.year()) * 12 + (d.month() - start.month());
}

std::vector<sim::Time> month_starts(CalendarDate start, sim::Time horizon) {
  std::vector<sim::Time> starts;
  if (horizon <= sim::Time::zero()) return starts;
  // The last instant of [0, horizon) decides how far the months go; checked before the loop so
  // that a "forever" horizon cannot make millions of entries.
  const CalendarDate last = date_at(start, horizon - sim::Time::ticks(1));
  if (last.year() > 9999) {
    throw std::invalid_argument("monthly output needs a horizon that ends by the year 9999");
  }
  starts.push_back(sim::Time::zero());
  int year = start.year();
  int month = start.month();
  while (true) {
    if (++month > 12) {
      month = 1;
      ++year;
    }
    const CalendarDate first = *CalendarDate::from_ymd(year, month, 1);
    const sim::Time at = midnight_of(start, first);
    if (at >= horizon) break;
    starts.push_back(at);
  }
  return starts;
}

}  // namespace takt::models
