// Reads shift calendars: the week pattern planners write, holidays as date ranges, and dated
// changes of the pattern (one shift, then two, then three as a plant ramps up).
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>

#include "holiday_files.hpp"
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
      if (*name != kDays[d]) continue;
      // A day twice is a slip for another day (mon, mon for mon, tue): which one is unknown.
      if (days[d]) {
        item.error("'" + *name + "' is listed twice");
        ok = false;
      }
      days[d] = found = true;
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

// One `{from, to, name}` holiday range; `to` defaults to `from`.
bool read_holiday_items_one(const Field& h, std::vector<models::Holiday>& out) {
  if (!h.expect_map()) return false;
  h.check_keys({"from", "to", "name"});
  const auto from = h.require("from").as_date();
  const auto to = h.child("to").is_defined() ? h.child("to").as_date() : from;
  const auto name =
      h.child("name").is_defined() ? h.child("name").as_string() : std::string("holiday");
  if (!from || !to || !name) return false;
  if (*to < *from) {
    h.child("to").error("ends before it starts (from " + from->to_string() + ")");
    return false;
  }
  out.push_back({*from, *to, *name});
  return true;
}

// The holidays and make-up days a calendar takes, and the years they speak for.
struct HolidayList {
  std::vector<models::Holiday> holidays;
  std::vector<models::CalendarDate> makeup_days;
  // Per make-up day: the holiday file it came from, "" for the calendar's own makeup_days.
  std::vector<std::string> makeup_source;
  std::set<int> years;             // years a holiday file lists, or years with a listed holiday
  std::vector<std::string> files;  // the holiday files named
  bool ok = true;
};

// `holidays:` is a list of ranges and holiday file names, or one file name alone
// (`holidays: cn-public`); `makeup_days:` adds weekend days worked.
HolidayList read_holidays(const Field& f, HolidayFiles& files) {
  HolidayList list;
  const Field h = f.child("holidays");
  const auto add_file = [&](const Field& where) {
    const auto name = where.as_string();
    // Named twice, its make-up days would each be told as listed twice, under indices the
    // planner never wrote.
    if (name && std::find(list.files.begin(), list.files.end(), *name) != list.files.end()) {
      where.error("the holiday file '" + *name + "' is named twice");
      list.ok = false;
      return;
    }
    const HolidayFile* file = name ? files.find(*name, where) : nullptr;
    if (file == nullptr) {
      list.ok = false;
      return;
    }
    list.holidays.insert(list.holidays.end(), file->holidays.begin(), file->holidays.end());
    list.makeup_days.insert(list.makeup_days.end(), file->makeup_days.begin(),
                            file->makeup_days.end());
    list.makeup_source.resize(list.makeup_days.size(), *name);
    list.years.insert(file->years.begin(), file->years.end());
    list.files.push_back(*name);
  };
  if (h.is_scalar()) {
    add_file(h);
  } else {
    for (const Field& item : h.items()) {
      if (item.is_scalar()) {
        add_file(item);
        continue;
      }
      std::vector<models::Holiday> one;
      if (!read_holiday_items_one(item, one)) {
        list.ok = false;
        continue;
      }
      for (const models::Holiday& x : one) {
        list.years.insert(x.from.year());
        list.years.insert(x.to.year());
        list.holidays.push_back(x);
      }
    }
  }
  for (const Field& d : f.child("makeup_days").items()) {
    const auto date = d.as_date();
    list.ok = list.ok && date;
    if (date) {
      list.makeup_days.push_back(*date);
      list.makeup_source.emplace_back();
    }
  }
  return list;
}

// "2022-2025" or "2023, 2025": runs of years joined.
std::string year_ranges(const std::vector<int>& years) {
  std::string out;
  for (std::size_t i = 0; i < years.size();) {
    std::size_t j = i;
    while (j + 1 < years.size() && years[j + 1] == years[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(years[i]);
    if (j > i) out += "-" + std::to_string(years[j]);
    i = j + 1;
  }
  return out;
}

// A calendar with holidays that the run outlives works every weekday of the later years: worth
// a word, since it silently adds about 4 % of output in China.
void warn_uncovered(const Field& f, const HolidayList& list, const CalendarContext& context) {
  if (list.years.empty()) return;
  std::vector<int> missing;
  for (int y = context.start.year(); y <= context.last_day.year(); ++y) {
    if (list.years.count(y) == 0) missing.push_back(y);
  }
  if (missing.empty()) return;
  const std::vector<int> covered(list.years.begin(), list.years.end());
  std::string source = "its holidays";
  if (!list.files.empty()) {
    source = "its holiday file" + std::string(list.files.size() > 1 ? "s " : " ");
    for (std::size_t i = 0; i < list.files.size(); ++i) source += (i ? ", " : "") + list.files[i];
  }
  const Field where = f.child("holidays");
  context.warnings.push_back(
      {where.location(), where.path(),
       source + " cover" + (list.files.size() == 1 ? "s " : " ") + year_ranges(covered) +
           "; the run reaches " + year_ranges(missing) +
           " too, whose holidays and make-up days it does not give (a day it does not list works "
           "as the week says)"});
}

// A make-up day of the calendar's own that is also one of its holidays (listed, or from a
// holiday file) would be off without a word: a day is worked or off, not both. As holiday
// files refuse it within themselves.
bool makeup_days_work(const Field& f, const HolidayList& listed) {
  bool ok = true;
  for (const Field& d : f.child("makeup_days").items()) {
    const auto date = d.is_scalar() ? models::CalendarDate::parse(d.text()) : std::nullopt;
    if (!date) continue;
    for (const models::Holiday& x : listed.holidays) {
      if (*date < x.from || x.to < *date) continue;
      d.error("is also a holiday (" + x.name +
              "): a make-up day is a day worked; to work it, leave it out of the holidays");
      ok = false;
      break;
    }
  }
  return ok;
}

// A make-up day of the calendar's own that its week works anyway changes nothing: most likely
// a date slipped (2024-02-04 meant, 2024-02-05 written). A holiday file's make-up days are
// left alone: the file serves weeks of five and of six days alike.
void warn_idle_makeup_days(const Field& f, const std::vector<models::CalendarPeriod>& periods,
                           const CalendarContext& context) {
  static constexpr const char* kDayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                              "Friday", "Saturday", "Sunday"};
  for (const Field& d : f.child("makeup_days").items()) {
    const auto date = d.as_date();
    if (!date || *date < context.start) continue;
    const models::CalendarPeriod* in_force = nullptr;
    for (const models::CalendarPeriod& p : periods) {
      if (p.from <= *date && (in_force == nullptr || in_force->from <= p.from)) in_force = &p;
    }
    const int weekday = date->weekday();
    if (in_force == nullptr || !in_force->week.workdays[static_cast<std::size_t>(weekday)])
      continue;
    context.warnings.push_back({d.location(), d.path(),
                                date->to_string() + " is a " + kDayNames[weekday] +
                                    ", which the week in force works anyway: as a make-up day "
                                    "it changes nothing"});
  }
}

// The calendar's own names for what ShiftCalendar::problems() calls periods[i] and
// extra_workdays[i]: periods[0] is the calendar's own week (or the change in force at the start),
// periods[i] a later change, extra_workdays[i] a make-up day.
std::string planner_names(const std::string& message, const std::vector<std::string>& periods,
                          const std::vector<std::string>& makeup_names) {
  // Hand-written rather than std::regex, whose code trips GCC 12's maybe-uninitialized warning
  // under the sanitizers.
  std::string out;
  std::size_t at = 0;
  while (at < message.size()) {
    const bool makeup = message.compare(at, 15, "extra_workdays[") == 0;
    const bool period = !makeup && message.compare(at, 8, "periods[") == 0;
    const std::size_t open = at + (makeup ? 14 : 7);
    const std::size_t close = makeup || period ? message.find(']', open) : std::string::npos;
    if (close == std::string::npos) {
      out += message[at++];
      continue;
    }
    const std::size_t i = std::stoul(message.substr(open + 1, close - open - 1));
    at = close + 1;
    const bool dot = at < message.size() && message[at] == '.';
    if (makeup) {
      out += makeup_names.at(i);
      continue;
    }
    // periods[0] without a change in force is the calendar's own week: its keys stand alone.
    if (periods.at(i).empty()) {
      if (dot) ++at;
      continue;
    }
    out += periods.at(i);
  }
  return out;
}

// The index in "NAME[i]" at `at` (NAME included), or nothing; `at` moves past the "]".
std::optional<std::size_t> index_at(const std::string& text, std::size_t& at,
                                    const std::string& name) {
  if (text.compare(at, name.size() + 1, name + "[") != 0) return std::nullopt;
  const std::size_t close = text.find(']', at);
  if (close == std::string::npos) return std::nullopt;
  const std::size_t i = std::stoul(text.substr(at + name.size() + 1, close - at - name.size() - 1));
  at = close + 1;
  return i;
}

// Where a calendar problem is written: the first thing its message names (a period's shift
// or break, a make-up day), as deep as the file has it; the calendar itself for the rest.
Field problem_field(const std::string& message, const std::vector<Field>& periods,
                    const std::vector<Field>& makeup, const Field& calendar) {
  std::size_t at = 0;
  if (const auto i = index_at(message, at, "extra_workdays"))
    return *i < makeup.size() ? makeup[*i] : calendar;
  const auto p = index_at(message, at, "periods");
  if (!p || *p >= periods.size()) return calendar;
  Field where = periods[*p];
  for (const char* level : {"shifts", "breaks"}) {
    if (at >= message.size() || message[at] != '.') break;
    std::size_t next = at + 1;
    const auto k = index_at(message, next, level);
    const std::vector<Field> items = where.child(level).items();
    if (!k || *k >= items.size()) break;
    where = items[*k];
    at = next;
  }
  return where;
}

}  // namespace

bool read_holiday_items(const Field& list, std::vector<models::Holiday>& out, int year) {
  bool ok = true;
  for (const Field& h : list.items()) {
    if (!read_holiday_items_one(h, out)) {
      ok = false;
      continue;
    }
    // A range may cross into the next or the last year (New Year: 2023-12-30 to 2024-01-01 in
    // the 2024 notice), but it must touch its own.
    const models::Holiday& x = out.back();
    if (x.to.year() < year || x.from.year() > year) {
      h.error("lies outside the year " + std::to_string(year) + " it is listed under");
      out.pop_back();
      ok = false;
    }
  }
  return ok;
}

std::optional<models::ShiftCalendar> read_calendar(const Field& f, const CalendarContext& context) {
  const models::CalendarDate start = context.start;
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"workdays", "shifts", "holidays", "makeup_days", "changes"});
  auto week = read_week(f);
  bool ok = week.has_value();
  // A calendar is written in dates, whatever the run's start: a change on or before the start
  // is the week in force at time zero, and make-up days before the start cannot work (nothing
  // before time zero does), so `--set start=` may move the run into any year of the calendar.
  std::vector<models::CalendarPeriod> periods;
  std::vector<std::string> period_names{""};
  std::vector<Field> period_fields{f};  // where each period is written
  if (week) periods.push_back({start, *week});
  std::size_t index = 0;
  for (const Field& c : f.child("changes").items({"from"})) {
    const std::string name = "changes[" + std::to_string(index++) + "]";
    if (!c.expect_map()) {
      ok = false;
      continue;
    }
    c.check_keys({"from", "workdays", "shifts"});
    const auto from = c.require("from").as_date();
    auto changed = read_week(c);
    ok = ok && from && changed;
    if (!from || !changed || periods.empty()) continue;
    // A change that gives shifts only (a second shift from March) keeps the workdays of the
    // week before it, rather than going back to Monday to Friday.
    if (!c.child("workdays").is_defined()) {
      changed->workdays = (*from <= start ? periods[0] : periods.back()).week.workdays;
    }
    if (*from <= start) {
      periods[0].week = *changed;
      period_names[0] = name;
      period_fields[0] = c;
      continue;
    }
    periods.push_back({*from, *changed});
    period_names.push_back(name);
    period_fields.push_back(c);
  }
  const HolidayList listed = read_holidays(f, context.files);
  ok = ok && listed.ok && makeup_days_work(f, listed);
  if (listed.ok) warn_uncovered(f, listed, context);
  // The make-up days in force, each with its name in the planner's words and where it is
  // written: the calendar's own by their index in makeup_days, a holiday file's by the file.
  std::vector<models::CalendarDate> makeup;
  std::vector<std::string> makeup_names;
  std::vector<Field> makeup_fields;
  const std::vector<Field> own = f.child("makeup_days").items();
  std::size_t own_index = 0;
  for (std::size_t i = 0; i < listed.makeup_days.size(); ++i) {
    const std::string& source = listed.makeup_source[i];
    const bool is_own = source.empty();
    const std::size_t j = is_own ? own_index++ : 0;
    if (listed.makeup_days[i] < start) continue;
    makeup.push_back(listed.makeup_days[i]);
    makeup_names.push_back(is_own ? "makeup_days[" + std::to_string(j) + "]"
                                  : "the make-up day " + listed.makeup_days[i].to_string() +
                                        " of holiday file '" + source + "'");
    makeup_fields.push_back(is_own && j < own.size() ? own[j] : f.child("holidays"));
  }
  if (!ok) return std::nullopt;
  const auto problems = models::ShiftCalendar::problems(start, periods, listed.holidays, makeup);
  for (const std::string& p : problems) {
    problem_field(p, period_fields, makeup_fields, f)
        .error(planner_names(p, period_names, makeup_names));
  }
  if (!problems.empty()) return std::nullopt;
  warn_idle_makeup_days(f, periods, context);
  return models::ShiftCalendar(start, periods, listed.holidays, makeup);
}

}  // namespace takt::scenario::detail
