// Simulated time as an integer count of microseconds, so shift boundaries compare exactly and
// 100 simulated years (3.2e15 ticks) fit with room to spare in 64 bits.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

namespace takt::sim {

/// A point in simulated time or a duration, in ticks of one microsecond.
class Time {
 public:
  using Rep = std::int64_t;
  static constexpr Rep kTicksPerSecond = 1'000'000;

  constexpr Time() = default;
  /// Exactly `ticks` microseconds.
  static constexpr Time ticks(Rep ticks) { return Time(ticks); }
  /// Seconds rounded to the nearest tick (halves away from zero, as std::round); asserts that
  /// the value is finite and in range.
  static Time seconds(double seconds) {
    const double scaled = seconds * static_cast<double>(kTicksPerSecond);
    assert(scaled > -9.2e18 && scaled < 9.2e18 && "time out of range");  // false for NaN too
    // std::round without the libm call (this runs once per sampled duration): the cast
    // truncates toward zero, and scaled - truncated is exact (Sterbenz), so comparing the
    // fraction with one half rounds exactly as std::round does.
    Rep ticks = static_cast<Rep>(scaled);
    const double fraction = scaled - static_cast<double>(ticks);
    if (fraction >= 0.5) ++ticks;
    if (fraction <= -0.5) --ticks;
    return Time(ticks);
  }
  static constexpr Time minutes(Rep m) { return Time(m * 60 * kTicksPerSecond); }
  static constexpr Time hours(Rep h) { return Time(h * 3600 * kTicksPerSecond); }
  static constexpr Time days(Rep d) { return Time(d * 86400 * kTicksPerSecond); }
  static constexpr Time zero() { return Time(0); }
  /// A time later than any event: "never".
  static constexpr Time max() { return Time(INT64_MAX); }

  constexpr Rep count() const { return ticks_; }
  constexpr double to_seconds() const {
    return static_cast<double>(ticks_) / static_cast<double>(kTicksPerSecond);
  }
  constexpr double to_hours() const { return to_seconds() / 3600.0; }

  constexpr Time& operator+=(Time d) { ticks_ += d.ticks_; return *this; }
  constexpr Time& operator-=(Time d) { ticks_ -= d.ticks_; return *this; }
  friend constexpr Time operator+(Time a, Time b) { return Time(a.ticks_ + b.ticks_); }
  friend constexpr Time operator-(Time a, Time b) { return Time(a.ticks_ - b.ticks_); }
  friend constexpr Time operator*(Time a, Rep k) { return Time(a.ticks_ * k); }
  friend constexpr Time operator*(Rep k, Time a) { return Time(a.ticks_ * k); }
  friend constexpr bool operator==(Time a, Time b) { return a.ticks_ == b.ticks_; }
  friend constexpr bool operator!=(Time a, Time b) { return a.ticks_ != b.ticks_; }
  friend constexpr bool operator<(Time a, Time b) { return a.ticks_ < b.ticks_; }
  friend constexpr bool operator<=(Time a, Time b) { return a.ticks_ <= b.ticks_; }
  friend constexpr bool operator>(Time a, Time b) { return a.ticks_ > b.ticks_; }
  friend constexpr bool operator>=(Time a, Time b) { return a.ticks_ >= b.ticks_; }

 private:
  constexpr explicit Time(Rep ticks) : ticks_(ticks) {}
  Rep ticks_ = 0;
};

constexpr Time min(Time a, Time b) { return b < a ? b : a; }
constexpr Time max(Time a, Time b) { return a < b ? b : a; }

/// Parses "90s", "1.5min", "8h", "250ms", "2d", "1w", "1y" (365 d) or "0". A number without a
/// unit is an error (a planner's "90" could mean seconds or minutes). Throws ParseError.
Time parse_duration(std::string_view text);

/// Whether `text` looks like a duration (a number directly followed by a known unit).
bool is_duration(std::string_view text);

/// Prints with the largest unit that keeps the number short: "90s", "1.5min", "8h", "2d".
std::string format_duration(Time d);

}  // namespace takt::sim
