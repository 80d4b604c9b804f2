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
#include "reference_line.hpp"

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
  const experiment::Summary th = b.of(per_minute);
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

namespace {

// takt's whole stack against tools/bench/reference_line.hpp, a fifty-line model of the same
// line written the hand loop's way: with the same seed both draw the same numbers from the same
// streams, and continuous cycle times make simultaneous events impossible, so every figure
// must agree exactly, not within a tolerance. Any change to the stations, buffers, event list
// or statistics that moves a result by one tick shows up here.
template <class Queue>
void check_against_reference(int stations, std::size_t places, const Distribution& cycle,
                             std::uint64_t seed, std::uint64_t parts) {
  models::RunSettings run;
  run.seed = seed;
  run.horizon = sim::Time::days(3650);
  run.stop_after = parts;
  models::Plant plant(
      serial_line(std::vector<Distribution>(static_cast<std::size_t>(stations), cycle),
                  std::vector<std::size_t>(static_cast<std::size_t>(stations) - 1, places)),
      run);
  plant.run();
  const models::PlantKpis k = plant.kpis();

  bench::ReferenceLine<Queue, true> reference(stations, places, cycle, seed, "line");
  reference.run(parts);

  REQUIRE(plant.sink().completed_total() == parts);
  CHECK(plant.simulation().now().count() == reference.now().count());
  CHECK(k.wip == reference.mean_wip());
  CHECK(k.lead_time_hours == reference.lead_time_s().mean() / 3600.0);
  REQUIRE(k.stations.size() == static_cast<std::size_t>(stations));
  for (std::size_t s = 0; s < k.stations.size(); ++s) {
    for (std::size_t state = 0; state < models::kStateCount; ++state) {
      INFO("station " << k.stations[s].name << ", state " << models::kStateNames[state]);
      CHECK(k.stations[s].shares[state] ==
            reference.share(s, static_cast<models::StationState>(state)));
    }
  }
  REQUIRE(k.buffers.size() == static_cast<std::size_t>(stations) - 1);
  for (std::size_t b = 0; b < k.buffers.size(); ++b) {
    INFO("buffer " << k.buffers[b].name);
    CHECK(k.buffers[b].mean == reference.mean_occupancy(b));
    CHECK(k.buffers[b].share_empty == reference.empty_share(b));
    CHECK(k.buffers[b].share_full == reference.full_share(b));
    CHECK(k.buffers[b].mean_wait_hours == reference.mean_wait_s(b) / 3600.0);
  }
}

}  // namespace

TEST_CASE("SL10-B5 EXP: takt agrees to the last digit with an independent model of the line") {
  check_against_reference<bench::EngineQueue>(kStations, kPlaces, Distribution::exponential(60),
                                              12345, 50'000);
  // The hand loop's heap orders the same events the same way.
  check_against_reference<bench::HandHeap>(kStations, kPlaces, Distribution::exponential(60), 7,
                                           50'000);
}

TEST_CASE("Serial lines of other shapes agree exactly with the independent model") {
  // One place between stations: blocking nearly all the time.
  check_against_reference<bench::EngineQueue>(4, 1, Distribution::lognormal(60, 0.8), 3, 20'000);
  // An unbalanced spread: uniform cycles, two places, six stations.
  check_against_reference<bench::EngineQueue>(6, 2, Distribution::uniform(20, 100), 11, 20'000);
}
