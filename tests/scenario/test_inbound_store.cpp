// A line may start with a buffer: an inbound store that holds timed arrivals back when full, or
// turns them away. Both are birth-death chains with exact solutions (M/M/c/K and its blocking
// twin); 10 replications of 60 days each must land within 4 standard errors of them.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "load_error.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using namespace takt::scenario;
using namespace takt::run;

namespace {

constexpr double kLambda = 1.0;    // arrivals per minute
constexpr double kMu = 1.0 / 1.5;  // services per minute and server
constexpr int kServers = 2;        // c
constexpr int kStorePlaces = 3;    // K - c
constexpr int kK = kServers + kStorePlaces;

std::string queue(const std::string& when_full) {
  return "scenario: mmck\nstart: 2023-01-01\nhorizon: 60d\nwarmup: 1d\nreplications: 10\n"
         "plants:\n"
         "  - name: Q\n    capacity: 1\n    arrivals: exponential(1min)\n"
         "    shops:\n      - name: s\n        line:\n"
         "          - buffer: inbound\n            capacity: " +
         std::to_string(kStorePlaces) + "\n" + when_full +
         "          - station: S\n            servers: " + std::to_string(kServers) +
         "\n            cycle: exponential(1.5min)\n";
}

// The stationary distribution of a birth-death chain with birth rates birth[n] (n -> n+1) and
// death rates death[n] (n+1 -> n).
std::vector<double> stationary(const std::vector<double>& birth, const std::vector<double>& death) {
  std::vector<double> p{1.0};
  for (std::size_t n = 0; n < birth.size(); ++n) p.push_back(p.back() * birth[n] / death[n]);
  double total = 0;
  for (const double x : p) total += x;
  for (double& x : p) x /= total;
  return p;
}

double service_rate(int n) { return std::min(n, kServers) * kMu; }

struct Exact {
  double throughput_per_minute, jobs_inside;
};

// Loss: states 0..K; arrivals in state K are turned away.
Exact loss() {
  std::vector<double> birth, death;
  for (int n = 0; n < kK; ++n) {
    birth.push_back(kLambda);
    death.push_back(service_rate(n + 1));
  }
  const auto p = stationary(birth, death);
  double l = 0;
  for (int n = 0; n <= kK; ++n) l += n * p[static_cast<std::size_t>(n)];
  return {kLambda * (1 - p[static_cast<std::size_t>(kK)]), l};
}

// Hold: an arrival that finds K inside waits at the door (state K + 1), and the next gap starts
// only once it is in; a departure from K + 1 lets it in at once. It counts in the WIP: it has
// been released.
Exact hold() {
  std::vector<double> birth, death;
  for (int n = 0; n <= kK; ++n) {
    birth.push_back(kLambda);
    death.push_back(service_rate(std::min(n + 1, kK)));
  }
  const auto p = stationary(birth, death);
  double l = 0, throughput = 0;
  for (int n = 0; n <= kK + 1; ++n) {
    l += n * p[static_cast<std::size_t>(n)];
    throughput += service_rate(std::min(n, kK)) * p[static_cast<std::size_t>(n)];
  }
  return {throughput, l};
}

// `precision`: the largest standard error that still tells a wrong model from the right one
// (1 % of the value by default; an absolute bound for a small figure such as the loss rate).
void check(const takt::experiment::Summary& s, double exact, double scale, double precision = 0) {
  const double se = s.stddev / std::sqrt(static_cast<double>(s.n)) * scale;
  INFO((s.mean * scale) << " vs exact " << exact << ", SE " << se);
  CHECK(std::fabs(s.mean * scale - exact) <= 4 * se);
  CHECK(se < (precision > 0 ? precision : 0.01 * exact));
}

RunResult run_all(const std::string& yaml) {
  return run_scenario(load_scenario(yaml, "inline.yaml"),
                      {0, std::nullopt, 2, false, std::nullopt, std::nullopt});
}

PlantSummary run(const std::string& yaml) { return summarize_plant(run_all(yaml).plants[0]); }

}  // namespace

TEST_CASE("An inbound store that turns arrivals away is an M/M/c/K queue") {
  const Exact exact = loss();
  const RunResult r = run_all(queue("            when_full: lose\n"));
  const PlantSummary s = summarize_plant(r.plants[0]);
  check(s.throughput_per_hour, exact.throughput_per_minute, 1.0 / 60);
  check(s.wip, exact.jobs_inside, 1.0);
  // What it turns away, counted in arrivals_lost, is the rest of the arrivals: lambda p_K.
  const auto lost_per_minute = over_replications(r.plants[0], [](const takt::models::PlantKpis& k) {
    return static_cast<double>(k.arrivals_lost) / (k.measured_hours * 60);
  });
  // The same standard error as the throughput's (the two add up to the arrivals).
  check(lost_per_minute, kLambda - exact.throughput_per_minute, 1.0, 0.01 * kLambda);
}

TEST_CASE("An inbound store that holds arrivals back is the blocking M/M/c/K chain") {
  const Exact exact = hold();
  const PlantSummary s = run(queue(""));
  check(s.throughput_per_hour, exact.throughput_per_minute, 1.0 / 60);
  check(s.wip, exact.jobs_inside, 1.0);
}

TEST_CASE("Inbound store mistakes are reported") {
  const auto error_of = [](const std::string& yaml) { return takt::test::load_error(yaml); };
  std::string unlimited = queue("");
  unlimited.replace(unlimited.find("arrivals: exponential(1min)"), 27, "arrivals: unlimited");
  CHECK(error_of(unlimited).find("an inbound store needs timed arrivals") != std::string::npos);
  CHECK(error_of(queue("            when_full: drop\n"))
            .find("expected hold (arrivals wait for a place) or lose") != std::string::npos);
}
