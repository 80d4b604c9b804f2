// The ramp-up figures: months to 80 % and 90 % against each month's nameplate on its working
// hours, smoothed over neighbouring months, with replications that never get there counted
// rather than dropped; and shares of scheduled time.
#include <doctest/doctest.h>

#include <numeric>
#include <vector>

#include "takt/run/scenario_runner.hpp"

using namespace takt::scenario;
using namespace takt::run;
using takt::models::PlantKpis;

namespace {

PlantKpis months(std::vector<std::uint64_t> output, std::vector<double> nameplate) {
  PlantKpis k;
  k.monthly = std::move(output);
  k.monthly_nameplate = std::move(nameplate);
  return k;
}

}  // namespace

TEST_CASE("Months to a level are read from three months against their nameplates") {
  // A linear ramp: 80 % is first held over months 4-6 (60 + 80 + 100 of 300), 90 % over 5-7.
  const PlantKpis ramp = months({0, 20, 40, 60, 80, 100, 100, 100}, std::vector<double>(8, 100.0));
  CHECK(months_to_reach(ramp, 0.8) == 5);
  CHECK(months_to_reach(ramp, 0.9) == 6);
  // A Spring Festival month with 60 % of the working hours builds 60 % as much: not a dip.
  const PlantKpis festival = months({95, 57, 95, 95}, {100, 60, 100, 100});
  CHECK(months_to_reach(festival, 0.9) == 1);
  // Against capacity / 12 the same plant would miss 90 % in February; against its working
  // hours it holds 95 % throughout.
  // One lucky month among poor ones is not a ramp-up reached.
  CHECK(months_to_reach(months({50, 95, 50, 50, 50}, std::vector<double>(5, 100.0)), 0.9) == -1);
  // Months with no working hours ask for nothing and give nothing.
  CHECK(months_to_reach(months({0, 0, 0}, {0, 0, 0}), 0.8) == -1);
  // At the ends the window has one neighbour.
  CHECK(months_to_reach(months({90, 90}, {100, 100}), 0.9) == 1);
  CHECK(months_to_reach(months({0, 0, 0, 100}, std::vector<double>(4, 100.0)), 0.5) == 4);
}

TEST_CASE("Replications that never reach a level are counted, not dropped") {
  const ReachSummary all = summarize_reach({3, 4, 5, 6});
  CHECK(all.reached == 4);
  CHECK(all.not_reached == 0);
  REQUIRE(all.mean);
  CHECK(*all.mean == doctest::Approx(4.5));
  // Student t with 3 degrees of freedom: 3.182 x s / 2, s = 1.291.
  CHECK(*all.ci_high - *all.mean == doctest::Approx(3.182446 * 1.2909944 / 2).epsilon(1e-5));
  CHECK(*all.p50 == doctest::Approx(4.5));

  const ReachSummary half = summarize_reach({4, -1, 3, -1});
  CHECK(half.reached == 2);
  CHECK(half.not_reached == 2);
  CHECK_FALSE(half.mean);
  CHECK_FALSE(half.ci_low);
  REQUIRE(half.p10);  // 0.1 x 3 = 0.3: between the first two sorted values, 3 and 4
  CHECK(*half.p10 == doctest::Approx(3.3));
  CHECK_FALSE(half.p50);  // 1.5: between 4 and a replication that never got there
  CHECK_FALSE(half.p90);

  const ReachSummary none = summarize_reach({-1, -1});
  CHECK(none.reached == 0);
  CHECK(none.not_reached == 2);
  CHECK_FALSE(none.mean);
  CHECK_FALSE(none.p10);
}

TEST_CASE("Shares of scheduled time leave the time off shift out") {
  using namespace takt::models;
  std::array<double, kStateCount> calendar{};
  calendar[kWorking] = 0.3;
  calendar[kBlocked] = 0.1;
  calendar[kDown] = 0.1;
  calendar[kOffShift] = 0.5;
  const auto scheduled = scheduled_shares(calendar);
  CHECK(scheduled[kWorking] == doctest::Approx(0.6));
  CHECK(scheduled[kBlocked] == doctest::Approx(0.2));
  CHECK(scheduled[kDown] == doctest::Approx(0.2));
  CHECK(scheduled[kOffShift] == 0);
  calendar = {};
  calendar[kOffShift] = 1.0;
  CHECK(scheduled_shares(calendar) == std::array<double, kStateCount>{});
}

TEST_CASE("Each month's nameplate is the capacity spread over the year's working hours") {
  // Weekdays, one 8 h shift, and a Spring Festival week in February 2023.
  const Scenario s = load_scenario(R"(
scenario: nameplate
start: 2023-01-01
horizon: 365d
replications: 1
calendars:
  day:
    workdays: [mon, tue, wed, thu, fri]
    shifts: [{start: "08:00", length: 8h}]
    holidays: [{from: 2023-01-23, to: 2023-01-27, name: Spring Festival}]
plants:
  - name: p
    capacity: 100000
    calendar: day
    shops:
      - name: s
        line:
          - station: m
            cycle: 1min
)",
                                   "inline.yaml");
  const PlantKpis k = run_replication(s, 0, 0);
  REQUIRE(k.monthly_nameplate.size() == 12);
  REQUIRE(k.monthly_scheduled_hours.size() == 12);
  // 2023 has 260 weekdays, 5 of them in the festival: 255 days of 8 h.
  const double year_hours =
      std::accumulate(k.monthly_scheduled_hours.begin(), k.monthly_scheduled_hours.end(), 0.0);
  CHECK(year_hours == 255 * 8);
  CHECK(k.monthly_scheduled_hours[0] == (22 - 5) * 8);  // January 2023: 22 weekdays
  CHECK(k.monthly_scheduled_hours[2] == 23 * 8);        // March
  CHECK(std::accumulate(k.monthly_nameplate.begin(), k.monthly_nameplate.end(), 0.0) ==
        doctest::Approx(100000).epsilon(1e-12));
  CHECK(k.monthly_nameplate[0] == doctest::Approx(100000.0 * 17 / 255));
}
