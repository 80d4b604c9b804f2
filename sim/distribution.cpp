// Sampling and moments of the duration distributions; the algorithms are Boost.Random's, so a
// seed gives the same draws with any compiler and standard library.
#include "takt/sim/distribution.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "takt/sim/error.hpp"

namespace takt::sim {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw ParseError(message);
}

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

// Durations print in seconds so that to_string() round-trips exactly.
std::string seconds(double v) { return number(v) + "s"; }

// Lognormal parameters of the underlying normal from mean and coefficient of variation.
double lognormal_sigma(double cv) { return std::sqrt(std::log1p(cv * cv)); }

// Durations beyond a hundred years mean a mistake (a unit, a shape of 0.01): a located error
// here, rather than draws that fill every run with "never".
constexpr double kMaxSeconds = 100.0 * 365 * 86400;

// Names the distribution's kind for messages.
std::string kind_name(const std::string& text) { return text.substr(0, text.find('(')); }

}  // namespace

Distribution Distribution::checked(Distribution d) {
  const double m = d.mean();
  const double sd = std::sqrt(d.variance());
  const std::string kind = kind_name(d.to_string());
  // A moment too large for a double has no number worth printing ("inf", "-nan").
  require(std::isfinite(m), kind + ": its mean is not a finite number of seconds");
  require(m <= kMaxSeconds, kind + ": its mean is " + number(m) + " s, more than 100 years");
  require(std::isfinite(sd), kind + ": its standard deviation is not a finite number of seconds");
  require(sd <= kMaxSeconds,
          kind + ": its standard deviation is " + number(sd) + " s, more than 100 years");
  return d;
}

Distribution Distribution::constant(double s) {
  require(s >= 0 && std::isfinite(s), "a constant duration must not be negative");
  Distribution d;
  d.kind_ = Kind::kConstant;
  d.a_ = s;
  return checked(d);
}

Distribution Distribution::uniform(double min_s, double max_s) {
  require(min_s >= 0, "uniform: min must not be negative");
  require(max_s > min_s, "uniform: max must be greater than min");
  Distribution d;
  d.kind_ = Kind::kUniform;
  d.a_ = min_s;
  d.b_ = max_s;
  return checked(d);
}

Distribution Distribution::exponential(double mean_s) {
  require(mean_s > 0, "exponential: mean must be positive");
  Distribution d;
  d.kind_ = Kind::kExponential;
  d.a_ = mean_s;
  return checked(d);
}

Distribution Distribution::normal(double mean_s, double sd_s) {
  require(mean_s > 0, "normal: mean must be positive");
  require(sd_s > 0, "normal: sd must be positive");
  Distribution d;
  d.kind_ = Kind::kNormal;
  d.a_ = mean_s;
  d.b_ = sd_s;
  return checked(d);
}

Distribution Distribution::lognormal(double mean_s, double cv) {
  require(mean_s > 0, "lognormal: mean must be positive");
  require(cv > 0, "lognormal: cv must be positive");
  Distribution d;
  d.kind_ = Kind::kLognormal;
  d.a_ = mean_s;
  d.b_ = cv;
  return checked(d);
}

Distribution Distribution::triangular(double min_s, double mode_s, double max_s) {
  require(min_s >= 0, "triangular: min must not be negative");
  require(min_s <= mode_s && mode_s <= max_s && min_s < max_s,
          "triangular: expected min <= mode <= max with min < max");
  Distribution d;
  d.kind_ = Kind::kTriangular;
  d.a_ = min_s;
  d.b_ = mode_s;
  d.c_ = max_s;
  return checked(d);
}

Distribution Distribution::weibull(double shape, double scale_s) {
  require(shape > 0, "weibull: shape must be positive");
  require(scale_s > 0, "weibull: scale must be positive");
  Distribution d;
  d.kind_ = Kind::kWeibull;
  d.a_ = shape;
  d.b_ = scale_s;
  return checked(d);
}

Distribution Distribution::gamma(double shape, double mean_s) {
  require(shape > 0, "gamma: shape must be positive");
  require(mean_s > 0, "gamma: mean must be positive");
  Distribution d;
  d.kind_ = Kind::kGamma;
  d.a_ = shape;
  d.b_ = mean_s;
  return checked(d);
}

Distribution Distribution::erlang(int k, double mean_s) {
  require(k >= 1, "erlang: k must be a whole number of at least 1");
  return gamma(static_cast<double>(k), mean_s);
}

Distribution Distribution::empirical(std::vector<double> values_s, std::vector<double> weights) {
  require(!values_s.empty(), "empirical: expected at least one value");
  require(values_s.size() == weights.size(), "empirical: every value needs a weight");
  for (std::size_t i = 0; i < values_s.size(); ++i) {
    require(values_s[i] >= 0, "empirical: values must not be negative");
    require(weights[i] > 0, "empirical: weights must be positive");
  }
  // Weights far from 1 (1e308 each) overflow their sum and the moments' products: they are
  // scaled to the largest, which leaves every probability as it was. Weights of a usual size
  // are kept as written, so that no draw moves.
  const double largest = *std::max_element(weights.begin(), weights.end());
  if (largest > 1e100 || largest < 1e-100) {
    for (double& w : weights) {
      w /= largest;
      require(w > 0, "empirical: the weights differ by more than a factor of 1e300");
    }
  }
  Distribution d;
  d.kind_ = Kind::kEmpirical;
  d.values_ = std::move(values_s);
  d.cumulative_.resize(weights.size());
  std::partial_sum(weights.begin(), weights.end(), d.cumulative_.begin());
  return checked(d);
}

double Distribution::sample_other(RandomStream& rng) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kExponential:
      return unit_exponential(rng) * a_;
    case Kind::kUniform:
      return boost::random::uniform_real_distribution<double>(a_, b_)(rng);
    case Kind::kNormal: {
      boost::random::normal_distribution<double> normal(a_, b_);
      for (;;) {
        const double x = normal(rng);
        if (x >= 0) return x;
      }
    }
    case Kind::kLognormal: {
      const double sigma = lognormal_sigma(b_);
      const double mu = std::log(a_) - 0.5 * sigma * sigma;
      return boost::random::lognormal_distribution<double>(mu, sigma)(rng);
    }
    case Kind::kTriangular:
      return boost::random::triangle_distribution<double>(a_, b_, c_)(rng);
    case Kind::kWeibull:
      return boost::random::weibull_distribution<double>(a_, b_)(rng);
    case Kind::kGamma:
      return boost::random::gamma_distribution<double>(a_, b_ / a_)(rng);
    case Kind::kEmpirical: {
      const double u = rng.uniform01() * cumulative_.back();
      const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
      const auto i =
          std::min(static_cast<std::size_t>(it - cumulative_.begin()), values_.size() - 1);
      return values_[i];
    }
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::kConstant:
    case Kind::kExponential:
    case Kind::kLognormal:
      return a_;
    case Kind::kUniform:
      return 0.5 * (a_ + b_);
    case Kind::kNormal: {
      // Truncated at zero: mean + sd * phi(alpha) / (1 - Phi(alpha)), alpha = -mean/sd.
      const boost::math::normal_distribution<double> z;
      const double alpha = -a_ / b_;
      return a_ +
             b_ * boost::math::pdf(z, alpha) / boost::math::cdf(boost::math::complement(z, alpha));
    }
    case Kind::kTriangular:
      return (a_ + b_ + c_) / 3.0;
    case Kind::kWeibull:
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case Kind::kGamma:
      return b_;
    case Kind::kEmpirical: {
      double sum = 0, previous = 0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        sum += values_[i] * (cumulative_[i] - previous);
        previous = cumulative_[i];
      }
      return sum / cumulative_.back();
    }
  }
  return 0.0;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::kConstant:
      return 0.0;
    case Kind::kExponential:
      return a_ * a_;
    case Kind::kLognormal:
      return (a_ * b_) * (a_ * b_);
    case Kind::kUniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::kNormal: {
      const boost::math::normal_distribution<double> z;
      const double alpha = -a_ / b_;
      const double lambda =
          boost::math::pdf(z, alpha) / boost::math::cdf(boost::math::complement(z, alpha));
      return b_ * b_ * (1.0 + alpha * lambda - lambda * lambda);
    }
    case Kind::kTriangular:
      return (a_ * a_ + b_ * b_ + c_ * c_ - a_ * b_ - a_ * c_ - b_ * c_) / 18.0;
    case Kind::kWeibull: {
      const double g1 = std::tgamma(1.0 + 1.0 / a_);
      const double g2 = std::tgamma(1.0 + 2.0 / a_);
      return b_ * b_ * (g2 - g1 * g1);
    }
    case Kind::kGamma:
      return b_ * b_ / a_;
    case Kind::kEmpirical: {
      const double m = mean();
      double sum = 0, previous = 0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        sum += (values_[i] - m) * (values_[i] - m) * (cumulative_[i] - previous);
        previous = cumulative_[i];
      }
      return sum / cumulative_.back();
    }
  }
  return 0.0;
}

Distribution Distribution::scaled(double factor) const {
  assert(factor > 0 && "a time scale must be positive");
  Distribution d = *this;
  switch (kind_) {
    case Kind::kWeibull:
    case Kind::kGamma:
      d.b_ *= factor;  // shape is dimensionless
      break;
    case Kind::kLognormal:
      d.a_ *= factor;  // cv is dimensionless
      break;
    case Kind::kExponential:
      d = exponential(a_ * factor);
      break;
    default:
      d.a_ *= factor;
      d.b_ *= factor;
      d.c_ *= factor;
      for (double& v : d.values_) v *= factor;
  }
  return d;
}

std::string Distribution::to_string() const {
  switch (kind_) {
    case Kind::kConstant:
      return seconds(a_);
    case Kind::kExponential:
      return "exponential(" + seconds(a_) + ")";
    case Kind::kUniform:
      return "uniform(" + seconds(a_) + ", " + seconds(b_) + ")";
    case Kind::kNormal:
      return "normal(mean=" + seconds(a_) + ", sd=" + seconds(b_) + ")";
    case Kind::kLognormal:
      return "lognormal(mean=" + seconds(a_) + ", cv=" + number(b_) + ")";
    case Kind::kTriangular:
      return "triangular(" + seconds(a_) + ", " + seconds(b_) + ", " + seconds(c_) + ")";
    case Kind::kWeibull:
      return "weibull(shape=" + number(a_) + ", scale=" + seconds(b_) + ")";
    case Kind::kGamma:
      return "gamma(shape=" + number(a_) + ", mean=" + seconds(b_) + ")";
    case Kind::kEmpirical: {
      std::string text = "empirical(";
      double previous = 0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        if (i > 0) text += ", ";
        text += seconds(values_[i]) + ": " + number(cumulative_[i] - previous);
        previous = cumulative_[i];
      }
      return text + ")";
    }
  }
  return "?";
}

}  // namespace takt::sim
