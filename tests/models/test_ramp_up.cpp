// Ramp-up curves alone, and what a plant builds under them: a deterministic plant produces the
// step sum of its speed curve to the vehicle, a learning curve matches Wright's formula, and
// availability, yield and demand ramps act on what they name.
#include <doctest/doctest.h>

#include <cmath>

#include "line_fixture.hpp"
#include "takt/models/ramp_up_curve.hpp"

using namespace takt;
using namespace takt::test;
using models::kDaysPerMonth;
using models::RampUpCurve;
using models::RampUpSpec;

namespace {

const sim::Time kMinute = sim::Time::minutes(1);

// A ramp starting at time zero, evaluated once a day.
RampUpSpec daily(RampUpCurve curve,
                 std::vector<RampUpSpec::Target> targets = {RampUpSpec::Target::kSpeed}) {
  RampUpSpec r;
  r.curve = std::move(curve);
  r.start = models::CalendarDate::from_days_since_epoch(0);
  r.targets = std::move(targets);
  return r;
}

// What a 24/7 station of `per_day` jobs a day builds in `days` under a daily step curve.
double step_sum(const RampUpCurve& c, int days, double per_day) {
  double sum = 0;
  for (int d = 0; d < days; ++d) sum += c.at(d / kDaysPerMonth) * per_day;
  return sum;
}

models::PlantKpis run_for(const PlantSpec& spec, sim::Time horizon) {
  models::RunSettings run;
  run.horizon = horizon;
  models::Plant plant(spec, run);
  plant.run();
  return plant.kpis();
}

}  // namespace

TEST_CASE("A logistic curve is symmetric about its midpoint and integrates in closed form") {
  const RampUpCurve c = RampUpCurve::logistic(6, 0.8, 0, 1);
  CHECK(c.at(6) == doctest::Approx(0.5));
  CHECK(c.at(6 - 2.7465) == doctest::Approx(0.1).epsilon(1e-3));  // 10 % to 90 % in 2 ln 9 / k
  // domain.md 2.2: first-year shares of nameplate 0.5, 0.665182, 0.281728.
  CHECK(c.integral(0, 12) / 12 == doctest::Approx(0.5).epsilon(1e-9));
  CHECK(RampUpCurve::logistic(4, 1.0, 0, 1).integral(0, 12) / 12 ==
        doctest::Approx(0.665182).epsilon(1e-6));
  CHECK(RampUpCurve::logistic(9, 0.5, 0, 1).integral(0, 12) / 12 ==
        doctest::Approx(0.281728).epsilon(1e-6));
  const RampUpCurve floored = RampUpCurve::logistic(6, 0.8, 0.1, 0.9);
  CHECK(floored.at(-100) == doctest::Approx(0.1));
  CHECK(floored.at(100) == doctest::Approx(0.9));
}

TEST_CASE("A table curve interpolates linearly and stays flat beyond its ends") {
  const RampUpCurve t =
      RampUpCurve::table({{0, 0.1}, {1, 0.25}, {3, 0.5}, {6, 0.8}, {9, 0.95}, {12, 1.0}});
  CHECK(t.at(-1) == doctest::Approx(0.1));
  CHECK(t.at(2) == doctest::Approx(0.375));
  CHECK(t.at(20) == doctest::Approx(1.0));
  // Trapezoids: 0.175 + 0.75 + 1.95 + 2.625 + 2.925 = 8.425 factor-months over the year.
  CHECK(t.integral(0, 12) == doctest::Approx(8.425));
  CHECK(t.integral(12, 14) == doctest::Approx(2.0));
}

TEST_CASE(
    "Wright's learning curve: each doubling multiplies the time by the rate, down to the mature "
    "time") {
  const RampUpCurve w = RampUpCurve::learning(0.85, 10);
  CHECK(w.multiplier(1) == doctest::Approx(10));
  CHECK(w.multiplier(2) == doctest::Approx(8.5));
  CHECK(w.multiplier(1000) / w.multiplier(1) ==
        doctest::Approx(0.198).epsilon(2e-3));  // domain.md 2.2
  CHECK(w.multiplier(1'000'000) == 1.0);
}

TEST_CASE(
    "A deterministic plant under a logistic speed ramp builds the curve's step sum to the "
    "vehicle") {
  // 1 vehicle a minute at full speed (525,600 a year); midpoint 6 months, k = 0.8, floor 0.
  PlantSpec spec = serial_line({Distribution::constant(60)}, {});
  const RampUpCurve curve = RampUpCurve::logistic(6, 0.8, 0, 1);
  spec.ramp_up = {daily(curve)};
  const auto k = run_for(spec, sim::Time::days(365));
  const double expected = step_sum(curve, 365, 1440);
  INFO("output " << k.output << ", step sum " << expected);
  // Work in progress is stretched, not restarted, at every step: only the last, unfinished
  // vehicle separates the count from the sum.
  CHECK(std::fabs(static_cast<double>(k.output) - expected) <= 1.0);
  // Left-end daily steps of a rising curve fall short of its integral (half the year's
  // nameplate) by about half a day's output times the total rise, f(12) - f(0) < 1.
  CHECK(expected < 0.5 * 525600);
  CHECK(0.5 * 525600 - expected <= 1440 / 2.0);
}

TEST_CASE("A deterministic plant under a table ramp builds the table's step sum to the vehicle") {
  PlantSpec spec = serial_line({Distribution::constant(60)}, {});
  const RampUpCurve curve =
      RampUpCurve::table({{0, 0.1}, {1, 0.25}, {3, 0.5}, {6, 0.8}, {9, 0.95}, {12, 1.0}});
  spec.shops[0].ramp_up = {daily(curve)};
  const auto k = run_for(spec, sim::Time::days(365));
  CHECK(std::fabs(static_cast<double>(k.output) - step_sum(curve, 365, 1440)) <= 1.0);
}

TEST_CASE("A station slowed after it started runs at its new speed: a falling table ramp") {
  // At full speed on day 0 the station takes its plain path (nominal cycle, one draw); from
  // day 1 the ramp slows it, and every job must then be stretched. A station that kept its
  // nominal cycle would build about 525,000 instead of the step sum's 270,000.
  PlantSpec spec = serial_line({Distribution::constant(60)}, {});
  const RampUpCurve curve = RampUpCurve::table({{0, 1.0}, {1, 0.5}, {12, 0.5}});
  spec.ramp_up = {daily(curve)};
  const auto k = run_for(spec, sim::Time::days(365));
  const double expected = step_sum(curve, 365, 1440);
  INFO("output " << k.output << ", step sum " << expected);
  CHECK(expected < 0.6 * 525600);
  CHECK(std::fabs(static_cast<double>(k.output) - expected) <= 1.0);
}

TEST_CASE("A learning curve on one station matches Wright's formula unit by unit") {
  // The n-th job takes 60 s x max(1, 4 n^log2(0.8)); the N-th leaves at the sum of those.
  PlantSpec spec = serial_line({Distribution::constant(60)}, {});
  spec.shops[0].line[0].ramp_up = {daily(RampUpCurve::learning(0.8, 4))};
  const RampUpCurve w = RampUpCurve::learning(0.8, 4);
  double seconds = 0;
  const std::uint64_t n = 500;
  for (std::uint64_t i = 1; i <= n; ++i) seconds += 60 * w.multiplier(i);
  models::RunSettings run;
  run.horizon = sim::Time::days(30);
  run.stop_after = n;
  models::Plant plant(spec, run);
  plant.run();
  CHECK(plant.sink().completed_total() == n);
  CHECK(std::fabs(plant.simulation().now().to_seconds() - seconds) < 1e-3);
}

TEST_CASE("An availability ramp scales MTBF: a constant 0.5 turns 54 into 49.1 jobs per hour") {
  // MTBF 90 min x 0.5 = 45 min, MTTR 10 min: 60 x 45 / 55 = 49.09 jobs per hour.
  PlantSpec spec =
      serial_line({Distribution::constant(60)}, {}, {{exponential_failures(90 * 60, 10 * 60)}});
  spec.ramp_up = {daily(RampUpCurve::table({{0, 0.5}}), {RampUpSpec::Target::kAvailability})};
  const Batches b = run_batches(spec, 1000 * kMinute, 20'000 * kMinute, 20);
  const auto jph = b.of([](const models::PlantKpis& k) { return k.throughput_per_hour; });
  INFO(jph.mean << " SE " << standard_error(jph));
  CHECK(std::fabs(jph.mean - 60.0 * 45 / 55) <= 4 * standard_error(jph));
  CHECK(standard_error(jph) < 0.2);
}

TEST_CASE("A yield ramp sets the share routed back: first-pass yield 0.7 leaves 0.7 per minute") {
  LineItem inspection = station_item("inspection", Distribution::constant(6));
  inspection.routes = {{"booth", 0.1, true}};  // the configured share is rescaled to 1 - yield
  PlantSpec spec = serial_line({Distribution::constant(6)}, {});
  spec.shops[0].line = {station_item("release", Distribution::constant(6)),
                        buffer_item("queue", 10),
                        station_item("booth", Distribution::exponential(60)), inspection};
  spec.ramp_up = {daily(RampUpCurve::table({{0, 0.7}}), {RampUpSpec::Target::kYield})};
  const Batches b = run_batches(spec, 1000 * kMinute, 10'000 * kMinute, 20);
  const auto th = b.of([](const models::PlantKpis& k) { return k.throughput_per_hour / 60; });
  CHECK(std::fabs(th.mean - 0.7) <= 4 * standard_error(th));
}

TEST_CASE("A demand cap stops release each month once the month's orders are built") {
  PlantSpec spec = serial_line({Distribution::constant(60)}, {});
  spec.demand = {{models::CalendarDate::from_days_since_epoch(0), 1000}};
  const auto k = run_for(spec, sim::Time::days(365));
  REQUIRE(k.monthly.size() == 12);
  for (const auto m : k.monthly) CHECK(m == 1000);
}
