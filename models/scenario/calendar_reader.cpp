// Reads shift calendars: the week pattern planners write, holidays as date ranges, and dated
// changes of the pattern (one shift, then two, then three as a plant ramps up).
#include <array>
#include <cctype>
#include <string_view>

#include "readers.hpp"

namespace takt::scenario::detail {
namespace {

constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::vector<std::string> day_names() { return {kDays.begin(), kDays.end()}; }

// "08:00" -> 480; reports anything else.
std::optional<int> read_clock(const Field& f) {
  const auto text = f.as_string();
  if (!text) return std::nullopt;
  const std::string& t = *text;
  const bool shape = t.size() == 5 && t[2] == ':' &&
                     std::isdigit(static_cast<unsigned char>(t[0])) &&
                     std::isdigit(static_cast<unsigned char>(t[1])) &&
                     std::isdigit(static_cast<unsigned char>(t[3])) &&
                     std::isdigit(static_cast<unsigned char>(t[4]));
  const int hours = shape ? std::stoi(t.substr(0, 2)) : -1;
  const int minutes = shape ? std::stoi(t.substr(3, 2)) : -1;
  if (!shape || hours > 23 || minutes > 59) {
    f.error("expected a time of day like \"08:00\", got \"" + t + "\"");
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

std::optional<std::array<bool, 7>> read_workdays(const Field& f) {
  std::array<bool, 7> days{};
  bool ok = true;
  for (const Field& item : f.items()) {
    const auto name = item.as_string();
    if (!name) {
      ok = false;
      continue;
    }
    bool found = false;
    for (std::size_t d = 0; d < kDays.size(); ++d) {
      if (*name == kDays[d]) days[d] = found = true;
    }
    if (!found) {
      const std::string guess = closest_match(*name, day_names());
      item.error("unknown weekday '" + *name + "'" +
                 (guess.empty() ? std::string(" (use mon, tue, wed, thu, fri, sat, sun)")
                                : " (did you mean '" + guess + "'?)"));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return days;
}

std::optional<models::ShiftSpec> read_shift(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"start", "length", "breaks"});
  const auto start = read_clock(f.require("start"));
  const auto length = positive(f.require("length"), f.require("length").as_duration());
  models::ShiftSpec shift;
  bool ok = start && length;
  for (const Field& b : f.child("breaks").items()) {
    if (!b.expect_map()) {
      ok = false;
      continue;
    }
    b.check_keys({"start", "length"});
    const auto bstart = read_clock(b.require("start"));
    const auto blength = positive(b.require("length"), b.require("length").as_duration());
    if (bstart && blength) shift.breaks.push_back({*bstart, *blength});
    ok = ok && bstart && blength;
  }
  if (!ok) return std::nullopt;
  shift.start_minute = *start;
  shift.length = *length;
  return shift;
}

// The week pattern held directly in `f` (workdays, shifts).
std::optional<models::WeekPattern> read_week(const Field& f) {
  models::WeekPattern week;
  week.workdays = {true, true, true, true, true, false, false};
  bool ok = true;
  if (f.child("workdays").is_defined()) {
    const auto days = read_workdays(f.child("workdays"));
    ok = days.has_value();
    if (days) week.workdays = *days;
  }
  for (const Field& s : f.require("shifts").items()) {
    const auto shift = read_shift(s);
    ok = ok && shift.has_value();
    if (shift) week.shifts.push_back(*shift);
  }
  if (!ok) return std::nullopt;
  return week;
}

}  // namespace

std::optional<models::ShiftCalendar> read_calendar(const Field& f, models::CalendarDate start) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"workdays", "shifts", "holidays", "makeup_days", "changes"});
  auto week = read_week(f);
  bool ok = week.has_value();
  std::vector<models::CalendarPeriod> periods;
  if (week) periods.push_back({start, *week});
  for (const Field& c : f.child("changes").items({"from"})) {
    if (!c.expect_map()) {
      ok = false;
      continue;
    }
    c.check_keys({"from", "workdays", "shifts"});
    const auto from = c.require("from").as_date();
    const auto changed = read_week(c);
    ok = ok && from && changed;
    if (from && changed) periods.push_back({*from, *changed});
  }
  std::vector<models::Holiday> holidays;
  for (const Field& h : f.child("holidays").items()) {
    if (!h.expect_map()) {
      ok = false;
      continue;
    }
    h.check_keys({"from", "to", "name"});
    const auto from = h.require("from").as_date();
    const auto to = h.child("to").is_defined() ? h.child("to").as_date() : from;
    const auto name =
        h.child("name").is_defined() ? h.child("name").as_string() : std::string("holiday");
    ok = ok && from && to && name;
    if (from && to && name) holidays.push_back({*from, *to, *name});
  }
  std::vector<models::CalendarDate> makeup;
  for (const Field& d : f.child("makeup_days").items()) {
    const auto date = d.as_date();
    ok = ok && date;
    if (date) makeup.push_back(*date);
  }
  if (!ok) return std::nullopt;
  const auto problems = models::ShiftCalendar::problems(start, periods, holidays, makeup);
  for (const std::string& p : problems) f.error(p);
  if (!problems.empty()) return std::nullopt;
  return models::ShiftCalendar(start, periods, holidays, makeup);
}

}  // namespace takt::scenario::detail
