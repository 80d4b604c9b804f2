// Money: prices per product and investment per plant, checked to the yuan on the minute line
// (one vehicle a minute, January to March 2023), and every bad price or investment located.
#include <doctest/doctest.h>

#include <string>

#include "cli_fixture.hpp"
#include "load_error.hpp"
#include "minute_line.hpp"
#include "takt/run/compare.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"

using takt::scenario::load_scenario;

namespace {

// The minute line with products and prices (`prices` at the top level, before `plants`).
std::string priced(const std::string& prices, const std::string& plant_keys) {
  std::string yaml = takt::test::minute_line(plant_keys);
  return yaml.insert(yaml.find("plants:"), prices);
}

}  // namespace

TEST_CASE("One product: its output at its price, and what an hour of the bottleneck is worth") {
  const auto r = takt::test::run_yaml(
      priced("prices: {M: 100}\n", "    products: {M: 1.0}\n    investment: 52560000\n"));
  const auto sum = takt::run::summarize_plant(r.plants.at(0));
  const auto& m = sum.money;
  REQUIRE(m.has_prices);
  // 129,600 vehicles in 90 days of 24 h: 60 an hour, 525,600 a year.
  CHECK(sum.annual_rate.mean == doctest::Approx(525600).epsilon(1e-4));
  CHECK(m.annual_value.mean == doctest::Approx(100 * sum.annual_rate.mean).epsilon(1e-12));
  REQUIRE(m.year_value.size() == 1);
  CHECK(m.year_value[0].mean == doctest::Approx(100.0 * 129600).epsilon(1e-12));
  // The one station works all the time: an hour of it builds 60 vehicles, worth 6,000.
  CHECK(sum.bottleneck == "S");
  CHECK(m.bottleneck_hour_value.mean == doctest::Approx(6000).epsilon(1e-4));
  REQUIRE(m.investment);
  CHECK(m.investment_per_capacity == doctest::Approx(52560000.0 / 525600));
  CHECK(m.investment_per_vehicle == doctest::Approx(52560000.0 / sum.annual_rate.mean));
  const std::string json = takt::run::summary_json(r);
  CHECK(json.find("\"money\": {") != std::string::npos);
  CHECK(json.find("\"investment_per_capacity\": 100") != std::string::npos);
  CHECK(takt::run::format_text(r).find("  money (yuan): output worth 52.56 m a year (2023 (part): "
                                       "12.96 m); an hour of S is worth 6,000; investment 52.56 m "
                                       "= 100 per vehicle a year of capacity") !=
        std::string::npos);
}

TEST_CASE("An hour of one of two line copies is worth that copy's jobs, not the plant's") {
  // Two copies of a 2-minute station: the plant builds 60 an hour, each copy 30.
  const auto r = takt::test::run_yaml(
      "scenario: t\nstart: 2023-01-01\nend: 2023-03-31\nreplications: 1\nprices: {M: 100}\n"
      "plants:\n  - name: P\n    capacity: 525600\n    products: {M: 1.0}\n    shops:\n"
      "      - name: s\n        lines: 2\n        line:\n          - station: S\n"
      "            cycle: 2min\n");
  const auto sum = takt::run::summarize_plant(r.plants.at(0));
  CHECK(sum.throughput_per_hour.mean == doctest::Approx(60).epsilon(1e-4));
  CHECK(sum.money.bottleneck_hour_value.mean == doctest::Approx(3000).epsilon(1e-4));
}

TEST_CASE("Two products are valued by what was built of each") {
  // Levelled 1:1: A, B, A, B, ... so 64,800 of each; the mean price is exactly 150.
  const auto r = takt::test::run_yaml(priced("prices: {A: 100, B: 200}\n",
                                             "    products: {A: 0.5, B: 0.5}\n"
                                             "    product_order: levelled\n"));
  const auto& runs = r.plants.at(0);
  CHECK(takt::run::mean_price(runs, runs.replications[0]) == doctest::Approx(150).epsilon(1e-12));
  const auto sum = takt::run::summarize_plant(runs);
  CHECK(sum.money.year_value[0].mean == doctest::Approx(150.0 * 129600).epsilon(1e-12));
  CHECK_FALSE(sum.money.investment);
}

TEST_CASE("A comparison reports the difference in yuan too") {
  const std::string a = priced("prices: {M: 100}\n", "    products: {M: 1.0}\n");
  std::string b = a;
  b.replace(b.find("cycle: 1min"), 11, "cycle: 30s");
  const auto c = takt::run::compare(load_scenario(a, "a.yaml"), load_scenario(b, "b.yaml"), "a",
                                    "b", {1, std::nullopt, 1, false, std::nullopt, std::nullopt});
  bool found = false;
  for (const auto& f : c.figures) {
    if (f.figure != "annual value") continue;
    found = true;
    CHECK(f.unit == "yuan/yr");
    CHECK(f.difference.mean == doctest::Approx(100.0 * 525600).epsilon(1e-4));
  }
  CHECK(found);
}

TEST_CASE("Bad prices and investments are located, all at once") {
  const std::string err = takt::test::load_error(
      priced("prices: {M: -5, X: 10}\n", "    products: {M: 0.5, N: 0.5}\n    investment: 2e15\n"));
  CHECK(err.find("error: prices.M: must be positive, got -5") != std::string::npos);
  CHECK(err.find("error: prices.X: no plant builds a product 'X'") != std::string::npos);
  CHECK(err.find("error: plants[P].investment: an investment is at most 1e14 yuan") !=
        std::string::npos);
  const std::string missing =
      takt::test::load_error(priced("prices: {M: 5}\n", "    products: {M: 0.5, N: 0.5}\n"));
  CHECK(missing.find("error: prices: no price for N (built by P): give every product one") !=
        std::string::npos);
  CHECK(takt::test::load_error(priced("prices: {M: 2e9}\n", "    products: {M: 1}\n"))
            .find("a price is at most 1e9 yuan") != std::string::npos);
  CHECK(takt::test::load_error(priced("prices: {Mx: 2}\n", "    products: {M: 1}\n"))
            .find("(did you mean 'M'?)") != std::string::npos);
}

TEST_CASE("A capacity and a product mix are held to their limits, with blank names refused") {
  const auto with_capacity = [](const std::string& capacity) {
    std::string yaml = takt::test::minute_line("");
    return yaml.replace(yaml.find("capacity: 525600"), 16, "capacity: " + capacity);
  };
  // 1e-300 printed its share of capacity as 525417499999...%, 4.9e-324 as inf%.
  for (const char* bad : {"1e-300", "0.5", "2e9"}) {
    CAPTURE(bad);
    CHECK(takt::test::load_error(with_capacity(bad))
              .find("error: plants[P].capacity: a plant's capacity is 1 to 1e9 vehicles a year") !=
          std::string::npos);
  }
  CHECK(takt::test::load_error(with_capacity("1e9")) == "no error");
  // Shares of 1e308 summed to infinity: random release built only B, levelled only A.
  const std::string err =
      takt::test::load_error(takt::test::minute_line("    products: {A: 1e308, \" \": 1}\n"));
  CHECK(err.find("error: plants[P].products.A: a product's share is at most 1e9") !=
        std::string::npos);
  CHECK(err.find("a product needs a name, got a blank one") != std::string::npos);
}
