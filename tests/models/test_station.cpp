// Station variants and plant wiring: ovens, press lots, paced lines, product mix, rework
// loops, arrivals, shift calendars, and the errors a bad layout gets.
#include <doctest/doctest.h>

#include <cmath>

#include "line_fixture.hpp"
#include "takt/sim/error.hpp"

using namespace takt;
using namespace takt::test;

namespace {

const sim::Time kMinute = sim::Time::minutes(1);

models::PlantKpis run_plant(const PlantSpec& spec, sim::Time horizon, sim::Time warmup = {}) {
  models::RunSettings run;
  run.horizon = horizon;
  run.warmup = warmup;
  models::Plant plant(spec, run);
  plant.run();
  return plant.kpis();
}

}  // namespace

TEST_CASE("An oven holds n bodies for a fixed time and so passes n per dwell time") {
  LineItem oven = station_item("oven", Distribution::constant(30 * 60));
  oven.as<models::StationConfig>()->kind = "oven";
  oven.as<models::StationConfig>()->servers = 60;
  // Cohorts of 60 leave every 30 min; the window (1h15, 101h15] holds 200 of them.
  const auto k =
      run_plant(one_shop({oven}), sim::Time::minutes(101 * 60 + 15), sim::Time::minutes(75));
  CHECK(k.output == 60 * 2 * 100);
  CHECK(k.stations[0].kind == "oven");
}

TEST_CASE("A press runs lots and changes dies between them: TH = L / (L c + s)") {
  LineItem press = station_item("press", Distribution::constant(90));
  press.as<models::StationConfig>()->lot_size = 100;
  press.as<models::StationConfig>()->setup = Distribution::constant(5 * 60);
  const auto k = run_plant(one_shop({press}), sim::Time::hours(1000));
  // One lot takes 100 x 90 s + 300 s = 9300 s; 1000 h hold 387 lots and 900 s of the next.
  CHECK(k.output == 387 * 100 + 10);
  CHECK(k.stations[0].setups == 387);
  CHECK(k.stations[0].shares[models::kSetup] == doctest::Approx(387 * 300.0 / 3.6e6).epsilon(1e-3));
}

TEST_CASE("A paced line indexes every takt and a stopped position stops the whole line") {
  LineItem line;
  line.name = "final";
  auto& paced = line.spec.emplace<models::PacedLineConfig>();
  paced.positions = 50;
  paced.takt = sim::Time::seconds(60);
  const auto reliable = run_plant(one_shop({line}), sim::Time::hours(100));
  CHECK(reliable.output == 100 * 60 - 49);  // the first car needs 50 takts

  // 50 positions failing in moving time, MTBF 500 min, MTTR 2 min each: the line moves
  // 1 / (1 + 50 x 2/500) = 5/6 of the time.
  paced.failures = {exponential_failures(500 * 60, 2 * 60)};
  const Batches b = run_batches(one_shop({line}), 1000 * kMinute, 10'000 * kMinute, 20);
  const auto th = b.of([](const models::PlantKpis& k) { return k.throughput_per_hour / 60; });
  INFO(th.mean << " SE " << standard_error(th));
  CHECK(std::fabs(th.mean - 5.0 / 6.0) <= 4 * standard_error(th));
  CHECK(standard_error(th) < 0.005);
}

TEST_CASE("A product mix gives each variant its own cycle time") {
  PlantSpec spec = one_shop({station_item("trim", Distribution::constant(60))});
  spec.products = {"M5", "M7"};
  spec.mix = {0.3, 0.7};
  spec.shops[0].line[0].as<models::StationConfig>()->cycle = {Distribution::constant(60),
                                                              Distribution::constant(120)};
  const Batches b = run_batches(spec, 100 * kMinute, 10'000 * kMinute, 20);
  const auto jph = b.of([](const models::PlantKpis& k) { return k.throughput_per_hour; });
  // Mean cycle 0.3 x 60 + 0.7 x 120 = 102 s; the per-window SE is that of a Bernoulli mix.
  CHECK(std::fabs(jph.mean - 3600.0 / 102.0) <= 4 * standard_error(jph));
}

TEST_CASE("A paint loop with rework share q carries 1/(1-q) visits through the booth") {
  // release -> queue -> booth (exp 1 min, the bottleneck) -> inspection -> q back to booth.
  const double q = 0.2;
  LineItem inspection = station_item("inspection", Distribution::constant(6));
  inspection.routes = {{"booth", q, true}};
  PlantSpec spec =
      one_shop({station_item("release", Distribution::constant(6)), buffer_item("queue", 10),
                station_item("booth", Distribution::exponential(60)), inspection});
  const Batches b = run_batches(spec, 1000 * kMinute, 10'000 * kMinute, 20);
  const auto th = b.of([](const models::PlantKpis& k) { return k.throughput_per_hour / 60; });
  CHECK(std::fabs(th.mean - (1 - q)) <= 4 * standard_error(th));
  const auto visits = b.of([](const models::PlantKpis& k) {
    return static_cast<double>(k.stations[1].completed) / static_cast<double>(k.output);
  });
  CHECK(std::fabs(visits.mean - 1 / (1 - q)) <= 4 * standard_error(visits));
}

TEST_CASE("An arrival process in front of one station is an M/M/1 queue: L = 1 at rho 0.5") {
  PlantSpec spec = one_shop({station_item("desk", Distribution::exponential(60))});
  spec.unlimited_arrivals = false;
  spec.interarrival = Distribution::exponential(120);
  const Batches b = run_batches(spec, 1000 * kMinute, 50'000 * kMinute, 20);
  CHECK(std::fabs(b.of([](const models::PlantKpis& k) { return k.wip; }).mean - 1.0) <= 0.02);
  const auto w = b.of([](const models::PlantKpis& k) { return k.lead_time_hours * 60; });
  CHECK(std::fabs(w.mean - 2.0) <= 4 * standard_error(w));
}

TEST_CASE("A deterministic line on a two-shift calendar builds exactly its productive minutes") {
  // 2023: 260 weekdays, less 5 of the Spring Festival (23-27 Jan) and 5 of National Day (2-6
  // Oct) = 250 workdays of 7.5 h + 8 h = 15.5 h = 620 cycles of 90 s. Three stations without
  // buffers: the first car needs three cycles, so 250 x 620 - 2 leave by the year's end.
  using models::CalendarDate;
  models::WeekPattern week;
  week.workdays = {true, true, true, true, true, false, false};
  week.shifts = {{8 * 60, sim::Time::hours(8), {{12 * 60, sim::Time::minutes(30)}}},
                 {16 * 60, sim::Time::hours(8), {}}};
  const CalendarDate start = *CalendarDate::parse("2023-01-01");
  models::ShiftCalendar calendar(
      start, {{start, week}},
      {{*CalendarDate::parse("2023-01-21"), *CalendarDate::parse("2023-01-27"), "Spring Festival"},
       {*CalendarDate::parse("2023-10-01"), *CalendarDate::parse("2023-10-06"), "National Day"}});
  const Distribution c = Distribution::constant(90);
  PlantSpec spec = serial_line({c, c, c}, {0, 0});
  spec.calendars = {{"two-shift", calendar}};
  spec.calendar = "two-shift";
  models::RunSettings run;
  run.start = start;
  run.horizon = sim::Time::days(365);
  models::Plant plant(spec, run);
  plant.run();
  const auto k = plant.kpis();
  CHECK(k.output == 250 * 620 - 2);
  REQUIRE(k.monthly.size() == 12);
  // January: 22 weekdays less 5 festival days = 17 days; its first two cycles fill the line,
  // and the car finishing exactly at the end of 31 January's night shift (midnight) is
  // February's first; likewise the last car of 28 February counts in March.
  CHECK(k.monthly[0] == 17 * 620 - 2 - 1);
  CHECK(k.monthly[1] == 20 * 620 + 1 - 1);
  CHECK(k.stations[0].shares[models::kOffShift] ==
        doctest::Approx(1.0 - 250 * 15.5 / (365 * 24.0)).epsilon(1e-9));
}

TEST_CASE("A routing loop that fills up is reported as a deadlock in the plant's words") {
  LineItem inspection = station_item("inspection", Distribution::constant(6));
  inspection.routes = {{"queue", 0.5, true}};
  PlantSpec spec =
      one_shop({station_item("release", Distribution::constant(1)), buffer_item("queue", 2),
                station_item("booth", Distribution::constant(60)), inspection});
  models::RunSettings run;
  run.horizon = sim::Time::days(10);
  models::Plant plant(spec, run);
  CHECK_THROWS_WITH_AS(
      plant.run(),
      doctest::Contains("deadlock: in plant 'plant' station 'release' is blocked on 'queue'"),
      sim::SimulationError);
}

TEST_CASE("A layout with a dead end or an unknown name is refused when the plant is built") {
  LineItem inspection = station_item("inspection", Distribution::constant(6));
  inspection.routes = {{"boot", 0.1, true}};
  PlantSpec spec = one_shop({station_item("booth", Distribution::constant(60)), inspection});
  // The message and the plant apart (the plant in the error's place), never one text to parse.
  const auto error_of = [](const PlantSpec& p) {
    try {
      models::Plant plant(p, models::RunSettings{});
    } catch (const models::ModelError& e) {
      return e.place().plant + " | " + e.what();
    }
    return std::string("no error");
  };
  CHECK(error_of(spec) == "plant | station 'inspection' refers to unknown 'boot'");
  PlantSpec ends_in_buffer =
      one_shop({station_item("a", Distribution::constant(6)), buffer_item("b", 3)});
  CHECK(error_of(ends_in_buffer) == "plant | the flow must end with a station, not a buffer");
  // A loop whose only way out is back into itself: inspection sends everything to 'repair',
  // which returns it to inspection.
  PlantSpec trap = one_shop({station_item("booth", Distribution::constant(60)),
                             station_item("inspection", Distribution::constant(6))});
  trap.shops[0].line[1].routes = {{"repair", 1.0, true}};
  models::LoopSpec loop;
  loop.line = {station_item("repair", Distribution::constant(60))};
  loop.to = "inspection";
  trap.shops[0].loops = {loop};
  CHECK_THROWS_WITH_AS(models::Plant(trap, models::RunSettings{}), doctest::Contains("has no exit"),
                       models::ModelError);
}

TEST_CASE("Parallel lines share the shop's feed and merge buffers") {
  PlantSpec spec =
      one_shop({station_item("release", Distribution::constant(1)), buffer_item("feed", 5),
                station_item("weld", Distribution::constant(120)), buffer_item("merge", 5)});
  spec.shops[0].line.erase(spec.shops[0].line.begin());
  models::ShopSpec release;
  release.name = "release";
  release.line = {station_item("release", Distribution::constant(1))};
  spec.shops[0].lines = 3;
  spec.shops.insert(spec.shops.begin(), release);
  models::ShopSpec exit;
  exit.name = "exit";
  exit.line = {station_item("gate", Distribution::constant(10))};
  spec.shops.push_back(exit);
  const auto k = run_plant(spec, sim::Time::hours(10));
  CHECK(k.stations.size() == 5);
  CHECK(k.stations[2].name == "weld#2");
  // Three 120 s stations in parallel: 90 per hour; the line fills in 130 s.
  CHECK(k.output >= 897);
  CHECK(k.output <= 900);
}

TEST_CASE("An oven keeps one completion event however many bodies it holds") {
  // Fixed time and several places: jobs finish in the order they started, so only the oldest
  // needs an event. A cycle that is not recognised as fixed keeps one event per job.
  const auto pending_with = [](const Distribution& cycle) {
    sim::Simulation sim;
    models::Buffer in("in", 20), out("out", 20);
    models::Job job;
    for (int i = 0; i < 15; ++i) in.put(sim.now(), job);
    models::StationConfig config;
    config.name = "oven";
    config.servers = 12;
    config.cycle = {cycle};
    models::Station oven(sim, config, 1, 0, "oven");
    oven.connect_input(in);
    oven.connect_output(out);
    oven.start();
    CHECK(oven.jobs_inside() == 12);
    const std::size_t pending = sim.pending_events();
    sim.run_until(sim::Time::minutes(25));  // two cohorts of twelve, then three
    CHECK(out.size() == 15);
    return pending;
  };
  CHECK(pending_with(Distribution::constant(600)) == 1);
  CHECK(pending_with(Distribution::empirical({600}, {1})) == 12);
}
