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

TEST_CASE("A backlog catches up in the next month to the vehicle, without one it is lost") {
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

TEST_CASE("A month that used all its orders but still held work is not order-limited") {
  // January's 44,640 orders are all released, one a minute, but the last is finished at
  // midnight, in February: January builds 44,639 whatever the orders, as in the backlog case
  // above, so capacity limited it, not orders. February builds its 1,000 and the one January
  // left, then the plant stands empty: orders limited it. March orders nothing.
  const models::PlantKpis k = run_yaml(minute_line("    orders:\n"
                                                   "      - {month: 2023-01, vehicles: 44640}\n"
                                                   "      - {month: 2023-02, vehicles: 1000}\n"))
                                  .plants[0]
                                  .replications[0];
  CHECK(k.monthly == std::vector<std::uint64_t>{44639, 1001, 0});
  CHECK(k.monthly_backlog == std::vector<std::uint64_t>{1, 0, 0});
  CHECK(k.monthly_limit == std::vector<L>{L::kCapacity, L::kOrders, L::kOrders});
  // The same month with one order fewer runs dry a minute before its end.
  const models::PlantKpis fewer =
      run_yaml(minute_line("    orders: [{month: 2023-01, vehicles: 44639}]\n"))
          .plants[0]
          .replications[0];
  CHECK(fewer.monthly.front() == 44639);
  CHECK(fewer.monthly_limit.front() == L::kOrders);
}

TEST_CASE("The months table keeps counts wider than their column apart") {
  const std::string text =
      format_text(run_yaml(minute_line("    orders: [{month: 2023-01, vehicles: 1000000000}]\n")));
  CHECK(text.find("  2023-01   1,000,000,000    44,639 999,955,361         0  capacity\n") !=
        std::string::npos);
}

TEST_CASE("A run that cuts a month with orders is told that the month's orders count whole") {
  const std::string yaml = minute_line(
      "    orders:\n"
      "      - {month: 2023-01, vehicles: 10000}\n"
      "      - {month: 2023-02, vehicles: 5000}\n");
  CHECK(load_scenario(yaml, "inline.yaml").warnings.empty());
  const Scenario cut = load_scenario(yaml, "inline.yaml", {"start=2023-01-10", "end=2023-02-14"});
  REQUIRE(cut.warnings.size() == 2);
  CHECK(cut.warnings[0] ==
        "--set: warning: start: the run starts inside 2023-01, a month with orders (P 10000): its "
        "output counts only its days in the run, its orders whole, so its backlog and lost orders "
        "include orders for days outside the run; start the run on a month's first day");
  CHECK(cut.warnings[1].find("--set: warning: end: the run ends inside 2023-02, a month with "
                             "orders (P 5000)") == 0);
  // A month without orders cut by the run is no matter.
  CHECK(load_scenario(yaml, "inline.yaml", {"end=2023-03-14"}).warnings.empty());
}

TEST_CASE("Orders for months before the run, or a plan the run never reaches, are told") {
  // The run is 2023-01 to 2023-03 (minute_line).
  const Scenario before = load_scenario(minute_line("    orders:\n"
                                                    "      - {month: 2022-12, vehicles: 5000}\n"
                                                    "      - {month: 2023-01, vehicles: 100}\n"
                                                    "      - {month: 2023-07, vehicles: 9}\n"),
                                        "inline.yaml");
  REQUIRE(before.warnings.size() == 1);  // the months after the run are the usual window
  CHECK(before.warnings[0] ==
        "inline.yaml:9:7: warning: plants[P].orders: 5000 vehicles are ordered for months before "
        "the run starts in 2023-01: the run counts none of them, not even as backlog, which "
        "starts empty");
  // The backlog does start empty: January builds its own 100.
  CHECK(run_scenario(before, {1, std::nullopt, 1, false, std::nullopt, std::nullopt})
            .plants[0]
            .replications[0]
            .monthly.front() == 100);
  const Scenario missed =
      load_scenario(minute_line("    orders: [{month: 2030-01, vehicles: 7}]\n"), "inline.yaml");
  REQUIRE(missed.warnings.size() == 1);
  // A month of the plan in the run, even one of no orders, makes the later months the usual
  // window.
  CHECK(load_scenario(minute_line("    orders: [{month: 2023-02, vehicles: 0}, {month: 2030-01, "
                                  "vehicles: 7}]\n"),
                      "inline.yaml")
            .warnings.empty());
  CHECK(missed.warnings[0].find("7 vehicles are ordered for months after the run ends in "
                                "2023-03: the run does not reach them") != std::string::npos);
}

TEST_CASE("An order plan can be a CSV file, its mistakes name their line") {
  const fs::path dir = takt::test::scratch("orders");
  fs::create_directories(dir);
  // A spreadsheet's byte-order mark before the header is no mistake, nor are leading zeros.
  std::ofstream(dir / "orders.csv")
      << "\xEF\xBB\xBFmonth,vehicles\n2023-01,0000000000001000\n2023-02,2000\n2023-03,3000\n";
  std::ofstream(dir / "bad.csv") << "month,vehicles\n2023-01,1000\n2023-13,5\n2023-01,7\n2023-02,"
                                    "abc\n2023-03,12345678901234\n";
  std::ofstream(dir / "run.yaml") << minute_line("    orders: orders.csv\n");
  std::ofstream(dir / "bad.yaml") << minute_line("    orders: bad.csv\n");
  const RunResult r = run_scenario(load_scenario_file(dir / "run.yaml"),
                                   {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  CHECK(r.plants[0].replications[0].monthly == std::vector<std::uint64_t>{1000, 2000, 3000});
  // The monthly table and the text say it too.
  const std::string monthly = monthly_csv(r);
  CHECK(monthly.find(",2023-02,orders,,orders,2000,vehicles\n") != std::string::npos);
  CHECK(monthly.find(",2023-02,orders,,backlog,0,vehicles\n") != std::string::npos);
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
  // Each mistake at its field, with its column's name as the key.
  CHECK(e.find((dir / "bad.csv").string() +
               ":3:1: error: month: expected a month like 2024-01, got \"2023-13\"") !=
        std::string::npos);
  CHECK(e.find((dir / "bad.csv").string() +
               ":4:1: error: month: months must increase down the order plan") !=
        std::string::npos);
  CHECK(e.find((dir / "bad.csv").string() +
               ":5:9: error: vehicles: expected a whole number of vehicles, got \"abc\"") !=
        std::string::npos);
  // Too many digits is over the limit, not a wrong shape.
  CHECK(e.find((dir / "bad.csv").string() +
               ":6:9: error: vehicles: orders must be at most 1000000000 vehicles a month, got "
               "12345678901234") != std::string::npos);
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

TEST_CASE("Orders by product: each product ships its own orders, with its own backlog") {
  const std::string plan =
      "    products: {A: 0.5, B: 0.5}\n"
      "    orders:\n"
      "      - {month: 2023-01, vehicles: {A: 10000, B: 5000}}\n"
      "      - {month: 2023-02, vehicles: {A: 40000, B: 10000}}\n"
      "      - {month: 2023-03, vehicles: {A: 0}}\n";
  for (const char* order : {"", "    product_order: levelled\n"}) {
    CAPTURE(order);
    const models::PlantKpis k = run_yaml(minute_line(plan + order)).plants[0].replications[0];
    REQUIRE(k.product_months.size() == 2);
    const models::ProductMonths& a = k.product_months[0];
    const models::ProductMonths& b = k.product_months[1];
    // January builds exactly its orders, product by product, whatever the 50:50 mix says.
    CHECK(a.output[0] == 10000);
    CHECK(b.output[0] == 5000);
    // February is short by 9,681 (as the totals' test counts): each product's backlog is its
    // own, they add up, and March clears both to the vehicle.
    CHECK(k.monthly == std::vector<std::uint64_t>{15000, 40319, 9681});
    CHECK(a.backlog[1] + b.backlog[1] == 9681);
    CHECK(a.output[1] + a.output[2] == 40000);
    CHECK(b.output[1] + b.output[2] == 10000);
    CHECK(a.backlog[2] == 0);
    CHECK(b.backlog[2] == 0);
    CHECK(a.orders == std::vector<std::uint64_t>{10000, 40000, 0});
  }
  // Levelled, February releases 4 A to 1 B: of 40,319 built, exactly 32,255 are A.
  const models::PlantKpis levelled =
      run_yaml(minute_line(plan + "    product_order: levelled\n")).plants[0].replications[0];
  CHECK(levelled.product_months[0].output[1] == 32255);
  // Without a backlog each product loses its own shortfall.
  const models::PlantKpis lost =
      run_yaml(minute_line(plan + "    backlog: false\n")).plants[0].replications[0];
  CHECK(lost.product_months[0].lost[1] + lost.product_months[1].lost[1] == lost.monthly_lost[1]);
  CHECK(lost.monthly[2] == 1);  // the job February left at midnight
}

TEST_CASE("Orders by product from a CSV file, and their mistakes") {
  const fs::path dir = takt::test::scratch("orders-by-product");
  fs::create_directories(dir);
  std::ofstream(dir / "plan.csv") << "month,product,vehicles\n2023-01,A,100\n2023-01,B,50\n"
                                     "2023-02,A,10\n";
  std::ofstream(dir / "bad.csv") << "month,product,vehicles\n2023-01,C,100\n2023-01,A\n"
                                    "2023-01,B,5\n2023-01,B,6\n2023-02,A,2000000000\n";
  const std::string products = "    products: {A: 0.5, B: 0.5}\n";
  std::ofstream(dir / "run.yaml") << minute_line(products + "    orders: plan.csv\n");
  std::ofstream(dir / "bad.yaml") << minute_line(products + "    orders: bad.csv\n");
  const models::PlantKpis k = run_scenario(load_scenario_file((dir / "run.yaml").string()),
                                           {1, std::nullopt, 1, false, std::nullopt, std::nullopt})
                                  .plants[0]
                                  .replications[0];
  CHECK(k.product_months[0].output == std::vector<std::uint64_t>{100, 10, 0});
  CHECK(k.product_months[1].output == std::vector<std::uint64_t>{50, 0, 0});
  std::string e;
  try {
    load_scenario_file((dir / "bad.yaml").string());
  } catch (const ScenarioError& x) {
    e = x.what();
  }
  CHECK(e.find("bad.csv:2:9: error: product: unknown product 'C' (the plant's products: A, B)") !=
        std::string::npos);
  CHECK(e.find("bad.csv:3:1: error: expected MONTH,PRODUCT,VEHICLES like 2024-01,AITO-M7,20000, "
               "got \"2023-01,A\"") != std::string::npos);
  CHECK(e.find("bad.csv:5:1: error: month: this month's orders of this product are already "
               "given") != std::string::npos);
  CHECK(e.find("bad.csv:6:11: error: vehicles: orders must be at most 1000000000 vehicles a "
               "month, got "
               "2000000000") != std::string::npos);
  // In the file: every month by product or none, known products, and not with a store.
  const std::string mixed =
      error_of(minute_line(products + "    orders:\n"
                                      "      - {month: 2023-01, vehicles: {A: 1, D: 2}}\n"
                                      "      - {month: 2023-02, vehicles: {A: 1}}\n"
                                      "      - {month: 2023-03, vehicles: 5}\n"
                                      "    storage: {capacity: 10}\n"));
  CHECK(
      mixed.find("orders[2023-01].vehicles.D: unknown product 'D' (the plant's products: A, B)") !=
      std::string::npos);
  CHECK(mixed.find("orders[2023-03].vehicles: give every month of the plan by product, or none") !=
        std::string::npos);
  CHECK(mixed.find("storage: a storage centre ships against orders as totals") !=
        std::string::npos);
}
