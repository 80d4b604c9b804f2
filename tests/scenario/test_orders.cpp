// A monthly order plan paces release: a plant with orders below capacity ships exactly the
// orders, a backlog catches up to the vehicle, and each month says what limited it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.hpp"
#include "load_error.hpp"
#include "minute_line.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using namespace takt::scenario;
using namespace takt::run;
namespace models = takt::models;
namespace fs = std::filesystem;

namespace {

using takt::test::minute_line;
using takt::test::run_yaml;

std::string error_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  return takt::test::load_error(yaml, sets);
}

using L = models::MonthLimit;

}  // namespace

TEST_CASE("Orders below capacity are shipped exactly, month by month") {
  const RunResult r =
      run_yaml(minute_line("    orders:\n"
                           "      - {month: 2023-01, vehicles: 10000}\n"
                           "      - {month: 2023-02, vehicles: 5000}\n"
                           "      - {month: 2023-03, vehicles: 20000}\n"));
  const models::PlantKpis& k = r.plants[0].replications[0];
  CHECK(k.monthly == std::vector<std::uint64_t>{10000, 5000, 20000});
  CHECK(k.monthly_orders == std::vector<std::uint64_t>{10000, 5000, 20000});
  CHECK(k.monthly_backlog == std::vector<std::uint64_t>{0, 0, 0});
  CHECK(k.monthly_limit == std::vector<L>{L::kOrders, L::kOrders, L::kOrders});
}

TEST_CASE("A backlog catches up in the next month to the vehicle; without one it is lost") {
  const std::string orders =
      "    orders:\n"
      "      - {month: 2023-01, vehicles: 50000}\n"
      "      - {month: 2023-02, vehicles: 10000}\n"
      "      - {month: 2023-03, vehicles: 0}\n";
  // January: the station starts 44,640 jobs; the last finishes at midnight, in February. So
  // 44,639 are built and 5,360 orders were never released: a backlog of 5,361 vehicles.
  const models::PlantKpis with = run_yaml(minute_line(orders)).plants[0].replications[0];
  CHECK(with.monthly == std::vector<std::uint64_t>{44639, 15361, 0});
  CHECK(with.monthly_backlog == std::vector<std::uint64_t>{5361, 0, 0});
  CHECK(with.monthly_lost == std::vector<std::uint64_t>{0, 0, 0});
  CHECK(with.monthly_limit == std::vector<L>{L::kCapacity, L::kOrders, L::kOrders});
  // Without a backlog February builds its own 10,000 and the job January left; 5,360 are lost.
  const models::PlantKpis without =
      run_yaml(minute_line(orders + "    backlog: false\n")).plants[0].replications[0];
  CHECK(without.monthly == std::vector<std::uint64_t>{44639, 10001, 0});
  CHECK(without.monthly_lost == std::vector<std::uint64_t>{5360, 0, 0});
  CHECK(without.monthly_backlog == std::vector<std::uint64_t>{0, 0, 0});
}

TEST_CASE("An order plan can be a CSV file; its mistakes name their line") {
  const fs::path dir = takt::test::scratch("orders");
  fs::create_directories(dir);
  std::ofstream(dir / "orders.csv") << "month,vehicles\n2023-01,1000\n2023-02,2000\n2023-03,3000\n";
  std::ofstream(dir / "bad.csv") << "month,vehicles\n2023-01,1000\n2023-13,5\n2023-01,7\n";
  std::ofstream(dir / "run.yaml") << minute_line("    orders: orders.csv\n");
  std::ofstream(dir / "bad.yaml") << minute_line("    orders: bad.csv\n");
  const RunResult r =
      run_scenario(load_scenario_file(dir / "run.yaml"), {1, std::nullopt, 1, false, std::nullopt});
  CHECK(r.plants[0].replications[0].monthly == std::vector<std::uint64_t>{1000, 2000, 3000});
  // The monthly table and the text say it too.
  const std::string monthly = monthly_csv(r);
  CHECK(monthly.find(",2023-02,orders,orders,2000,vehicles\n") != std::string::npos);
  CHECK(monthly.find(",2023-02,orders,backlog,0,vehicles\n") != std::string::npos);
  const std::string text = format_text(r);
  CHECK(text.find("  2023-02       2,000     2,000         0         0  orders\n") !=
        std::string::npos);
  CHECK(text.find("limited by: orders 2023-01..2023-03") != std::string::npos);
  std::string e;
  try {
    load_scenario_file(dir / "bad.yaml");
  } catch (const ScenarioError& x) {
    e = x.what();
  }
  CHECK(e.find((dir / "bad.csv").string() +
               ":3:1: error: expected MONTH,VEHICLES like 2024-01,30000, got \"2023-13,5\"") !=
        std::string::npos);
  CHECK(e.find((dir / "bad.csv").string() +
               ":4:1: error: months must increase down the order plan") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("Order plan mistakes are located") {
  CHECK(error_of(minute_line("    orders: [{month: 2023-1, vehicles: 5}]\n")) ==
        "inline.yaml:8:22: error: plants[P].orders[2023-1].month: expected a month like 2024-01, "
        "got \"2023-1\"");
  CHECK(error_of(minute_line("    backlog: false\n")) ==
        "inline.yaml:8:14: error: plants[P].backlog: backlog applies to an order plan: give "
        "orders");
  CHECK(error_of(minute_line(
                     "    orders: [{month: 2023-01, vehicles: 5}]\n    demand: {per_month: 9}\n"))
            .find("give an order plan or a demand cap, not both") != std::string::npos);
}
