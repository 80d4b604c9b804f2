// Guards for the SL10-B5 benchmark (docs/performance.md): whatever is done to make the engine
// fast, the benchmark line must still give the right answers. SL10-B5 is ten single-server
// stations in series with 5 buffer places between neighbours, built here as
// tools/bench/sl10-b5.yaml builds it. Time unit: one minute.
//
// Tolerances. The expected EXP and FAIL throughputs (0.7635 and 0.5546 per minute, issue 6)
// come from independent simulations, not from a closed form, so they carry their own
// uncertainty; we allow kReferenceUncertainty = 0.001 for it (the hand loop and SimPy models in
// tools/bench agree with both values to within about 0.0005). Our own estimate is a batch mean
// of 20 windows after a warm-up, about 200,000 parts in all, and must lie within
//   4 x (its batch-means standard error) + kReferenceUncertainty
// of the expected value. The standard error must also be below a cap that the run length
// guarantees (about 0.001 for EXP and 0.002 for FAIL at 200,000 parts; the caps are twice
// that), so that a broken model cannot pass through a wide interval.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "line_fixture.hpp"

using namespace takt;
using namespace takt::test;

namespace {

const sim::Time kMinute = sim::Time::minutes(1);
constexpr int kStations = 10;
constexpr std::size_t kPlaces = 5;
constexpr double kReferenceUncertainty = 0.001;

models::PlantSpec sl10(const Distribution& cycle, bool with_failures) {
  const std::vector<Distribution> cycles(kStations, cycle);
  const std::vector<std::size_t> places(kStations - 1, kPlaces);
  std::vector<std::vector<FailureProfile>> failures;
  if (with_failures) {
    // Operating basis (the default): time to failure counts only while a part is processed.
    failures.assign(kStations, {exponential_failures(100 * 60, 10 * 60)});
  }
  return serial_line(cycles, places, failures);
}

double per_minute(const models::PlantKpis& k) { return k.throughput_per_hour / 60.0; }

void check_throughput(const models::PlantSpec& spec, sim::Time batch, double expected,
                      double se_cap) {
  const Batches b = run_batches(spec, 1000 * kMinute, batch, 20);
  const sim::Summary th = b.of(per_minute);
  const double se = standard_error(th);
  INFO("throughput " << th.mean << " per minute vs " << expected << " (SE " << se << ", "
                     << th.mean * batch.to_hours() * 60 * 20 << " parts)");
  CHECK(std::fabs(th.mean - expected) <= 4 * se + kReferenceUncertainty);
  CHECK(se <= se_cap);
}

}  // namespace

TEST_CASE("SL10-B5 DET: the N-th part leaves at exactly N + 9 minutes") {
  // Constant 1-minute cycles never block or starve once the line is full: the first part
  // needs ten minutes through ten stations, and every later one follows a minute behind.
  constexpr std::uint64_t kParts = 20'000;
  models::RunSettings run;
  run.horizon = sim::Time::days(365);
  run.stop_after = kParts;
  models::Plant plant(sl10(Distribution::constant(60), false), run);
  plant.run();
  CHECK(plant.sink().completed_total() == kParts);
  CHECK(plant.simulation().now().count() == sim::Time::minutes(kParts + 9).count());
  CHECK(plant.kpis().output == kParts);
}

TEST_CASE("SL10-B5 EXP runs at 0.7635 parts per minute") {
  // 20 windows of 13,000 minutes: about 200,000 parts.
  check_throughput(sl10(Distribution::exponential(60), false), 13'000 * kMinute, 0.7635, 0.002);
}

TEST_CASE("SL10-B5 FAIL runs at 0.5546 parts per minute") {
  // 20 windows of 18,000 minutes: about 200,000 parts.
  check_throughput(sl10(Distribution::exponential(60), true), 18'000 * kMinute, 0.5546, 0.004);
}
