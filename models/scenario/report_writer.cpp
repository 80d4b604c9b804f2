// Formats run results. Nothing here computes a figure that the summary does not already hold.
#include "takt/scenario/report_writer.hpp"

#include <cstdio>
#include <sstream>

#include "json_writer.hpp"
#include "takt/models/station_state.hpp"

namespace takt::scenario {
namespace {

using detail::csv_field;
using detail::json_number;
using detail::JsonWriter;

#ifndef TAKT_VERSION
#define TAKT_VERSION "0.0.0"
#endif

// 142310.4 -> "142,310"
std::string thousands(double v) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.0f", v);
  std::string s = digits, out;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return negative ? "-" + out : out;
}

std::string fixed(double v, int decimals) {
  char text[40];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

std::string pad(std::string s, std::size_t width, bool left = false) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return left ? s + fill : fill + s;
}

std::string month_label(const models::CalendarDate& start, std::size_t m) {
  int year = start.year(), month = start.month() + static_cast<int>(m);
  year += (month - 1) / 12;
  month = (month - 1) % 12 + 1;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

}  // namespace

const char* program_version() { return TAKT_VERSION; }

std::string format_text(const RunResult& r) {
  const Scenario& s = r.scenario;
  std::ostringstream out;
  out << "takt " << program_version() << ": scenario " << s.name << " (" << s.file << ")\n"
      << s.replications << " replications of " << format_duration(s.horizon) << " from "
      << s.start.to_string() << ", warm-up " << format_duration(s.warmup) << ", seed " << s.seed
      << "\n\n";
  out << pad("plant", 14, true) << pad("capacity/yr", 12) << pad("projected annual output", 26)
      << pad("95% interval", 24) << pad("of capacity", 13) << "  bottleneck\n";
  for (const PlantRuns& p : r.plants) {
    const PlantSummary sum = summarize_plant(p);
    out << pad(p.name, 14, true) << pad(thousands(p.capacity), 12)
        << pad(thousands(sum.annual_output.mean), 26)
        << pad(thousands(sum.annual_output.ci_low) + " - " + thousands(sum.annual_output.ci_high),
               24)
        << pad(fixed(100 * sum.capacity_ratio.mean, 1) + "%", 13) << "  " << sum.bottleneck_shop
        << "/" << sum.bottleneck << "\n";
  }
  out << "\n";
  for (const PlantRuns& p : r.plants) {
    const PlantSummary sum = summarize_plant(p);
    out << p.name << ": " << fixed(sum.throughput_per_hour.mean, 2)
        << " vehicles per calendar hour, WIP " << fixed(sum.wip.mean, 0) << ", lead time "
        << fixed(sum.lead_time_hours.mean, 1) << " h";
    for (const StationSummary& st : sum.stations) {
      if (st.name != sum.bottleneck) continue;
      out << "; bottleneck " << st.name << " working "
          << fixed(100 * st.shares[models::kWorking], 1) << "%, down "
          << fixed(100 * st.shares[models::kDown], 1) << "%, setup "
          << fixed(100 * st.shares[models::kSetup], 1) << "%";
    }
    out << "\n";
  }
  out << "\n" << r.events << " events in " << fixed(r.wall_seconds, 2) << " s\n";
  return out.str();
}

std::string summary_json(const RunResult& r) {
  const Scenario& s = r.scenario;
  JsonWriter j;
  j.begin_object()
      .value("scenario", s.name)
      .value("start", s.start.to_string())
      .value("horizon_hours", s.horizon.to_hours())
      .value("warmup_hours", s.warmup.to_hours())
      .integer("replications", s.replications)
      .integer("seed", static_cast<long long>(s.seed))
      .begin_array("plants");
  for (const PlantRuns& p : r.plants) {
    const PlantSummary sum = summarize_plant(p);
    auto est = [&](const char* key, const sim::Summary& x) {
      j.estimate(key, x.mean, x.ci_low, x.ci_high, x.p10, x.p50, x.p90);
    };
    j.begin_object().value("name", p.name).value("capacity", p.capacity);
    est("throughput_per_hour", sum.throughput_per_hour);
    est("output", sum.output);
    est("annual_output", sum.annual_output);
    est("capacity_ratio", sum.capacity_ratio);
    est("wip", sum.wip);
    est("lead_time_hours", sum.lead_time_hours);
    j.value("bottleneck", sum.bottleneck).begin_array("stations");
    for (const StationSummary& st : sum.stations) {
      j.begin_object().value("name", st.name).value("shop", st.shop).value("kind", st.kind);
      for (std::size_t state = 0; state < models::kStateCount; ++state) {
        j.value(models::kStateNames[state], st.shares[state]);
      }
      j.end_object();
    }
    j.end_array().end_object();
  }
  j.end_array().end_object();
  return j.str();
}

std::string results_csv(const RunResult& r, const std::string& run_id) {
  std::ostringstream out;
  out << "run,scenario,replication,plant,entity,metric,value,unit\n";
  const std::string prefix = csv_field(run_id) + "," + csv_field(r.scenario.name) + ",";
  for (const PlantRuns& p : r.plants) {
    for (std::size_t rep = 0; rep < p.replications.size(); ++rep) {
      const models::PlantKpis& k = p.replications[rep];
      const std::string row = prefix + std::to_string(rep) + "," + csv_field(p.name) + ",";
      auto put = [&](const std::string& entity, const char* metric, double v, const char* unit) {
        out << row << csv_field(entity) << "," << metric << "," << json_number(v) << "," << unit
            << "\n";
      };
      put(p.name, "output", static_cast<double>(k.output), "vehicles");
      put(p.name, "throughput_per_hour", k.throughput_per_hour, "vehicles/h");
      put(p.name, "annual_output", k.annual_output, "vehicles/yr");
      put(p.name, "capacity_ratio", k.capacity_ratio, "ratio");
      put(p.name, "wip", k.wip, "vehicles");
      put(p.name, "lead_time", k.lead_time_hours, "h");
      for (const models::StationKpi& st : k.stations) {
        for (std::size_t state = 0; state < models::kStateCount; ++state) {
          put(st.name, models::kStateNames[state], st.shares[state], "share");
        }
        put(st.name, "completed", static_cast<double>(st.completed), "jobs");
        put(st.name, "failures", static_cast<double>(st.failures), "count");
      }
      for (const models::BufferKpi& b : k.buffers) {
        put(b.name, "mean_occupancy", b.mean, "jobs");
        put(b.name, "max_occupancy", b.max, "jobs");
        put(b.name, "share_empty", b.share_empty, "share");
        put(b.name, "share_full", b.share_full, "share");
      }
    }
  }
  return out.str();
}

std::string monthly_csv(const RunResult& r) {
  std::ostringstream out;
  out << "scenario,replication,plant,month,output\n";
  for (const PlantRuns& p : r.plants) {
    for (std::size_t rep = 0; rep < p.replications.size(); ++rep) {
      const auto& monthly = p.replications[rep].monthly;
      for (std::size_t m = 0; m < monthly.size(); ++m) {
        out << csv_field(r.scenario.name) << "," << rep << "," << csv_field(p.name) << ","
            << month_label(r.scenario.start, m) << "," << monthly[m] << "\n";
      }
    }
  }
  return out.str();
}

std::string stations_csv(const RunResult& r) {
  std::ostringstream out;
  out << "scenario,replication,plant,shop,station,kind";
  for (const char* state : models::kStateNames) out << "," << state;
  out << "\n";
  for (const PlantRuns& p : r.plants) {
    for (std::size_t rep = 0; rep < p.replications.size(); ++rep) {
      for (const models::StationKpi& st : p.replications[rep].stations) {
        out << csv_field(r.scenario.name) << "," << rep << "," << csv_field(p.name) << ","
            << csv_field(st.shop) << "," << csv_field(st.name) << "," << st.kind;
        for (const double share : st.shares) out << "," << json_number(share);
        out << "\n";
      }
    }
  }
  return out.str();
}

std::string manifest_json(const RunResult& r, const std::string& command_line) {
  const Scenario& s = r.scenario;
  JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("scenario", s.name)
      .value("scenario_file", s.file)
      .value("scenario_hash", s.hash)
      .integer("seed", static_cast<long long>(s.seed))
      .integer("replications", s.replications)
      .value("start", s.start.to_string())
      .value("horizon", format_duration(s.horizon))
      .value("warmup", format_duration(s.warmup))
      .value("command_line", command_line)
      .end_object();
  return j.str();
}

std::vector<std::pair<std::string, std::string>> output_files(const RunResult& r,
                                                              const std::string& command_line) {
  return {{"summary.json", summary_json(r)},
          {"results.csv", results_csv(r)},
          {"monthly.csv", monthly_csv(r)},
          {"stations.csv", stations_csv(r)},
          {"manifest.json", manifest_json(r, command_line)}};
}

std::vector<std::string> output_file_names() {
  return {"summary.json", "results.csv", "monthly.csv", "stations.csv", "manifest.json"};
}

}  // namespace takt::scenario
