// A sequencing store and product changeovers, checked where the answer is known exactly:
// - first in, first out behind a levelled 1:1 release (A, B, A, B, ...): every job but the
//   first is of another product than the one before, so every one pays the changeover;
// - the same with products drawn at random (A or B with probability 1/2 each): whether a job
//   differs from the one before is then a fair coin, independent from job to job, so the
//   share that pays is 1/2 with standard error 0.5 / sqrt(n);
// - `take: batch` with ample lanes: each product has its own lane, always holding more than a
//   block, so the store hands out blocks of `block` jobs and the share that pays is exactly
//   1 / block (up to the first block): changeovers = completed / block, within 2.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "takt/run/scenario_runner.hpp"

using namespace takt::scenario;
using namespace takt::run;

namespace {

const takt::models::StationKpi& station(const takt::models::PlantKpis& k, const std::string& name) {
  for (const auto& s : k.stations) {
    if (s.name == name) return s;
  }
  FAIL("no station " << name);
  return k.stations.front();
}

// A body station feeding a painted-body store, then the paint booth that changes over.
takt::models::PlantKpis run(const std::string& order, const std::string& store,
                            const std::string& body_cycle, const std::string& horizon) {
  const Scenario s = load_scenario(R"(
scenario: sequencing
start: 2023-01-02
horizon: )" + horizon + R"(
replications: 1
seed: 7
plants:
  - name: p
    capacity: 100000
    products: {A: 1, B: 1}
    product_order: )" + order + R"(
    shops:
      - name: paint
        line:
          - station: body
            cycle: )" + body_cycle + R"(
          - )" + store + R"(
          - station: booth
            cycle: 30s
            changeover: 10s
)",
                                   "sequencing.yaml");
  return run_replication(s, 0, 0);
}

}  // namespace

TEST_CASE("Behind a levelled 1:1 release a first-in-first-out store makes every job change over") {
  const auto k = run("levelled", "store: pbs\n            lanes: 2\n            lane_capacity: 10",
                     "1min", "2d");
  const auto& booth = station(k, "booth");
  REQUIRE(booth.completed > 2000);
  // Every job started changes over but the first; one more may be waiting at the end.
  CHECK(booth.changeovers + 1 >= booth.completed);
  CHECK(booth.changeovers <= booth.completed + 1);
  CHECK(booth.shares[takt::models::kSetup] > 0.1);  // 10 s of every 60 s cycle of the body
}

TEST_CASE("With products drawn at random a first-in-first-out store changes over half the time") {
  const auto k = run("random", "store: pbs\n            lanes: 2\n            lane_capacity: 10",
                     "1min", "10d");
  const auto& booth = station(k, "booth");
  const double n = static_cast<double>(booth.completed);
  REQUIRE(n > 14000);
  const double share = static_cast<double>(booth.changeovers) / n;
  CHECK(std::abs(share - 0.5) < 5 * 0.5 / std::sqrt(n));  // 5 standard errors: 0.021
}

TEST_CASE("A batch store with ample lanes changes over once per block") {
  for (const int block : {2, 5, 10}) {
    INFO("block " << block);
    // The body (20 s) outpaces the booth (30 s and its changeovers), so each product's lane
    // soon holds more than a block; the lanes are long enough never to fill in two days, so
    // no lane ever holds both products. (A full store mixes its lanes: a freed place takes
    // whatever comes, and blocks get shorter.)
    const auto k = run("levelled",
                       "store: pbs\n            lanes: 2\n            lane_capacity: 5000\n"
                       "            take: batch\n            block: " +
                           std::to_string(block),
                       "20s", "2d");
    const auto& booth = station(k, "booth");
    const double n = static_cast<double>(booth.completed);
    REQUIRE(n > 3000);
    CHECK(std::abs(static_cast<double>(booth.changeovers) - n / block) <= 2);
  }
}

TEST_CASE("Stores and changeovers are checked like every other item") {
  const auto error_of = [](const std::string& item) {
    try {
      load_scenario(R"(
plants:
  - name: p
    capacity: 1
    shops:
      - name: s
        line:
          - station: a
            cycle: 1min
          - )" + item + R"(
          - station: b
            cycle: 1min
)",
                    "bad.yaml");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("store: q\n            lanes: 2\n            lane_capacity: 5\n            take: "
                 "lifo")
            .find("take: expected fifo or batch, got lifo") != std::string::npos);
  CHECK(error_of("store: q\n            lanes: 2\n            lane_capacity: 5\n            take: "
                 "batch")
            .find("line[q]: missing required key 'block'") != std::string::npos);
  CHECK(error_of("store: q\n            lanes: 0\n            lane_capacity: 5")
            .find("lanes: must be positive") != std::string::npos);
  CHECK(error_of("station: c\n            cycle: 1min\n            servers: 2\n            "
                 "changeover: 1min")
            .find("a changeover needs a single-server station") != std::string::npos);
  CHECK(error_of("stor: q").find("expected an item like '- station: NAME', '- buffer: NAME', "
                                 "'- oven: NAME', '- paced: NAME' or '- store: NAME'") !=
        std::string::npos);
}
