// Streaming statistics and cross-replication summaries.
#include <doctest/doctest.h>

#include <Eigen/Core>

#include "takt/experiment/summary.hpp"
#include "takt/sim/stats.hpp"

using namespace takt::sim;
using namespace takt::experiment;

TEST_CASE("A tally gives Welford's mean and sample variance") {
  Tally t;
  for (const double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) t.add(x);
  CHECK(t.count() == 8);
  CHECK(t.mean() == doctest::Approx(5.0));
  CHECK(t.variance() == doctest::Approx(32.0 / 7.0));
  CHECK(t.min() == 2.0);
  CHECK(t.max() == 9.0);
}

TEST_CASE("A time average weights each level by how long it lasted, from the last reset") {
  TimeAverage wip;
  wip.set(Time::seconds(0), 2);
  wip.set(Time::seconds(10), 4);                               // 2 for 10 s
  CHECK(wip.mean(Time::seconds(20)) == doctest::Approx(3.0));  // then 4 for 10 s
  CHECK(wip.max() == 4);
  wip.reset(Time::seconds(20));
  wip.add(Time::seconds(30), -4);
  CHECK(wip.mean(Time::seconds(40)) == doctest::Approx(2.0));
  CHECK(wip.integral(Time::seconds(40)) == doctest::Approx(40.0));
}

TEST_CASE("A state timer shares member-time between states") {
  StateTimer states(3);
  states.add(Time::zero(), 0, 2);        // two servers idle
  states.move(Time::seconds(10), 0, 1);  // one starts working
  states.move(Time::seconds(30), 1, 2);  // and gets blocked
  const Time end = Time::seconds(40);
  CHECK(states.share(end, 0) == doctest::Approx(50.0 / 80.0));
  CHECK(states.share(end, 1) == doctest::Approx(20.0 / 80.0));
  CHECK(states.share(end, 2) == doctest::Approx(10.0 / 80.0));
  states.reset(end);
  CHECK(states.share(Time::seconds(50), 2) == doctest::Approx(0.5));
}

TEST_CASE("Summaries give the Student-t interval and percentiles") {
  const Summary s = summarize({10, 12, 14, 16, 18});
  CHECK(s.mean == doctest::Approx(14));
  CHECK(s.stddev == doctest::Approx(3.1622777));
  // t(0.975, 4) = 2.776445; half-width = 2.776445 * sqrt(10) / sqrt(5)
  CHECK(s.ci_high - s.mean == doctest::Approx(2.776445 * std::sqrt(2.0)).epsilon(1e-6));
  CHECK(s.p10 == doctest::Approx(10.8));
  CHECK(s.p50 == doctest::Approx(14));
  CHECK(s.p90 == doctest::Approx(17.2));
  CHECK(student_t_quantile(0.95, 9) == doctest::Approx(2.262157).epsilon(1e-6));
  const Summary one = summarize({7});
  CHECK(one.ci_low == 7);
  CHECK(one.ci_high == 7);
}

TEST_CASE("Column summaries treat each figure separately") {
  Eigen::MatrixXd m(3, 2);
  m << 1, 10, 2, 20, 3, 30;
  const auto s = summarize_columns(m);
  REQUIRE(s.size() == 2);
  CHECK(s[0].mean == doctest::Approx(2));
  CHECK(s[1].mean == doctest::Approx(20));
  CHECK(s[1].stddev == doctest::Approx(10));
}

TEST_CASE(
    "A time average of a million over a hundred years neither overflows nor loses its level") {
  // 10^6 x 100 years is 3.2e21 level-ticks, beyond 64 bits: the area is kept in 128.
  const Time century = Time::days(36500);
  TimeAverage a;
  a.set(Time::zero(), 1000000);
  a.set(century, 0);
  CHECK(a.mean(century * 2) == doctest::Approx(500000.0).epsilon(1e-12));
  CHECK(a.integral(century * 2) == doctest::Approx(1e6 * 36500.0 * 86400.0).epsilon(1e-12));
  CHECK(a.max() == 1000000);
}
