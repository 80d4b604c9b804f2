// Shift calendar queries by day arithmetic: a day's productive intervals come from its segment
// (period, holiday and extra workday status), so no query loops over minutes or materialises
// the horizon.
#include "takt/models/shift_calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace takt::models {
namespace {

using Rep = sim::Time::Rep;
constexpr int kMinutesPerDay = 1440;
constexpr Rep kTicksPerMinute = sim::Time::minutes(1).count();
constexpr Rep kTicksPerDay = sim::Time::days(1).count();
// The last day whose intervals (ending at most 48h after its midnight) still fit in a Time.
constexpr std::int64_t kLastDay = INT64_MAX / kTicksPerDay - 2;

std::int64_t day_of(sim::Time t) {
  const Rep c = t.count();
  const Rep q = c / kTicksPerDay;
  return c % kTicksPerDay < 0 ? q - 1 : q;
}

bool is_time_of_day(int minute) { return minute >= 0 && minute < kMinutesPerDay; }

// Minutes from `from` forward to `to` on a 24h clock: 0..1439.
Rep minutes_after(int from, int to) {
  return ((to - from) % kMinutesPerDay + kMinutesPerDay) % kMinutesPerDay;
}

std::string clock_text(int minute) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

// "8h", "30min", "7h30min", "25h": whole minutes read better than format_duration's "1.04167d".
std::string length_text(sim::Time length) {
  const Rep ticks = length.count();
  if (ticks <= 0 || ticks % kTicksPerMinute != 0) return sim::format_duration(length);
  const Rep minutes = ticks / kTicksPerMinute;
  std::string text;
  if (minutes >= 60) text += std::to_string(minutes / 60) + "h";
  if (minutes % 60 != 0) text += std::to_string(minutes % 60) + "min";
  return text;
}

std::string span_text(int start_minute, sim::Time length) {
  return clock_text(start_minute) + "+" + length_text(length);
}

std::string shift_name(std::size_t period, std::size_t shift) {
  return "periods[" + std::to_string(period) + "].shifts[" + std::to_string(shift) + "]";
}

std::string shift_label(const WeekPattern& week, std::size_t period, std::size_t shift) {
  const ShiftSpec& s = week.shifts[shift];
  return shift_name(period, shift) + " (" + span_text(s.start_minute, s.length) + ")";
}

// A shift's extent (breaks included) in ticks after midnight of day 0; `day` 1 is its repeat.
struct Span {
  Rep begin;
  Rep end;
  std::size_t shift;
  int day;
};

// Ties broken by index so that messages do not depend on the sort's whims.
bool starts_earlier(const Span& a, const Span& b) {
  return a.begin != b.begin ? a.begin < b.begin : a.shift < b.shift;
}

void check_breaks(const ShiftSpec& shift, const std::string& name, std::vector<std::string>& out) {
  std::vector<Span> placed;
  for (std::size_t k = 0; k < shift.breaks.size(); ++k) {
    const BreakSpec& b = shift.breaks[k];
    const std::string break_name = name + ".breaks[" + std::to_string(k) + "]";
    if (!is_time_of_day(b.start_minute)) {
      out.push_back(break_name + ": start minute " + std::to_string(b.start_minute) +
                    " is not a time of day (expected 0..1439)");
      continue;
    }
    const std::string label = break_name + " (" + span_text(b.start_minute, b.length) + ")";
    if (b.length <= sim::Time::zero()) {
      out.push_back(label + ": length must be more than 0");
      continue;
    }
    const Rep offset = minutes_after(shift.start_minute, b.start_minute) * kTicksPerMinute;
    if (b.length.count() > shift.length.count() - offset) {  // no overflow for huge lengths
      out.push_back(label + " is not inside its shift " +
                    span_text(shift.start_minute, shift.length));
      continue;
    }
    placed.push_back(Span{offset, offset + b.length.count(), k, 0});
  }
  std::sort(placed.begin(), placed.end(), starts_earlier);
  // Keeping the break that reaches furthest finds every break that starts inside an earlier one.
  for (std::size_t i = 1, widest = 0; i < placed.size(); ++i) {
    if (placed[i].begin < placed[widest].end) {
      const BreakSpec& a = shift.breaks[placed[widest].shift];
      const BreakSpec& b = shift.breaks[placed[i].shift];
      out.push_back(name + ".breaks[" + std::to_string(placed[widest].shift) + "] (" +
                    span_text(a.start_minute, a.length) + ") and breaks[" +
                    std::to_string(placed[i].shift) + "] (" + span_text(b.start_minute, b.length) +
                    ") overlap");
    }
    if (placed[i].end > placed[widest].end) widest = i;
  }
}

// Appends the problems of one shift; returns whether its extent is sound enough to compare
// with other shifts.
bool check_shift(const ShiftSpec& shift, const std::string& name, std::vector<std::string>& out) {
  if (!is_time_of_day(shift.start_minute)) {
    out.push_back(name + ": start minute " + std::to_string(shift.start_minute) +
                  " is not a time of day (expected 0..1439)");
    return false;
  }
  if (shift.length <= sim::Time::zero() || shift.length > sim::Time::days(1)) {
    out.push_back(name + " (" + span_text(shift.start_minute, shift.length) +
                  "): length must be more than 0 and at most 24h");
    return false;
  }
  check_breaks(shift, name, out);
  return true;
}

// Extents of the sound shifts on day 0 (and day 1 when `with_next_day`), sorted by begin.
std::vector<Span> shift_spans(const WeekPattern& week, const std::vector<bool>& sound,
                              bool with_next_day) {
  std::vector<Span> spans;
  for (std::size_t s = 0; s < week.shifts.size(); ++s) {
    if (!sound[s]) continue;
    const Rep begin = week.shifts[s].start_minute * kTicksPerMinute;
    const Rep end = begin + week.shifts[s].length.count();
    spans.push_back(Span{begin, end, s, 0});
    if (with_next_day) spans.push_back(Span{begin + kTicksPerDay, end + kTicksPerDay, s, 1});
  }
  std::sort(spans.begin(), spans.end(), starts_earlier);
  return spans;
}

// Shifts repeat daily, so comparing day 0 with day 0 and day 1 finds every overlap (a shift is
// at most 24h long, so day 0 cannot reach day 2). A sweep keeping the widest span so far finds
// at least one overlapping pair whenever there is one.
void check_shift_overlaps(const WeekPattern& week, std::size_t period,
                          const std::vector<bool>& sound, std::vector<std::string>& out) {
  const std::vector<Span> spans = shift_spans(week, sound, true);
  if (spans.empty()) return;
  Span widest = spans.front();
  for (std::size_t i = 1; i < spans.size(); ++i) {
    const Span& next = spans[i];
    // Day-1 pairs repeat day-0 pairs; and when `widest` is a day-1 span so is `next`.
    if (next.begin < widest.end && widest.day == 0) {
      const std::string a = shift_label(week, period, widest.shift);
      const std::string b = shift_label(week, period, next.shift);
      out.push_back(next.day == 0 ? a + " and " + b + " overlap"
                                  : a + " overlaps " + b + " of the next day");
    }
    if (next.end > widest.end) widest = next;
  }
}

// The last day of `before` can run into the first day of `after`.
void check_period_change(const std::vector<CalendarPeriod>& periods, std::size_t p,
                         const std::vector<std::vector<bool>>& sound,
                         std::vector<std::string>& out) {
  const WeekPattern& before = periods[p - 1].week;
  const WeekPattern& after = periods[p].week;
  for (const Span& late : shift_spans(before, sound[p - 1], false)) {
    if (late.end <= kTicksPerDay) continue;
    for (const Span& early : shift_spans(after, sound[p], false)) {
      if (late.end <= early.begin + kTicksPerDay) continue;
      out.push_back(shift_label(after, p, early.shift) + " on " + periods[p].from.to_string() +
                    " overlaps " + shift_label(before, p - 1, late.shift) + " from the day before");
    }
  }
}

void check_period_order(CalendarDate start, const std::vector<CalendarPeriod>& periods,
                        std::vector<std::string>& out) {
  if (!periods.empty() && periods[0].from > start) {
    out.push_back("periods[0] starts " + periods[0].from.to_string() + ", after the start date " +
                  start.to_string() + "; the first period must cover the start date");
  }
  for (std::size_t p = 1; p < periods.size(); ++p) {
    if (periods[p].from > periods[p - 1].from) continue;
    out.push_back("periods[" + std::to_string(p) + "] starts " + periods[p].from.to_string() +
                  ", not after periods[" + std::to_string(p - 1) + "] (" +
                  periods[p - 1].from.to_string() + "); periods must be in date order");
  }
}

std::string extra_workday_name(std::size_t i) {
  return "extra_workdays[" + std::to_string(i) + "]";
}

// Sorting (date, index) pairs finds duplicates in O(n log n); each later copy is reported once,
// against the first index of its date, and the messages follow the input order.
void check_extra_workdays(CalendarDate start, const std::vector<CalendarDate>& days,
                          std::vector<std::string>& out) {
  std::vector<std::pair<CalendarDate, std::size_t>> sorted;
  for (std::size_t i = 0; i < days.size(); ++i) sorted.emplace_back(days[i], i);
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> first_of(days.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const bool repeats = i > 0 && sorted[i].first == sorted[i - 1].first;
    first_of[sorted[i].second] = repeats ? first_of[sorted[i - 1].second] : sorted[i].second;
  }
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (days[i] < start) {
      out.push_back(extra_workday_name(i) + " is " + days[i].to_string() +
                    ", before the start date " + start.to_string());
    }
    if (first_of[i] != i) {
      out.push_back(extra_workday_name(i) + " is " + days[i].to_string() + ", the same date as " +
                    extra_workday_name(first_of[i]));
    }
  }
}

}  // namespace

std::vector<std::string> ShiftCalendar::problems(CalendarDate start,
                                                 const std::vector<CalendarPeriod>& periods,
                                                 const std::vector<Holiday>& holidays,
                                                 const std::vector<CalendarDate>& extra_workdays) {
  std::vector<std::string> out;
  check_period_order(start, periods, out);
  std::vector<std::vector<bool>> sound(periods.size());
  for (std::size_t p = 0; p < periods.size(); ++p) {
    const WeekPattern& week = periods[p].week;
    for (std::size_t s = 0; s < week.shifts.size(); ++s) {
      sound[p].push_back(check_shift(week.shifts[s], shift_name(p, s), out));
    }
    check_shift_overlaps(week, p, sound[p], out);
    if (p > 0 && periods[p].from > periods[p - 1].from) check_period_change(periods, p, sound, out);
  }
  for (std::size_t h = 0; h < holidays.size(); ++h) {
    if (holidays[h].from <= holidays[h].to) continue;
    out.push_back("holidays[" + std::to_string(h) + "] (\"" + holidays[h].name + "\") ends " +
                  holidays[h].to.to_string() + ", before it starts " +
                  holidays[h].from.to_string());
  }
  check_extra_workdays(start, extra_workdays, out);
  return out;
}

ShiftCalendar ShiftCalendar::always() { return ShiftCalendar(); }

ShiftCalendar::ShiftCalendar(CalendarDate start, std::vector<CalendarPeriod> periods,
                             std::vector<Holiday> holidays,
                             std::vector<CalendarDate> extra_workdays)
    : is_always_(periods.empty() && holidays.empty()),
      start_(start),
      holidays_(std::move(holidays)),
      extra_workdays_(std::move(extra_workdays)) {
  const std::vector<std::string> found = problems(start, periods, holidays_, extra_workdays_);
  if (!found.empty()) {
    std::string message = "invalid shift calendar: " + found.front();
    for (std::size_t i = 1; i < found.size(); ++i) message += "; " + found[i];
    throw std::invalid_argument(message);
  }
  // Sorted for is_extra_workday; without periods every day works anyway, so they change nothing.
  std::sort(extra_workdays_.begin(), extra_workdays_.end());
  if (is_always_) return;
  if (periods.empty()) {
    // Holidays without periods: a 24h shift every day, so only the holidays stop the plant.
    WeekPattern every_day{{true, true, true, true, true, true, true},
                          {ShiftSpec{0, sim::Time::days(1), {}}}};
    periods.push_back(CalendarPeriod{start, std::move(every_day)});
  }
  for (const CalendarPeriod& period : periods) weeks_.push_back(compile(period.week));
  build_segments(periods);
}

ShiftCalendar::CompiledWeek ShiftCalendar::compile(const WeekPattern& week) {
  CompiledWeek compiled;
  compiled.workdays = week.workdays;
  for (const ShiftSpec& shift : week.shifts) {
    const Rep begin = shift.start_minute * kTicksPerMinute;
    const Rep end = begin + shift.length.count();
    std::vector<Interval> breaks;
    for (const BreakSpec& b : shift.breaks) {
      const Rep at = begin + minutes_after(shift.start_minute, b.start_minute) * kTicksPerMinute;
      breaks.push_back(Interval{at, at + b.length.count()});
    }
    std::sort(breaks.begin(), breaks.end(),
              [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
    Rep cursor = begin;
    for (const Interval& b : breaks) {
      if (b.begin > cursor) compiled.intervals.push_back(Interval{cursor, b.begin});
      cursor = std::max(cursor, b.end);
    }
    if (cursor < end) compiled.intervals.push_back(Interval{cursor, end});
  }
  std::sort(compiled.intervals.begin(), compiled.intervals.end(),
            [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  // Merge touching intervals (a 16:00 end and a 16:00 start) so a workday has no empty gaps.
  std::vector<Interval> merged;
  for (const Interval& i : compiled.intervals) {
    if (!merged.empty() && i.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(i);
    }
  }
  compiled.intervals = std::move(merged);
  for (const Interval& i : compiled.intervals) compiled.workday_total += i.end - i.begin;
  for (std::size_t w = 0; w < 7; ++w) {
    compiled.day_total[w] = compiled.workdays[w] ? compiled.workday_total : 0;
    compiled.week_total += compiled.day_total[w];
  }
  return compiled;
}

// Segments start at day 0 and wherever a period begins, a holiday range begins or ends, or an
// extra workday begins or ends, so inside one segment the calendar repeats weekly (an extra
// workday is a one-day segment); their running totals make working_time arithmetic.
void ShiftCalendar::build_segments(const std::vector<CalendarPeriod>& periods) {
  std::vector<std::int64_t> firsts{0};
  const auto add = [&firsts](std::int64_t day) {
    if (day > 0) firsts.push_back(day);
  };
  for (const CalendarPeriod& p : periods) add(p.from - start_);
  for (const Holiday& h : holidays_) {
    add(h.from - start_);
    add(h.to - start_ + 1);
  }
  for (const CalendarDate d : extra_workdays_) {
    add(d - start_);
    add(d - start_ + 1);
  }
  std::sort(firsts.begin(), firsts.end());
  firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
  Rep total = 0;
  for (std::size_t i = 0; i < firsts.size(); ++i) {
    const std::int64_t day = firsts[i];
    std::size_t week = 0;
    while (week + 1 < periods.size() && periods[week + 1].from - start_ <= day) ++week;
    const bool is_holiday = holiday_on(start_ + day) != nullptr;
    const bool is_extra = !is_holiday && is_extra_workday(start_ + day);
    segments_.push_back(Segment{day, week, is_holiday, is_extra, total});
    if (i + 1 < firsts.size()) total += days_total(segments_.back(), day, firsts[i + 1]);
  }
}

const Holiday* ShiftCalendar::holiday_on(CalendarDate d) const {
  for (const Holiday& h : holidays_) {
    if (h.from <= d && d <= h.to) return &h;
  }
  return nullptr;
}

bool ShiftCalendar::is_extra_workday(CalendarDate d) const {
  return std::binary_search(extra_workdays_.begin(), extra_workdays_.end(), d);
}

const ShiftCalendar::Segment* ShiftCalendar::segment_of(std::int64_t day) const {
  if (day < 0 || segments_.empty()) return nullptr;
  const auto after =
      std::upper_bound(segments_.begin(), segments_.end(), day,
                       [](std::int64_t d, const Segment& s) { return d < s.first_day; });
  return &*(after - 1);
}

bool ShiftCalendar::is_idle(const Segment& segment) const {
  if (segment.is_holiday) return true;
  const CompiledWeek& week = weeks_[segment.week];
  return (segment.is_extra_workday ? week.workday_total : week.week_total) == 0;
}

const std::vector<ShiftCalendar::Interval>* ShiftCalendar::intervals_of(std::int64_t day) const {
  const Segment* segment = segment_of(day);
  if (segment == nullptr || segment->is_holiday) return nullptr;
  const CompiledWeek& week = weeks_[segment->week];
  if (week.intervals.empty()) return nullptr;
  if (!segment->is_extra_workday && !week.workdays[weekday_of(day)]) return nullptr;
  return &week.intervals;
}

std::size_t ShiftCalendar::weekday_of(std::int64_t day) const {
  return static_cast<std::size_t>((start_.weekday() + day % 7) % 7);
}

ShiftCalendar::Rep ShiftCalendar::days_total(const Segment& segment, std::int64_t first,
                                             std::int64_t end) const {
  if (segment.is_holiday) return 0;
  const CompiledWeek& week = weeks_[segment.week];
  const std::int64_t count = end - first;
  if (segment.is_extra_workday) return count * week.workday_total;  // count is 0 or 1
  // A workday holds at most 24h of non-overlapping shifts, so this stays below (end - first)
  // days of ticks and cannot overflow for any day a Time can reach.
  Rep total = count / 7 * week.week_total;
  for (std::int64_t i = 0; i < count % 7; ++i) total += week.day_total[weekday_of(first + i)];
  return total;
}

// Shifts that start on days up to k - 2 have ended by midnight of day k (a shift is at most
// 24h and starts before 24:00), so they count whole; days k - 1 and k count in part.
ShiftCalendar::Rep ShiftCalendar::productive_before(sim::Time t) const {
  if (t <= sim::Time::zero()) return 0;
  const std::int64_t k = day_of(t);
  const std::int64_t whole_days = std::max<std::int64_t>(k - 1, 0);
  const Segment& segment = *segment_of(whole_days);
  Rep total = segment.total_before + days_total(segment, segment.first_day, whole_days);
  for (std::int64_t day = whole_days; day <= k; ++day) {
    const std::vector<Interval>* intervals = intervals_of(day);
    if (intervals == nullptr) continue;
    const Rep since_midnight = t.count() - day * kTicksPerDay;
    for (const Interval& i : *intervals) {
      total += std::clamp<Rep>(since_midnight - i.begin, 0, i.end - i.begin);
    }
  }
  return total;
}

bool ShiftCalendar::is_working(sim::Time t) const {
  if (is_always_) return true;
  const std::int64_t k = day_of(t);
  for (std::int64_t day = std::max<std::int64_t>(k - 1, 0); day <= k; ++day) {
    const std::vector<Interval>* intervals = intervals_of(day);
    if (intervals == nullptr) continue;
    const Rep since_midnight = t.count() - day * kTicksPerDay;
    for (const Interval& i : *intervals) {
      if (i.begin <= since_midnight && since_midnight < i.end) return true;
    }
  }
  return false;
}

// Invariant: validation keeps shift extents disjoint, so visiting days in order and each day's
// sorted intervals visits all intervals in time order; only touching ones need merging. After
// the last segment starts the calendar repeats weekly, so eight more days without finding a
// change mean there is none (9 = 8 days + the day before t).
sim::Time ShiftCalendar::next_change(sim::Time t) const {
  if (is_always_) return sim::Time::max();
  const std::int64_t k = day_of(t);
  const std::int64_t limit = std::min(std::max(segments_.back().first_day, k) + 9, kLastDay + 1);
  bool working = false;
  Rep end = 0;  // while working: end of the merged run containing t so far
  for (std::int64_t day = std::max<std::int64_t>(k - 1, 0); day < limit;) {
    const Rep midnight = day * kTicksPerDay;
    if (working && midnight > end) return sim::Time::ticks(end);
    const Segment* segment = segment_of(day);
    if (!working && is_idle(*segment)) {
      // Nothing starts in this whole segment: jump to the next one.
      const auto index = static_cast<std::size_t>(segment - segments_.data());
      day = index + 1 < segments_.size() ? segments_[index + 1].first_day : limit;
      continue;
    }
    if (const std::vector<Interval>* intervals = intervals_of(day)) {
      for (const Interval& i : *intervals) {
        const Rep begin = midnight + i.begin;
        const Rep finish = midnight + i.end;
        if (working) {
          if (begin > end) return sim::Time::ticks(end);
          end = std::max(end, finish);
        } else if (finish > t.count()) {
          if (begin > t.count()) return sim::Time::ticks(begin);
          working = true;
          end = finish;
        }
      }
    }
    ++day;
  }
  return sim::Time::max();
}

sim::Time ShiftCalendar::working_time(sim::Time from, sim::Time to) const {
  if (to <= from) return sim::Time::zero();
  if (is_always_) {
    // Saturate instead of overflowing for ranges like [-max, max).
    if (from < sim::Time::zero() && to.count() > INT64_MAX + from.count()) return sim::Time::max();
    return to - from;
  }
  return sim::Time::ticks(productive_before(to) - productive_before(from));
}

}  // namespace takt::models
