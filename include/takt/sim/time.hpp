// Simulated time as an integer count of microseconds, so shift boundaries compare exactly and
// 100 simulated years (3.2e15 ticks) fit with room to spare in 64 bits.
#pragma once

#include <algorithm>
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
  /// A duration no draw or stretched time may exceed: 1,000 years. It is far beyond any run
  /// (horizons stop at 100 years, docs/reliability.md), so a saturated time only means
  /// "never within the run", and now + kMaxDuration cannot overflow.
  static constexpr Rep kMaxDuration = Rep{1000} * 365 * 86400 * kTicksPerSecond;
  /// Seconds rounded to the nearest tick (halves away from zero, as std::round), saturated at
  /// +-kMaxDuration (the stated clamp for heavy-tailed draws and stretched times). Not for NaN.
  static Time seconds(double seconds) {
    constexpr double kLimit = static_cast<double>(kMaxDuration);
    double scaled = seconds * static_cast<double>(kTicksPerSecond);
    assert(scaled == scaled && "NaN is not a time");
    // Two branch-free clamps (minsd, maxsd) on the path of every sampled duration.
    scaled = std::min(std::max(scaled, -kLimit), kLimit);
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

  constexpr Time& operator+=(Time d) {
    ticks_ += d.ticks_;
    return *this;
  }
  constexpr Time& operator-=(Time d) {
    ticks_ -= d.ticks_;
    return *this;
  }
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
