// The tidy CSV tables of a run. Every row starts with the same five columns that identify it,
// so the tables of several runs can be concatenated without duplicate keys; every value has a
// unit column beside it.
#include <cstdio>
#include <map>
#include <sstream>

#include "json_writer.hpp"
#include "takt/models/station_state.hpp"
#include "takt/run/report_writer.hpp"

namespace takt::run {
namespace {

using detail::csv_field;
using detail::json_number;

constexpr const char* kKeyColumns = "run,scenario,edits,replication,plant";

// Writes the key columns of one (plant, replication) in front of each row.
class Rows {
 public:
  Rows(std::ostringstream& out, const RunResult& r, const std::string& plant, std::size_t rep)
      : out_(out),
        key_(run_id(r.scenario) + "," + csv_field(r.scenario.name) + "," +
             csv_field(edits_text(r.scenario)) + "," + std::to_string(rep) + "," +
             csv_field(plant) + ",") {}

  std::ostream& row() { return out_ << key_; }

 private:
  std::ostringstream& out_;
  std::string key_;
};

// Calls `each(plant runs, replication, its KPIs)` in (plant, replication) order.
template <class Each>
void for_each_run(const RunResult& r, Each each) {
  for (const PlantRuns& p : r.plants) {
    for (std::size_t rep = 0; rep < p.replications.size(); ++rep) each(p, rep, p.replications[rep]);
  }
}

std::string count(std::uint64_t n) { return std::to_string(n); }

// "2023-01-02T06:30:12.345": the date and clock time of simulated time `t`, to the millisecond.
std::string date_time(const models::CalendarDate& start, sim::Time t) {
  const sim::Time::Rep per_day = sim::Time::days(1).count();
  const sim::Time::Rep day = t.count() / per_day;
  const sim::Time::Rep ms = (t.count() % per_day) / (sim::Time::kTicksPerSecond / 1000);
  char clock[32];
  std::snprintf(clock, sizeof clock, "T%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return (start + day).to_string() + clock;
}

}  // namespace

std::string month_label(const models::CalendarDate& start, std::size_t m) {
  int year = start.year(), month = start.month() + static_cast<int>(m);
  year += (month - 1) / 12;
  month = (month - 1) % 12 + 1;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

std::string results_csv(const RunResult& r) {
  std::ostringstream out;
  out << kKeyColumns << ",entity,metric,value,unit\n";
  for_each_run(r, [&](const PlantRuns& p, std::size_t rep, const models::PlantKpis& k) {
    Rows rows(out, r, p.name, rep);
    auto put = [&](const std::string& entity, const char* metric, const std::string& v,
                   const char* unit) {
      rows.row() << csv_field(entity) << "," << metric << "," << v << "," << unit << "\n";
    };
    auto months = [](int m) { return m > 0 ? std::to_string(m) : std::string(); };
    put(p.name, "output", count(k.output), "vehicles");
    put(p.name, "throughput_per_hour", json_number(k.throughput_per_hour), "vehicles/h");
    put(p.name, "annual_rate", json_number(k.annual_rate), "vehicles/yr");
    put(p.name, "capacity_ratio", json_number(k.capacity_ratio), "ratio");
    put(p.name, "wip", json_number(k.wip), "vehicles");
    put(p.name, "lead_time", json_number(k.lead_time_hours), "h");
    // Empty when the level is never reached in the horizon.
    put(p.name, "months_to_80", months(months_to_reach(k, 0.8)), "months");
    put(p.name, "months_to_90", months(months_to_reach(k, 0.9)), "months");
    if (!p.prices.empty())
      put(p.name, "annual_value", json_number(k.annual_rate * mean_price(p, k)), "yuan/yr");
    put(p.name, "arrivals_lost", count(k.arrivals_lost), "vehicles");
    put(p.name, "rework_visits", count(k.rework_visits), "visits");
    put(p.name, "reworked", count(k.reworked), "vehicles");
    for (const models::ProductKpi& product : k.products)
      put(product.name, "product_output", count(product.output), "vehicles");
    for (const models::StationKpi& st : k.stations) {
      put(st.name, "completed", count(st.completed), "jobs");
      put(st.name, "failures", count(st.failures), "count");
      put(st.name, "setups", count(st.setups), "count");
      put(st.name, "changeovers", count(st.changeovers), "count");
      std::uint64_t rework = 0;
      for (const models::RouteKpi& route : st.routes) rework += route.is_rework ? route.jobs : 0;
      put(st.name, "rework_sent", count(rework), "jobs");
      put(st.name, "bottleneck_sole", json_number(st.bottleneck_sole), "share");
      put(st.name, "bottleneck_shifting", json_number(st.bottleneck_shifting), "share");
    }
    for (const models::BufferKpi& b : k.buffers) {
      put(b.name, "capacity", b.capacity < 0 ? "" : json_number(b.capacity), "jobs");
      put(b.name, "mean_occupancy", json_number(b.mean), "jobs");
      put(b.name, "max_occupancy", json_number(b.max), "jobs");
      put(b.name, "share_empty", json_number(b.share_empty), "share");
      put(b.name, "share_full", json_number(b.share_full), "share");
      put(b.name, "throughput_per_hour", json_number(b.throughput_per_hour), "jobs/h");
      put(b.name, "mean_wait", json_number(b.mean_wait_hours), "h");
    }
  });
  return out.str();
}

std::string monthly_csv(const RunResult& r) {
  std::ostringstream out;
  out << kKeyColumns << ",month,limited_by,entity,metric,value,unit\n";
  for_each_run(r, [&](const PlantRuns& p, std::size_t rep, const models::PlantKpis& k) {
    Rows rows(out, r, p.name, rep);
    for (std::size_t m = 0; m < k.monthly.size(); ++m) {
      const std::string month =
          month_label(r.scenario.start, m) + "," +
          (m < k.monthly_limit.size() ? models::month_limit_name(k.monthly_limit[m]) : "") + ",";
      auto put = [&](const char* metric, const std::string& value, const char* unit) {
        rows.row() << month << "," << metric << "," << value << "," << unit << "\n";
      };
      put("output", count(k.monthly[m]), "vehicles");
      if (m < k.monthly_nameplate.size()) {
        put("nameplate", json_number(k.monthly_nameplate[m]), "vehicles");
        put("scheduled_hours", json_number(k.monthly_scheduled_hours[m]), "h");
      }
      // The month's shifting bottlenecks: each station that was one at some sampled moment.
      for (const models::StationKpi& st : k.stations) {
        const double sole = m < st.monthly_sole.size() ? st.monthly_sole[m] : 0;
        const double shifting = m < st.monthly_shifting.size() ? st.monthly_shifting[m] : 0;
        if (sole + shifting <= 0) continue;
        rows.row() << month << csv_field(st.name) << ",bottleneck_sole," << json_number(sole)
                   << ",share\n";
        rows.row() << month << csv_field(st.name) << ",bottleneck_shifting,"
                   << json_number(shifting) << ",share\n";
      }
      if (m >= k.monthly_orders.size()) continue;
      put("orders", count(k.monthly_orders[m]), "vehicles");
      put("backlog", count(k.monthly_backlog[m]), "vehicles");
      put("lost_orders", count(k.monthly_lost[m]), "vehicles");
      if (m < k.monthly_shipped.size()) {
        put("shipped", count(k.monthly_shipped[m]), "vehicles");
        put("stock", count(k.monthly_stock[m]), "vehicles");
      }
      // Orders by product: the product's rows, their metrics named apart from the plant's so
      // that summing `output` rows still counts each vehicle once.
      for (std::size_t v = 0; v < k.product_months.size(); ++v) {
        const models::ProductMonths& pm = k.product_months[v];
        const auto product = [&](const char* metric, std::uint64_t value) {
          rows.row() << month << csv_field(k.products[v].name) << "," << metric << ","
                     << count(value) << ",vehicles\n";
        };
        product("product_orders", pm.orders[m]);
        product("product_output", pm.output[m]);
        product("product_backlog", pm.backlog[m]);
        product("product_lost_orders", pm.lost[m]);
      }
    }
  });
  return out.str();
}

std::string stations_csv(const RunResult& r) {
  std::ostringstream out;
  out << kKeyColumns
      << ",position,shop,station,kind,state,of_calendar_time,of_scheduled_time,unit\n";
  for_each_run(r, [&](const PlantRuns& p, std::size_t rep, const models::PlantKpis& k) {
    Rows rows(out, r, p.name, rep);
    for (std::size_t i = 0; i < k.stations.size(); ++i) {
      const models::StationKpi& st = k.stations[i];
      const auto scheduled = scheduled_shares(st.shares);
      // Equipment never scheduled in the window has no shares of scheduled time (not zeros,
      // which would not add up to 1).
      const bool was_scheduled =
          1.0 - st.shares[models::kOffShift] - st.shares[models::kNotStarted] > 1e-12;
      for (std::size_t state = 0; state < models::kStateCount; ++state) {
        rows.row() << i + 1 << "," << csv_field(st.shop) << "," << csv_field(st.name) << ","
                   << st.kind << "," << models::kStateNames[state] << ","
                   << json_number(st.shares[state]) << ","
                   << (was_scheduled &&
                               models::is_scheduled(static_cast<models::StationState>(state))
                           ? json_number(scheduled[state])
                           : "")
                   << ",share\n";
      }
    }
  });
  return out.str();
}

std::string flows_csv(const RunResult& r) {
  std::ostringstream out;
  out << kKeyColumns << ",from,to,route,jobs,unit\n";
  for_each_run(r, [&](const PlantRuns& p, std::size_t rep, const models::PlantKpis& k) {
    Rows rows(out, r, p.name, rep);
    for (const models::StationKpi& st : k.stations) {
      std::uint64_t routed = 0;
      for (const models::RouteKpi& route : st.routes) routed += route.jobs;
      // Jobs finished before the warm-up's end may be routed after it: never below zero.
      const std::uint64_t on_line = st.completed > routed ? st.completed - routed : 0;
      rows.row() << csv_field(st.name) << "," << csv_field(st.output) << ",line," << on_line
                 << ",jobs\n";
      for (const models::RouteKpi& route : st.routes) {
        rows.row() << csv_field(st.name) << "," << csv_field(route.to) << ","
                   << (route.is_rework ? "rework" : "branch") << "," << route.jobs << ",jobs\n";
      }
    }
  });
  return out.str();
}

std::string trace_csv_header() {
  return std::string(kKeyColumns) + ",shop,station,slot,begin,end,begin_h,end_h,state,job,product";
}

std::string trace_csv(const RunResult& r) {
  std::ostringstream out;
  out << trace_csv_header() << "\n";
  if (!r.trace) return out.str();
  const std::size_t rep = r.trace->replication;
  for (std::size_t p = 0; p < r.trace_by_plant.size(); ++p) {
    const PlantRuns& runs = r.plants[p];
    const models::PlantKpis& k = runs.replications[rep];
    const models::PlantSpec& spec = r.scenario.plants[p];
    std::map<std::string, std::string> shop;
    for (const models::StationKpi& st : k.stations) shop[st.name] = st.shop;
    Rows rows(out, r, runs.name, rep);
    for (const TraceInterval& t : r.trace_by_plant[p]) {
      const std::string product =
          t.has_job && t.job.variant < spec.products.size() ? spec.products[t.job.variant] : "";
      // A server of a station whose servers fail alone ("weld@2") is in its station's shop.
      const std::string station = t.equipment.substr(0, t.equipment.rfind('@'));
      rows.row() << csv_field(shop.count(t.equipment) ? shop[t.equipment] : shop[station]) << ","
                 << csv_field(t.equipment) << "," << t.slot << ","
                 << date_time(r.scenario.start, t.begin) << ","
                 << date_time(r.scenario.start, t.end) << "," << json_number(t.begin.to_hours())
                 << "," << json_number(t.end.to_hours()) << "," << models::kStateNames[t.state]
                 << "," << (t.has_job ? std::to_string(t.job.id) : "") << "," << csv_field(product)
                 << "\n";
    }
  }
  return out.str();
}

}  // namespace takt::run
