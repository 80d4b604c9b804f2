// How a new plant approaches its mature rate: a value over time (logistic S-curve or a
// planner's table) or over cumulative units (Wright's learning curve). A pure value, tested
// alone; stations consume it through the ramp-up driver.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace takt::models {

/// Months in ramp-up curves are 365/12 days, so twelve of them make a year.
constexpr double kDaysPerMonth = 365.0 / 12.0;

class RampUpCurve {
 public:
  enum class Kind { kLogistic, kTable, kLearning };

  /// f(t) = floor + (ceiling - floor) / (1 + exp(-steepness (t - midpoint))), t in months.
  static RampUpCurve logistic(double midpoint_months, double steepness_per_month, double floor,
                              double ceiling);
  /// Piecewise linear through (months, factor) points sorted by time; flat before the first
  /// and after the last point.
  static RampUpCurve table(std::vector<std::pair<double, double>> points);
  /// Wright's law: the n-th unit takes initial x n^log2(rate) times the mature time, never
  /// less than the mature time (the floor). rate in (0, 1], initial >= 1.
  static RampUpCurve learning(double rate, double initial);

  Kind kind() const { return kind_; }
  bool is_learning() const { return kind_ == Kind::kLearning; }
  /// The factor `months` after the start (time curves only).
  double at(double months) const;
  /// The highest factor at() reaches at any time (1 for learning curves, which only slow).
  double highest() const;
  /// The time multiplier of the n-th unit, n >= 1 (learning curves only).
  double multiplier(std::uint64_t unit) const;
  /// Integral of at() over [from, to] months: closed form for logistic, exact for tables.
  double integral(double from_months, double to_months) const;

 private:
  Kind kind_ = Kind::kTable;
  double a_ = 0, b_ = 0, floor_ = 0,
         ceiling_ = 1;  // logistic: midpoint, steepness; learning: exponent, initial
  std::vector<std::pair<double, double>> points_;
};

}  // namespace takt::models
