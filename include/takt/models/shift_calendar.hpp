// When a plant works: weekly shift patterns that change at dates, breaks and holiday ranges,
// as a pure value over simulated time that stations and the calendar driver query.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

/// A paid break inside a shift. A start minute earlier than its shift's start means the next
/// day (a 02:00 break in a 22:00 shift).
struct BreakSpec {
  int start_minute = 0;  ///< minute of the day, 0..1439
  sim::Time length;      ///< more than 0; the break must end by the end of its shift
};

/// A shift that starts every workday at the same time; it may run past midnight.
struct ShiftSpec {
  int start_minute = 0;  ///< minute of the day, 0..1439
  sim::Time length;      ///< more than 0 and at most 24h
  std::vector<BreakSpec> breaks;
};

/// One week's rule: on which weekdays the shifts start, and the shifts themselves.
struct WeekPattern {
  std::array<bool, 7> workdays{};  ///< index 0 = Monday .. 6 = Sunday
  std::vector<ShiftSpec> shifts;   ///< none means no work at all while the pattern applies
};

/// A week pattern that applies from `from` until the next period's date.
struct CalendarPeriod {
  CalendarDate from;
  WeekPattern week;
};

/// Days [from, to] (both inclusive) on which no shift starts. A shift that started the evening
/// before still runs into the first holiday morning.
struct Holiday {
  CalendarDate from;
  CalendarDate to;
  std::string name;
};

/// Which instants of simulated time are productive. Time zero is midnight at the start date.
/// A shift belongs to the day it starts: it works when that day is a workday of the period in
/// effect on it or an extra (make-up) workday, and not a holiday. Shifts that would start before
/// the start date do not exist, so nothing before time zero is productive (except in an always()
/// calendar). Intervals are half-open, and touching ones merge: a shift ending at 16:00 and one
/// starting at 16:00 make no change at 16:00.
class ShiftCalendar {
 public:
  /// The 24/7 calendar, the same as always(); lets a calendar sit in a struct filled in later.
  ShiftCalendar() = default;
  /// Works 24/7: is_working is always true and next_change always Time::max().
  static ShiftCalendar always();

  /// Throws std::invalid_argument listing every problem that problems() finds. No periods means
  /// a 24h shift every day: 24/7, or 24/7 except the holidays when there are some. Periods must
  /// be in strictly increasing date order and the first must start on or before `start`.
  /// `extra_workdays` (any order) are make-up days such as China's working weekends around public
  /// holidays: the shifts of the period in effect that day start although its weekday is not a
  /// workday (a night shift runs on into the next day as usual). A holiday on the same date wins;
  /// a date that is a workday anyway changes nothing, and so does one in a period without shifts.
  ShiftCalendar(CalendarDate start, std::vector<CalendarPeriod> periods,
                std::vector<Holiday> holidays, std::vector<CalendarDate> extra_workdays = {});

  /// Every reason the constructor would refuse these arguments, one sentence each naming the
  /// offending element as periods[i].shifts[j].breaks[k], holidays[i] or extra_workdays[i];
  /// empty when valid. Checks times of day, lengths, breaks inside their shift and not
  /// overlapping, shifts not overlapping (also into the next day, and across a period change, as
  /// if every day worked), period order, holiday ranges, and extra workdays (none before `start`,
  /// none listed twice).
  static std::vector<std::string> problems(CalendarDate start,
                                           const std::vector<CalendarPeriod>& periods,
                                           const std::vector<Holiday>& holidays,
                                           const std::vector<CalendarDate>& extra_workdays = {});

  /// Whether this is the 24/7 calendar without holidays.
  bool is_always() const { return is_always_; }
  /// The date whose midnight is time zero.
  CalendarDate start() const { return start_; }
  /// The first holiday (in the given order) whose range contains `d`, or nullptr.
  const Holiday* holiday_on(CalendarDate d) const;
  /// Whether `d` was given as an extra workday (also when a holiday on `d` wins, so that it
  /// does not work).
  bool is_extra_workday(CalendarDate d) const;

  /// Whether `t` lies in a productive interval [begin, end).
  bool is_working(sim::Time t) const;
  /// The first time after `t` (strictly) at which is_working changes; Time::max() if never.
  /// Cost: the intervals of the days it looks at, usually one or two (a weekend adds two); a
  /// holiday range or an idle period (between its extra workdays, if any) is skipped in one step.
  sim::Time next_change(sim::Time t) const;
  /// Productive time in [from, to); zero when to <= from. Any range costs O(log segments), where
  /// the segments are the stretches between period changes, holiday edges and extra workdays.
  sim::Time working_time(sim::Time from, sim::Time to) const;

 private:
  using Rep = sim::Time::Rep;
  // A productive interval in ticks after midnight of the day its shift starts; end may pass
  // midnight (up to 48h for a 24h shift starting at 23:59).
  struct Interval {
    Rep begin;
    Rep end;
  };
  // A period's pattern compiled for the queries: sorted, merged intervals of one workday.
  struct CompiledWeek {
    std::array<bool, 7> workdays{};
    std::vector<Interval> intervals;
    Rep workday_total = 0;           // productive ticks of the shifts of one workday
    std::array<Rep, 7> day_total{};  // productive ticks of shifts starting on each weekday
    Rep week_total = 0;
  };
  // A run of days [first_day, next segment's first_day) with the same pattern and holiday
  // status; day numbers count from the start date (day 0). An extra workday is a segment of
  // its own (its next day starts another), so `is_extra_workday` speaks for exactly one day.
  struct Segment {
    std::int64_t first_day;
    std::size_t week;  // index into weeks_
    bool is_holiday;
    bool is_extra_workday;  // works whatever its weekday; never together with is_holiday
    Rep total_before;       // productive ticks of shifts starting on days [0, first_day)
  };

  static CompiledWeek compile(const WeekPattern& week);
  void build_segments(const std::vector<CalendarPeriod>& periods);
  const Segment* segment_of(std::int64_t day) const;
  // Whether no shift starts on any day of the segment.
  bool is_idle(const Segment& segment) const;
  // The intervals of shifts that start on `day`, or nullptr when none start then.
  const std::vector<Interval>* intervals_of(std::int64_t day) const;
  std::size_t weekday_of(std::int64_t day) const;
  Rep days_total(const Segment& segment, std::int64_t first, std::int64_t end) const;
  // Productive ticks in [0, t).
  Rep productive_before(sim::Time t) const;

  bool is_always_ = true;
  CalendarDate start_;
  std::vector<Holiday> holidays_;
  std::vector<CalendarDate> extra_workdays_;  // sorted, no duplicates
  std::vector<CompiledWeek> weeks_;
  std::vector<Segment> segments_;
};

}  // namespace takt::models
