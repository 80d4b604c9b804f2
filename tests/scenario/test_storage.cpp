// A vehicle storage centre: a make-to-stock plant builds ahead into it, orders ship from it,
// and a full store stops the line. Counted to the vehicle on a deterministic line.
#include <doctest/doctest.h>

#include <string>

#include "load_error.hpp"
#include "minute_line.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/scenario.hpp"

using namespace takt::scenario;
using namespace takt::run;
namespace models = takt::models;

namespace {

using takt::test::minute_line;
using takt::test::run_yaml;

using L = models::MonthLimit;
using Counts = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("Make to stock: the line builds ahead until the store is full, then waits for orders") {
  const models::PlantKpis k = run_yaml(minute_line("    orders:\n"
                                                   "      - {month: 2023-01, vehicles: 10000}\n"
                                                   "      - {month: 2023-02, vehicles: 10000}\n"
                                                   "      - {month: 2023-03, vehicles: 50000}\n"
                                                   "    storage: {capacity: 20000}\n"))
                                  .plants[0]
                                  .replications[0];
  // January: 10,000 ship as they are built, 20,000 fill the store, and job 30,001 waits at
  // the station. On 1 February 10,000 ship from stock and it goes in; 10,000 more refill the
  // store. On 1 March 20,000 ship from stock, the waiting job goes in at midnight and one
  // more leaves every minute to the end (44,641), of which 30,000 ship against the rest of
  // March's orders and 14,641 stay in stock.
  CHECK(k.monthly == Counts{30000, 10000, 44641});
  CHECK(k.monthly_orders == Counts{10000, 10000, 50000});
  CHECK(k.monthly_shipped == Counts{10000, 10000, 50000});
  CHECK(k.monthly_stock == Counts{20000, 20000, 14641});
  CHECK(k.monthly_backlog == Counts{0, 0, 0});
  CHECK(k.monthly_lost == Counts{0, 0, 0});
  CHECK(k.monthly_limit == std::vector<L>{L::kStorageFull, L::kStorageFull, L::kCapacity});
  // The line waited on the store: the station was blocked, not starved.
  CHECK(k.stations[0].shares[models::kBlocked] > 0.3);
  // Make to order, the same orders pace release instead: the month builds its orders.
  const models::PlantKpis mto = run_yaml(minute_line("    orders:\n"
                                                     "      - {month: 2023-01, vehicles: 10000}\n"
                                                     "      - {month: 2023-02, vehicles: 10000}\n"
                                                     "      - {month: 2023-03, vehicles: 50000}\n"))
                                    .plants[0]
                                    .replications[0];
  CHECK(mto.monthly == Counts{10000, 10000, 44640});
  CHECK(mto.monthly_shipped.empty());
}

TEST_CASE("A store that fills with the month's last vehicle did not limit the month") {
  const auto january = [](const char* orders) {
    return run_yaml(minute_line(std::string("    orders:\n      - {month: 2023-01, vehicles: ") +
                                orders +
                                "}\n      - {month: 2023-02, vehicles: 10000}\n"
                                "    storage: {capacity: 20000}\n"))
        .plants[0]
        .replications[0];
  };
  // January builds 44,639 (the 44,640th leaves at midnight, in February): 24,639 ship and the
  // last of them fills the store. No vehicle waited, so capacity limited the month.
  const models::PlantKpis filled = january("24639");
  CHECK(filled.monthly.front() == 44639);
  CHECK(filled.monthly_stock.front() == 20000);
  CHECK(filled.monthly_limit.front() == L::kCapacity);
  // One order fewer and the month's last vehicle waits a minute for room: the store limited it.
  const models::PlantKpis waited = january("24638");
  CHECK(waited.monthly.front() == 44638);
  CHECK(waited.monthly_limit.front() == L::kStorageFull);
}

TEST_CASE("Orders the store cannot fill carry over as backlog, or are lost without one") {
  const std::string orders =
      "    orders:\n"
      "      - {month: 2023-01, vehicles: 0}\n"
      "      - {month: 2023-02, vehicles: 70000}\n"
      "      - {month: 2023-03, vehicles: 0}\n"
      "    storage: {capacity: 20000}\n";
  // January fills the store (20,000). February ships them and all 40,320 it builds: 9,680
  // orders stay open. March ships those first, then fills the store again.
  const models::PlantKpis with = run_yaml(minute_line(orders)).plants[0].replications[0];
  CHECK(with.monthly == Counts{20000, 40320, 29680});
  CHECK(with.monthly_shipped == Counts{0, 60320, 9680});
  CHECK(with.monthly_backlog == Counts{0, 9680, 0});
  CHECK(with.monthly_stock == Counts{20000, 0, 20000});
  CHECK(with.monthly_limit == std::vector<L>{L::kStorageFull, L::kCapacity, L::kStorageFull});
  const models::PlantKpis without =
      run_yaml(minute_line(orders + "    backlog: false\n")).plants[0].replications[0];
  CHECK(without.monthly == Counts{20000, 40320, 20000});
  CHECK(without.monthly_shipped == Counts{0, 60320, 0});
  CHECK(without.monthly_lost == Counts{0, 9680, 0});
  CHECK(without.monthly_backlog == Counts{0, 0, 0});
}

TEST_CASE("An opening stock ships first") {
  const models::PlantKpis k =
      run_yaml(minute_line("    orders:\n"
                           "      - {month: 2023-01, vehicles: 50000}\n"
                           "    storage: {capacity: 1000, initial: 1000}\n"))
          .plants[0]
          .replications[0];
  // 1,000 from stock at once, then 44,639 built and shipped; 4,361 orders stay open. February
  // builds them and 1,000 more, which fill the store: with no orders after January the line
  // then waits to the end, and no deadlock is reported.
  CHECK(k.monthly_shipped == Counts{45639, 4361, 0});
  CHECK(k.monthly_backlog == Counts{4361, 0, 0});
  CHECK(k.monthly == Counts{44639, 5361, 0});
  CHECK(k.monthly_stock == Counts{0, 1000, 1000});
}

TEST_CASE("Stock and shipments reach monthly.csv, summary.json and the text table") {
  const RunResult r =
      run_yaml(minute_line("    orders:\n"
                           "      - {month: 2023-01, vehicles: 10000}\n"
                           "    storage: {capacity: 20000}\n"));
  const std::string csv = monthly_csv(r);
  CHECK(csv.find("2023-01,storage_full,,shipped,10000,vehicles") != std::string::npos);
  CHECK(csv.find("2023-01,storage_full,,stock,20000,vehicles") != std::string::npos);
  const std::string json = summary_json(r);
  CHECK(json.find("\"shipped\"") != std::string::npos);
  CHECK(json.find("\"stock\"") != std::string::npos);
  const std::string text = format_text(r);
  CHECK(text.find("shipped") != std::string::npos);
  CHECK(text.find("storage_full") != std::string::npos);
}

TEST_CASE("A storage centre needs orders and an opening stock that fits") {
  using takt::test::load_error;
  CHECK(load_error(minute_line("    storage: {capacity: 100}\n"))
            .find("inline.yaml:8:14: error: plants[P].storage: a storage centre ships against "
                  "an order plan") != std::string::npos);
  const std::string e =
      load_error(minute_line("    orders: [{month: 2023-01, vehicles: 1}]\n"
                             "    storage: {capacity: 0, initial: 5, size: 3}\n"));
  CHECK(e.find("plants[P].storage.capacity: must be positive, got 0") != std::string::npos);
  CHECK(e.find("plants[P].storage: unknown key 'size'") != std::string::npos);
}

TEST_CASE("A run stopped early ships nothing after its stop, and loses no vehicle or order") {
  // stop_after 120: January builds 120, ships 100 and stocks 20, then the run stops.
  const models::PlantKpis k =
      run_yaml("stop_after: 120\n" + minute_line("    orders:\n"
                                                 "      - {month: 2023-01, vehicles: 100}\n"
                                                 "      - {month: 2023-02, vehicles: 100}\n"
                                                 "    storage: {capacity: 1000}\n"))
          .plants[0]
          .replications[0];
  CHECK(k.monthly == Counts{120, 0, 0});
  CHECK(k.monthly_shipped == Counts{100, 0, 0});
  CHECK(k.monthly_stock == Counts{20, 20, 20});
  CHECK(k.monthly_backlog == Counts{0, 100, 100});
}

TEST_CASE("A storage centre's capacity is limited before the run") {
  CHECK(takt::test::load_error(minute_line("    orders: [{month: 2023-01, vehicles: 1}]\n"
                                           "    storage: {capacity: 2000000000}\n"))
            .find("storage.capacity: must be at most 1000000000, got 2000000000") !=
        std::string::npos);
  CHECK(takt::test::load_error(minute_line("    orders: [{month: 2023-01, vehicles: 1}]\n"
                                           "    storage: {initial: 5}\n"))
            .find("exceeds") == std::string::npos);  // no capacity: only that it is missing
}
