// Ramp-up curves and their integrals (what a deterministic plant builds under them).
#include "takt/models/ramp_up_curve.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace takt::models {

RampUpCurve RampUpCurve::logistic(double midpoint, double steepness, double floor, double ceiling) {
  RampUpCurve c;
  c.kind_ = Kind::kLogistic;
  c.a_ = midpoint;
  c.b_ = steepness;
  c.floor_ = floor;
  c.ceiling_ = ceiling;
  return c;
}

RampUpCurve RampUpCurve::table(std::vector<std::pair<double, double>> points) {
  assert(!points.empty() && "a ramp-up table needs at least one point");
  RampUpCurve c;
  c.kind_ = Kind::kTable;
  c.points_ = std::move(points);
  return c;
}

RampUpCurve RampUpCurve::learning(double rate, double initial) {
  RampUpCurve c;
  c.kind_ = Kind::kLearning;
  c.a_ = std::log2(rate);
  c.b_ = initial;
  return c;
}

double RampUpCurve::highest() const {
  if (kind_ == Kind::kLogistic) return std::max(floor_, ceiling_);
  if (kind_ == Kind::kLearning) return 1.0;
  double top = points_.front().second;
  for (const auto& p : points_) top = std::max(top, p.second);
  return top;
}

double RampUpCurve::at(double t) const {
  if (kind_ == Kind::kLogistic) {
    return floor_ + (ceiling_ - floor_) / (1.0 + std::exp(-b_ * (t - a_)));
  }
  if (kind_ == Kind::kLearning) return 1.0;
  if (t <= points_.front().first) return points_.front().second;
  if (t >= points_.back().first) return points_.back().second;
  const auto upper = std::upper_bound(points_.begin(), points_.end(), t,
                                      [](double v, const auto& p) { return v < p.first; });
  const auto lower = upper - 1;
  const double w = (t - lower->first) / (upper->first - lower->first);
  return lower->second + w * (upper->second - lower->second);
}

double RampUpCurve::multiplier(std::uint64_t unit) const {
  if (kind_ != Kind::kLearning || unit == 0) return 1.0;
  return std::max(1.0, b_ * std::pow(static_cast<double>(unit), a_));
}

namespace {

// log(1 + e^x) without overflow for large x.
double softplus(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }

}  // namespace

double RampUpCurve::integral(double from, double to) const {
  if (kind_ == Kind::kLogistic) {
    const double span = ceiling_ - floor_;
    return floor_ * (to - from) +
           span / b_ * (softplus(b_ * (to - a_)) - softplus(b_ * (from - a_)));
  }
  if (kind_ == Kind::kLearning) return to - from;
  // Tables: the trapezoids between the points, clipped to [from, to], plus the flat ends.
  double sum = 0;
  std::vector<double> cuts{from, to};
  for (const auto& p : points_) {
    if (p.first > from && p.first < to) cuts.push_back(p.first);
  }
  std::sort(cuts.begin(), cuts.end());
  for (std::size_t i = 1; i < cuts.size(); ++i)
    sum += 0.5 * (at(cuts[i - 1]) + at(cuts[i])) * (cuts[i] - cuts[i - 1]);
  return sum;
}

}  // namespace takt::models
