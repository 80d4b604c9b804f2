// Formats run results. Nothing here computes a figure that the summary does not already hold.
#include "takt/run/report_writer.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "json_writer.hpp"
#include "precision_report.hpp"
#include "takt/models/station_state.hpp"
#include "text_format.hpp"

namespace takt::run {
namespace {

using detail::csv_field;
using detail::fixed;
using detail::json_number;
using detail::json_number_or_null;
using detail::JsonWriter;
using detail::pad;
using detail::thousands;

#ifndef TAKT_VERSION
#define TAKT_VERSION "0.0.0"
#endif

}  // namespace

const char* program_version() { return TAKT_VERSION; }

namespace {

std::string interval_text(const experiment::Summary& x) {
  if (x.n < 2) return "n/a (1 replication)";
  return thousands(x.ci_low) + " - " + thousands(x.ci_high);
}

// "month 4.2 (95% interval 3.9 - 4.5)", "month 4", or "not reached in 3 of 10 replications".
std::string reach_text(const ReachSummary& r) {
  const std::size_t n = r.reached + r.not_reached;
  if (r.not_reached > 0) {
    std::string text = "not reached in " + std::to_string(r.not_reached) + " of " +
                       std::to_string(n) + " replication" + (n == 1 ? "" : "s");
    if (r.p50) text += " (median month " + fixed(*r.p50, 1) + ")";
    return text;
  }
  if (n == 1) return "month " + fixed(*r.mean, 0);
  return "month " + fixed(*r.mean, 1) + " (95% interval " + fixed(*r.ci_low, 1) + " - " +
         fixed(*r.ci_high, 1) + ")";
}

// A ramp-up line only where there is a ramp-up to speak of: a plant that builds at 90 % of its
// nameplate from its first month has nothing to report.
bool has_ramp_up(const PlantSummary& s) {
  return s.capacity > 0 &&
         (s.months_to_90.not_reached > 0 || (s.months_to_90.p90 && *s.months_to_90.p90 > 1));
}

std::string shares_text(const StationSummary& st) {
  using namespace models;
  return "working " + fixed(100 * st.shares[kWorking], 1) + "%, down " +
         fixed(100 * st.shares[kDown], 1) + "%, setup " + fixed(100 * st.shares[kSetup], 1) +
         "% of calendar time (" + fixed(100 * st.scheduled[kWorking], 1) + "%, " +
         fixed(100 * st.scheduled[kDown], 1) + "%, " + fixed(100 * st.scheduled[kSetup], 1) +
         "% of scheduled time)";
}

}  // namespace

std::string edits_text(const Scenario& s) {
  std::string text;
  for (const std::string& e : s.edits) text += (text.empty() ? "" : "; ") + e;
  return text;
}

// "4.2 bn" for yuan figures of the text table.
std::string yuan(double v) {
  if (v >= 1e9) return fixed(v / 1e9, 2) + " bn";
  if (v >= 1e6) return fixed(v / 1e6, 2) + " m";
  return thousands(v);
}

std::string money_text(const PlantSummary& sum) {
  const MoneySummary& m = sum.money;
  if (!m.has_prices && !m.investment) return "";
  std::string out = "  money (yuan):";
  if (m.has_prices) {
    out += " output worth " + yuan(m.annual_value.mean) + " a year";
    for (std::size_t y = 0; y < sum.years.size(); ++y) {
      out += std::string(y == 0 ? " (" : ", ") + std::to_string(sum.years[y].year) +
             (sum.years[y].whole ? "" : " (part)") + ": " + yuan(m.year_value[y].mean);
    }
    out += sum.years.empty() ? "" : ")";
    if (!sum.bottleneck.empty())
      out += "; an hour of " + sum.bottleneck + " is worth " + yuan(m.bottleneck_hour_value.mean);
  }
  if (m.investment) {
    out += std::string(m.has_prices ? ";" : "") + " investment " + yuan(*m.investment) + " = " +
           thousands(m.investment_per_capacity) + " per vehicle a year of capacity, " +
           thousands(m.investment_per_vehicle) + " per vehicle a year projected";
  }
  return out + "\n";
}

// "  built in 2023 (whole year): 149,613 of a 150,000 nameplate (99.7%)", a line per year.
std::string years_text(const PlantSummary& sum) {
  std::string text;
  for (const YearSummary& y : sum.years) {
    text += "  built in " + std::to_string(y.year) + (y.whole ? " (whole year): " : " (part): ") +
            thousands(y.output.mean);
    if (y.nameplate <= 0) {
      text +=
          " (no nameplate: none of the plant's working hours in it, before its start of "
          "production or off its calendar)";
    }
    if (y.nameplate > 0) {
      text += " of a " + thousands(y.nameplate) + " nameplate (" +
              fixed(100 * y.output.mean / y.nameplate, 1) + "%)";
    }
    text += "\n";
  }
  return text;
}

// "  limited by: not_started 2023-01..2023-02, ramp_up 2023-03..2023-04, capacity
// 2023-05..2023-12": runs of months with the same limit (the most frequent over replications).
std::string limits_text(const PlantSummary& sum, const models::CalendarDate& start) {
  std::string text;
  for (std::size_t m = 0; m < sum.months.size();) {
    std::size_t last = m;
    while (last + 1 < sum.months.size() &&
           sum.months[last + 1].limited_by == sum.months[m].limited_by)
      ++last;
    text += (text.empty() ? "  limited by: " : ", ") +
            std::string(models::month_limit_name(sum.months[m].limited_by)) + " " +
            month_label(start, m) + (last > m ? ".." + month_label(start, last) : "");
    m = last + 1;
  }
  return text.empty() ? text : text + "\n";
}

// Orders by product: per product, the run's orders and output and the backlog at its end.
std::string product_orders_text(const PlantSummary& sum) {
  if (sum.months.empty() || sum.months.front().products.empty()) return "";
  std::string text;
  for (std::size_t v = 0; v < sum.months.front().products.size(); ++v) {
    double orders = 0, built = 0;
    for (const MonthSummary& x : sum.months) {
      orders += static_cast<double>(x.products[v].orders);
      built += x.products[v].output.mean;
    }
    const ProductMonthSummary& last = sum.months.back().products[v];
    text += "  " + pad(last.name, 12, true) + " orders " + thousands(orders) + ", built " +
            thousands(built) + ", backlog at the end " + thousands(last.backlog.mean) + "\n";
  }
  return text;
}

// A plant with an order plan: a line per month of orders, built, shipped and stock (make to
// stock), backlog or lost, and limit.
std::string orders_text(const PlantSummary& sum, const models::CalendarDate& start) {
  if (!sum.has_orders) return "";
  const bool stock = sum.has_storage;
  std::string text = "  " + pad("month", 9, true) + pad("orders", 10) + pad("built", 10) +
                     (stock ? pad("shipped", 10) + pad("stock", 10) : "") + pad("backlog", 10) +
                     pad("lost", 10) + "  limited by\n";
  // Months before production with nothing ordered say nothing: one line covers them.
  std::size_t m = 0;
  const auto idle = [&sum](std::size_t i) {
    const MonthSummary& x = sum.months[i];
    return x.limited_by == models::MonthLimit::kNotStarted && x.limited_share == 1 &&
           x.orders.value_or(0) == 0 && x.output.mean == 0;
  };
  while (m < sum.months.size() && idle(m)) ++m;
  if (m > 1) {
    text += "  " + month_label(start, 0) + ".." + month_label(start, m - 1) +
            ": not started, no orders\n";
  } else {
    m = 0;
  }
  // A count wider than its column (orders of a billion) keeps a space before it rather than
  // running into the count on its left.
  const auto count = [](double v) {
    const std::string digits = thousands(v);
    return digits.size() < 10 ? pad(digits, 10) : " " + digits;
  };
  for (; m < sum.months.size(); ++m) {
    const MonthSummary& x = sum.months[m];
    text += "  " + pad(month_label(start, m), 9, true) + count(double(x.orders.value_or(0))) +
            count(x.output.mean) + (stock ? count(x.shipped.mean) + count(x.stock.mean) : "") +
            count(x.backlog.mean) + count(x.lost.mean) + "  " +
            models::month_limit_name(x.limited_by) +
            (x.limited_share < 1 ? " (" + fixed(100 * x.limited_share, 0) + "%)" : "") + "\n";
  }
  return text + product_orders_text(sum);
}

namespace {

// "  shifting bottleneck (share of working time, sole or shifting): trim 41% (sole 38%, shifting
// 3%, led 6 of 10), ...; trim, chassis: within noise": the top three.
std::string shifting_text(const PlantSummary& sum, int replications) {
  std::vector<const StationSummary*> top;
  for (const StationSummary& st : sum.stations) {
    if (st.bottleneck.mean > 0) top.push_back(&st);
  }
  if (top.empty()) return "";
  std::stable_sort(top.begin(), top.end(), [](const auto* a, const auto* b) {
    return a->bottleneck.mean > b->bottleneck.mean;
  });
  if (top.size() > 3) top.resize(3);
  std::string text = "  shifting bottleneck (share of working time, sole or shifting): ";
  for (std::size_t i = 0; i < top.size(); ++i) {
    const StationSummary& st = *top[i];
    text += (i > 0 ? ", " : "") + st.name + " " + fixed(100 * st.bottleneck.mean, 0) + "% (sole " +
            fixed(100 * st.sole.mean, 0) + "%, shifting " + fixed(100 * st.shifting.mean, 0) +
            "%, led " + std::to_string(st.led) + " of " + std::to_string(replications) + ")";
  }
  if (!sum.within_noise.empty()) {
    text += "; ";
    for (std::size_t i = 0; i < sum.within_noise.size(); ++i)
      text += (i > 0 ? ", " : "") + sum.within_noise[i];
    text += ": within noise";
  }
  return text + "\n";
}

}  // namespace

std::string format_text(const RunResult& r) {
  const Scenario& s = r.scenario;
  std::ostringstream out;
  out << "takt " << program_version() << ": scenario " << s.name << " (" << s.file << ")\n"
      << s.replications << " replication" << (s.replications == 1 ? "" : "s") << " of "
      << s.start.to_string() << " to " << s.last_day().to_string() << " ("
      << format_duration(s.horizon) << "), warm-up " << format_duration(s.warmup) << ", seed "
      << s.seed << ", run " << run_id(s) << "\n";
  if (!s.edits.empty()) out << "edits: " << edits_text(s) << "\n";
  if (r.precision) out << detail::precision_text(*r.precision) << "\n";
  out << "\n"
      << pad("plant", 14, true) << pad("capacity/yr", 12) << pad("annual rate, extrapolated", 27)
      << pad("95% interval", 24) << pad("of capacity", 13) << "  bottleneck\n";
  std::vector<PlantSummary> sums;
  for (const PlantRuns& p : r.plants) sums.push_back(summarize_plant(p));
  for (const PlantSummary& sum : sums) {
    out << pad(sum.name, 14, true) << pad(thousands(sum.capacity), 12)
        << pad(thousands(sum.annual_rate.mean), 27) << pad(interval_text(sum.annual_rate), 24)
        << pad(fixed(100 * sum.capacity_ratio.mean, 1) + "%", 13) << "  "
        << (sum.bottleneck.empty() ? "none" : sum.bottleneck_shop + "/" + sum.bottleneck) << "\n";
  }
  out << "\n";
  for (const PlantSummary& sum : sums) {
    out << sum.name << ": " << fixed(sum.throughput_per_hour.mean, 2)
        << " vehicles per calendar hour, WIP " << fixed(sum.wip.mean, 0) << ", lead time "
        << fixed(sum.lead_time_hours.mean, 1) << " h";
    for (const StationSummary& st : sum.stations) {
      if (st.name == sum.bottleneck) out << "; bottleneck " << st.name << ": " << shares_text(st);
    }
    out << "\n";
    out << shifting_text(sum, s.replications) << years_text(sum) << money_text(sum)
        << limits_text(sum, s.start) << orders_text(sum, s.start);
    if (!has_ramp_up(sum)) continue;
    out << "  ramp-up against the nameplate on each month's working days: 80% "
        << reach_text(sum.months_to_80) << "; 90% " << reach_text(sum.months_to_90) << "\n";
  }
  out << "\n" << r.events << " events\n";
  return out.str();
}

namespace {

// "money", with prices or an investment given (docs/output-format.md).
template <class Estimate>
void put_money(JsonWriter& j, const PlantSummary& sum, Estimate est) {
  const MoneySummary& m = sum.money;
  if (!m.has_prices && !m.investment) return;
  j.begin_object("money");
  if (m.has_prices) {
    est("annual_value", m.annual_value);
    j.begin_array("calendar_years");
    for (std::size_t y = 0; y < sum.years.size(); ++y) {
      j.begin_object().integer("year", sum.years[y].year);
      est("value", m.year_value[y]);
      j.end_object();
    }
    j.end_array();
    j.value("bottleneck", sum.bottleneck);
    est("bottleneck_hour_value", m.bottleneck_hour_value);
  }
  if (m.investment) {
    j.value("investment", *m.investment)
        .value("investment_per_capacity", m.investment_per_capacity)
        .value("investment_per_vehicle", m.investment_per_vehicle);
  }
  j.end_object();
}

void put_reach(JsonWriter& j, const char* key, const ReachSummary& r) {
  j.begin_object(key)
      .integer("reached", static_cast<long long>(r.reached))
      .integer("not_reached", static_cast<long long>(r.not_reached))
      .raw("mean", json_number_or_null(r.mean))
      .raw("ci95", r.ci_low ? "[" + json_number(*r.ci_low) + ", " + json_number(*r.ci_high) + "]"
                            : std::string("null"))
      .raw("p10", json_number_or_null(r.p10))
      .raw("p50", json_number_or_null(r.p50))
      .raw("p90", json_number_or_null(r.p90))
      .end_object();
}

void put_station(JsonWriter& j, const StationSummary& st) {
  j.begin_object().value("name", st.name).value("shop", st.shop).value("kind", st.kind);
  for (std::size_t state = 0; state < models::kStateCount; ++state)
    j.value(models::kStateNames[state], st.shares[state]);
  j.begin_object("scheduled");
  for (std::size_t state = 0; state < models::kStateCount; ++state) {
    if (models::is_scheduled(static_cast<models::StationState>(state)))
      j.value(models::kStateNames[state], st.scheduled[state]);
  }
  j.end_object().begin_object("bottleneck");
  const auto est = [&](const char* key, const experiment::Summary& x) {
    j.estimate(key, x.mean, x.ci_low, x.ci_high, x.p10, x.p50, x.p90, x.n >= 2);
  };
  est("sole", st.sole);
  est("shifting", st.shifting);
  est("either", st.bottleneck);
  j.integer("led", st.led).end_object().end_object();
}

}  // namespace

std::string summary_json(const RunResult& r) {
  const Scenario& s = r.scenario;
  JsonWriter j;
  j.begin_object().value("run", run_id(s)).value("scenario", s.name).begin_array("edits");
  for (const std::string& e : s.edits) j.value("", e);
  j.end_array()
      .value("start", s.start.to_string())
      .value("end", s.last_day().to_string())
      .value("horizon_hours", s.horizon.to_hours())
      .value("warmup_hours", s.warmup.to_hours())
      .integer("replications", s.replications)
      .integer("seed", static_cast<long long>(s.seed));
  if (r.precision) detail::precision_json(j, *r.precision);
  j.begin_array("warnings");
  for (const std::string& w : s.warnings) j.value("", w);
  j.end_array().begin_array("plants");
  for (const PlantRuns& p : r.plants) {
    const PlantSummary sum = summarize_plant(p);
    auto est = [&](const char* key, const experiment::Summary& x) {
      j.estimate(key, x.mean, x.ci_low, x.ci_high, x.p10, x.p50, x.p90, x.n >= 2);
    };
    j.begin_object().value("name", p.name).value("capacity", p.capacity);
    est("throughput_per_hour", sum.throughput_per_hour);
    est("output", sum.output);
    est("annual_rate", sum.annual_rate);
    est("capacity_ratio", sum.capacity_ratio);
    est("wip", sum.wip);
    est("lead_time_hours", sum.lead_time_hours);
    j.begin_array("calendar_years");
    for (const YearSummary& y : sum.years) {
      j.begin_object().integer("year", y.year).raw("whole", y.whole ? "true" : "false");
      est("output", y.output);
      j.value("nameplate", y.nameplate).end_object();
    }
    j.end_array();
    j.begin_array("months");
    for (std::size_t m = 0; m < sum.months.size(); ++m) {
      const MonthSummary& x = sum.months[m];
      j.begin_object().value("month", month_label(s.start, m));
      j.raw("orders", x.orders ? std::to_string(*x.orders) : std::string("null"));
      est("output", x.output);
      if (x.orders) {
        est("backlog", x.backlog);
        est("lost_orders", x.lost);
      }
      if (x.orders && sum.has_storage) {
        est("shipped", x.shipped);
        est("stock", x.stock);
      }
      if (!x.products.empty()) {
        j.begin_array("products");
        for (const ProductMonthSummary& pm : x.products) {
          j.begin_object().value("name", pm.name).raw("orders", std::to_string(pm.orders));
          est("output", pm.output);
          est("backlog", pm.backlog);
          est("lost_orders", pm.lost);
          j.end_object();
        }
        j.end_array();
      }
      j.value("limited_by", models::month_limit_name(x.limited_by))
          .value("limited_share", x.limited_share)
          .end_object();
    }
    j.end_array();
    put_reach(j, "months_to_80", sum.months_to_80);
    put_reach(j, "months_to_90", sum.months_to_90);
    put_money(j, sum, est);
    using K = models::PlantKpis;
    est("arrivals_lost",
        over_replications(p, [](const K& k) { return static_cast<double>(k.arrivals_lost); }));
    est("rework_visits",
        over_replications(p, [](const K& k) { return static_cast<double>(k.rework_visits); }));
    est("reworked",
        over_replications(p, [](const K& k) { return static_cast<double>(k.reworked); }));
    j.begin_array("products");
    const std::size_t products = p.replications.empty() ? 0 : p.replications[0].products.size();
    for (std::size_t v = 0; v < products; ++v) {
      j.begin_object().value("name", p.replications[0].products[v].name);
      est("output", over_replications(
                        p, [v](const K& k) { return static_cast<double>(k.products[v].output); }));
      j.end_object();
    }
    j.end_array().value("bottleneck", sum.bottleneck).begin_array("bottleneck_within_noise");
    for (const std::string& name : sum.within_noise) j.value("", name);
    j.end_array().begin_array("stations");
    for (const StationSummary& st : sum.stations) put_station(j, st);
    j.end_array().end_object();
  }
  j.end_array().end_object();
  return j.str();
}

std::string manifest_json(const RunResult& r, const std::string& command_line) {
  const Scenario& s = r.scenario;
  JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("run", run_id(s))
      .value("scenario", s.name)
      .value("scenario_file", s.file)
      .value("scenario_hash", s.hash)
      .integer("seed", static_cast<long long>(s.seed))
      .integer("replications", s.replications)
      .begin_array("edits");
  for (const std::string& e : s.edits) j.value("", e);
  j.end_array()
      .value("start", s.start.to_string())
      .value("horizon", format_duration(s.horizon))
      .value("warmup", format_duration(s.warmup))
      .value("command_line", command_line);
  if (r.precision) detail::precision_json(j, *r.precision);
  j.end_object();
  return j.str();
}

std::vector<std::pair<std::string, std::string>> output_files(const RunResult& r,
                                                              const std::string& command_line) {
  return {{"summary.json", summary_json(r)}, {"results.csv", results_csv(r)},
          {"monthly.csv", monthly_csv(r)},   {"stations.csv", stations_csv(r)},
          {"flows.csv", flows_csv(r)},       {"manifest.json", manifest_json(r, command_line)}};
}

std::vector<std::string> output_file_names() {
  return {"summary.json", "results.csv", "monthly.csv",
          "stations.csv", "flows.csv",   "manifest.json"};
}

}  // namespace takt::run
