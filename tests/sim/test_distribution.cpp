// Every distribution's sample mean and variance match theory within bounds set by the sample
// size; the text form parses, prints and rejects mistakes with a clear message.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "takt/sim/distribution.hpp"
#include "takt/sim/error.hpp"

using takt::sim::Distribution;
using takt::sim::ParseError;
using takt::sim::RandomStream;

namespace {

// Draws n values and checks mean and variance within 4.5 standard errors. The standard error
// of the sample variance, sqrt((m4 - s^4) / n), is estimated from the same sample, so heavy-
// tailed distributions get the wider band they need and light ones a tight one.
void check_moments(const Distribution& d, const char* name) {
  constexpr int n = 200'000;
  RandomStream rng(2024, 0, name);
  std::vector<double> x(n);
  double sum = 0;
  int negative = 0;
  for (double& v : x) {
    v = d.sample(rng);
    negative += v < 0.0 ? 1 : 0;
    sum += v;
  }
  CHECK(negative == 0);
  const double mean = sum / n;
  double m2 = 0, m4 = 0;
  for (const double v : x) {
    const double dv = (v - mean) * (v - mean);
    m2 += dv;
    m4 += dv * dv;
  }
  const double var = m2 / (n - 1);
  m4 /= n;
  const double se_mean = std::sqrt(d.variance() / n);
  const double se_var = std::sqrt(std::max(m4 - var * var, 0.0) / n);
  INFO(name << ": mean " << mean << " vs " << d.mean() << ", var " << var << " vs "
            << d.variance());
  CHECK(std::fabs(mean - d.mean()) <= 4.5 * se_mean + 1e-12);
  CHECK(std::fabs(var - d.variance()) <= 4.5 * se_var + 1e-12);
}

}  // namespace

TEST_CASE("Each distribution's draws have the theoretical mean and variance") {
  check_moments(Distribution::parse("81s"), "constant");
  check_moments(Distribution::parse("uniform(70s, 90s)"), "uniform");
  check_moments(Distribution::parse("exponential(1min)"), "exponential");
  check_moments(Distribution::parse("normal(mean=60s, sd=5s)"), "normal");
  check_moments(Distribution::parse("normal(mean=10s, sd=10s)"), "normal-truncated");
  check_moments(Distribution::parse("lognormal(mean=90s, cv=0.15)"), "lognormal");
  check_moments(Distribution::parse("triangular(70s, 81s, 95s)"), "triangular");
  check_moments(Distribution::parse("weibull(shape=1.5, scale=8h)"), "weibull");
  check_moments(Distribution::parse("erlang(k=3, mean=1min)"), "erlang");
  check_moments(Distribution::parse("gamma(shape=0.7, mean=2h)"), "gamma");
  check_moments(Distribution::parse("empirical(50s: 0.2, 60s: 0.5, 70s: 0.3)"), "empirical");
}

TEST_CASE("Closed-form moments are right for the parameterisations planners use") {
  CHECK(Distribution::parse("lognormal(mean=90s, cv=0.15)").mean() == doctest::Approx(90));
  CHECK(Distribution::parse("lognormal(mean=90s, cv=0.15)").variance() == doctest::Approx(182.25));
  CHECK(Distribution::parse("erlang(3, 1min)").variance() == doctest::Approx(1200));
  CHECK(Distribution::parse("weibull(1, 8h)").mean() == doctest::Approx(28800));
  // Truncation at zero of normal(10, 10) raises the mean to 10 + 10 phi(1)/Phi(1) = 12.876.
  CHECK(Distribution::parse("normal(10s, 10s)").mean() == doctest::Approx(12.8760).epsilon(1e-4));
  CHECK(Distribution::parse("empirical(50s: 1, 70s: 1)").mean() == doctest::Approx(60));
}

TEST_CASE("Empirical weights of any size give the probabilities they say, or a clear refusal") {
  // Their sum overflowed: the mean read -nan, or inf for a mean of 50 s.
  CHECK(Distribution::parse("empirical(50s: 1e308, 60s: 1e308)").mean() == doctest::Approx(55));
  CHECK(Distribution::parse("empirical(50s: 1e308, 60s: 1)").mean() == doctest::Approx(50));
  CHECK(Distribution::parse("empirical(0s: 1e300, 3000000000s: 1e300)").variance() ==
        doctest::Approx(2.25e18));
  CHECK(Distribution::parse("empirical(50s: 1e-320, 70s: 1e-320)").mean() == doctest::Approx(60));
  CHECK_THROWS_WITH_AS(Distribution::parse("empirical(50s: 1e300, 60s: 1e-30)"),
                       "empirical: the weights differ by more than a factor of 1e300", ParseError);
}

TEST_CASE("Positional and named arguments mean the same") {
  const Distribution a = Distribution::parse("lognormal(90s, 0.15)");
  const Distribution b = Distribution::parse("lognormal(cv=0.15, mean=1.5min)");
  CHECK(a.to_string() == b.to_string());
  CHECK(a.to_string() == "lognormal(mean=90s, cv=0.15)");
}

TEST_CASE("Printed distributions parse back to themselves") {
  for (const char* text : {"81s", "exponential(60s)", "uniform(70s, 90s)",
                           "normal(mean=60s, sd=5s)", "lognormal(mean=90s, cv=0.15)",
                           "triangular(70s, 81s, 95s)", "weibull(shape=1.5, scale=28800s)",
                           "gamma(shape=3, mean=60s)", "empirical(50s: 0.2, 60s: 0.8)"}) {
    CHECK(Distribution::parse(text).to_string() == text);
  }
}

TEST_CASE("Scaling multiplies durations and keeps shapes") {
  CHECK(Distribution::parse("weibull(1.5, 8h)").scaled(0.5).to_string() ==
        "weibull(shape=1.5, scale=14400s)");
  CHECK(Distribution::parse("lognormal(90s, 0.2)").scaled(2).mean() == doctest::Approx(180));
  CHECK(Distribution::parse("triangular(1s, 2s, 3s)").scaled(2).mean() == doctest::Approx(4));
}

TEST_CASE("Malformed distributions are errors that say what was expected") {
  CHECK_THROWS_WITH_AS(Distribution::parse("abc"),
                       "expected a duration like \"81s\" or a distribution like "
                       "\"exponential(1min)\", \"lognormal(mean=90s, cv=0.15)\" or "
                       "\"triangular(70s, 81s, 95s)\", got \"abc\"",
                       ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("expo(1min)"),
                       "unknown distribution 'expo' (known: constant, uniform, exponential, "
                       "normal, lognormal, triangular, weibull, gamma, erlang, empirical)",
                       ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("lognormal(mean=90s)"),
                       "lognormal: missing cv (expected lognormal(mean=90s, cv=0.15))", ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("lognormal(mean=90, cv=0.1)"),
                       "lognormal: mean: duration \"90\" needs a unit (ms, s, min, h, d, w or y)",
                       ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("weibull(shape=1.5, scale=8h, loc=1s)"),
                       "weibull: too many arguments (expected weibull(shape=1.5, scale=8h))",
                       ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("erlang(k=2.5, mean=1min)"),
                       "erlang: k must be a whole number of at least 1", ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("exponential(-1min)"),
                       "exponential: mean must be positive", ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("exponential(1min"),
                       "missing ')' at the end of \"exponential(1min\"", ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("triangular(90s, 81s, 95s)"),
                       "triangular: expected min <= mode <= max with min < max", ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("-5s"), "a duration must not be negative, got \"-5s\"",
                       ParseError);
  CHECK_THROWS_WITH_AS(Distribution::parse("81 sec"),
                       "unknown time unit \"sec\" in \"81 sec\" (use ms, s, min, h, d, w or y)",
                       ParseError);
}
