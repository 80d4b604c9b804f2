// Streaming statistics and cross-replication summaries.
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <vector>

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

namespace {

// Keeps every edge handed over, in order.
class EdgeRecorder final : public EdgeListener {
 public:
  std::vector<Edge> seen;

 private:
  void on_edges(const Edge* edges, std::size_t n) override {
    seen.insert(seen.end(), edges, edges + n);
  }
};

}  // namespace

TEST_CASE("A watched state timer logs its edges, and one undone at the same instant is dropped") {
  EdgeRecorder log;
  StateTimer a(3), b(3);
  a.add(Time::zero(), 0, 2);  // two members working (state 0); states 1 and 2 watched
  b.add(Time::zero(), 0, 1);
  a.watch(0b110, &log, 7);
  b.watch(0b110, &log, 8);
  a.move(Time::seconds(1), 0, 1);  // one member starved: an edge
  a.move(Time::seconds(2), 0, 2);  // the other blocked: the watched states already held one
  a.move(Time::seconds(3), 1, 0);
  a.move(Time::seconds(3), 2, 0);  // none watched from 3 s on: an edge
  b.move(Time::seconds(4), 0, 1);
  b.move(Time::seconds(4), 1, 0);  // starved for no time: both dropped
  b.move(Time::seconds(5), 0, 2);
  a.move(Time::seconds(5), 0, 1);  // another timer's edge between: kept
  b.move(Time::seconds(5), 2, 0);
  CHECK(log.seen.empty());  // nothing handed over before the log is drained or full
  log.drain();
  REQUIRE(log.seen.size() == 5);
  CHECK((log.seen[0].at == Time::seconds(1) && log.seen[0].id == 7 && !log.seen[0].none));
  CHECK((log.seen[1].at == Time::seconds(3) && log.seen[1].id == 7 && log.seen[1].none));
  CHECK((log.seen[2].at == Time::seconds(5) && log.seen[2].id == 8 && !log.seen[2].none));
  CHECK((log.seen[3].id == 7 && !log.seen[3].none));
  CHECK((log.seen[4].id == 8 && log.seen[4].none));
  // A full log is handed over on its own, oldest first.
  log.seen.clear();
  const std::size_t edges = 2 * EdgeListener::kLog + EdgeListener::kLog / 2;
  for (std::size_t i = 0; i < edges; ++i)
    a.move(Time::seconds(10.0 + static_cast<double>(i)), i % 2 == 0 ? 1 : 0, i % 2 == 0 ? 0 : 1);
  CHECK(log.seen.size() == 2 * EdgeListener::kLog);
  log.drain();
  REQUIRE(log.seen.size() == edges);
  for (std::size_t i = 0; i < log.seen.size(); ++i)
    CHECK(log.seen[i].at == Time::seconds(10.0 + static_cast<double>(i)));
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
