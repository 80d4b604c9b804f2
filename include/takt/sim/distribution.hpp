// Random durations written the way planners write them ("lognormal(mean=90s, cv=0.15)") and
// sampled with Boost.Random, whose algorithms are the same on every standard library.
#pragma once

#include <boost/random/exponential_distribution.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "takt/sim/random_stream.hpp"
#include "takt/sim/time.hpp"

namespace takt::sim {

/// A non-negative random duration. Parameters are held in seconds.
class Distribution {
 public:
  enum class Kind {
    kConstant,     ///< value
    kUniform,      ///< min, max
    kExponential,  ///< mean
    kNormal,       ///< mean, sd; truncated at zero (redrawn while negative)
    kLognormal,    ///< mean, cv
    kTriangular,   ///< min, mode, max
    kWeibull,      ///< shape, scale
    kGamma,        ///< shape, mean (erlang: integer shape)
    kEmpirical,    ///< table of values and weights
  };

  /// A constant zero duration.
  Distribution() = default;

  static Distribution constant(double seconds);
  static Distribution uniform(double min_s, double max_s);
  static Distribution exponential(double mean_s);
  static Distribution normal(double mean_s, double sd_s);
  static Distribution lognormal(double mean_s, double cv);
  static Distribution triangular(double min_s, double mode_s, double max_s);
  static Distribution weibull(double shape, double scale_s);
  static Distribution gamma(double shape, double mean_s);
  static Distribution erlang(int k, double mean_s);
  /// Values with weights (weights need not sum to one).
  static Distribution empirical(std::vector<double> values_s, std::vector<double> weights);

  /// Parses "81s", "exponential(1min)", "lognormal(mean=90s, cv=0.15)", "triangular(70s, 81s,
  /// 95s)", "weibull(shape=1.5, scale=8h)", "erlang(k=3, mean=1min)", "gamma(shape=2, mean=1h)",
  /// "uniform(1min, 2min)", "normal(mean=60s, sd=5s)", "empirical(50s: 0.2, 60s: 0.8)".
  /// Throws ParseError saying what was expected.
  static Distribution parse(std::string_view text);

  /// One draw in seconds (never negative).
  double sample(RandomStream& rng) const {
    // The two kinds of a station's every cycle are inline; the rest pay for a call.
    if (kind_ == Kind::kConstant) return a_;
    if (kind_ == Kind::kExponential) {
      return unit_exponential(rng) * a_;  // a_: the mean
    }
    return sample_other(rng);
  }
  /// One draw rounded to the tick.
  Time sample_time(RandomStream& rng) const { return Time::seconds(sample(rng)); }

  Kind kind() const { return kind_; }
  bool is_constant() const { return kind_ == Kind::kConstant; }
  /// Exact mean and variance of what sample() returns (the truncation of normal included).
  double mean() const;
  double variance() const;
  /// The distribution scaled in time by `factor` (> 0): every duration multiplied.
  Distribution scaled(double factor) const;
  /// Canonical text that parse() reads back to the same distribution.
  std::string to_string() const;

 private:
  double sample_other(RandomStream& rng) const;
  // `d` if its mean and standard deviation are finite and at most 100 years, else ParseError.
  static Distribution checked(Distribution d);
  // An exponential draw of mean 1, scaled by the mean where it is used. Boost's exponential
  // of rate r divides by r at every draw; of rate 1 the division folds away. A multiply by
  // the mean then replaces it (the division's latency sat on the path from one event to the
  // next), and the planner's mean is used as given, not through its rounded inverse.
  static double unit_exponential(RandomStream& rng) {
    return boost::random::exponential_distribution<double>(1.0)(rng);
  }

  Kind kind_ = Kind::kConstant;
  double a_ = 0, b_ = 0, c_ = 0;             // meaning depends on kind_, see the factories
  std::vector<double> values_, cumulative_;  // empirical only
};

}  // namespace takt::sim
