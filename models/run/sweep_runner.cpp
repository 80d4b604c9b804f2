// Runs a sweep: (point, plant, replication) tasks on threads, each point saved atomically as
// soon as its last replication ends, and the final tidy tables assembled from the saved points
// in point order. Saved points are the only state, so an interrupted sweep resumes where it
// stopped and any sharding, thread count or interruption gives the same bytes.
#include "takt/run/sweep_runner.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "json_writer.hpp"
#include "takt/experiment/atomic_file.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/point_store.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/experiment/read_file.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::run {
namespace {

using detail::csv_field;
using detail::json_number;
namespace fs = std::filesystem;

// A saved point holds the rows of each final table under a "#NAME" line, with the header.
constexpr const char* kTables[] = {"runs.csv", "points.csv", "monthly.csv"};

std::string factor_header(const SweepSpec& spec) {
  std::string h;
  for (const auto& f : spec.design.factors) h += "," + csv_field(f.path);
  return h;
}

// "SWEEP_ID,POINT,FACTOR VALUES...": what identifies a point's rows.
std::string point_key(const SweepSpec& spec, std::size_t point) {
  std::string v = spec.id + "," + std::to_string(point);
  for (const std::string& x : spec.rows[point]) v += "," + csv_field(x);
  return v;
}

std::string months_text(int months) { return months < 0 ? "" : std::to_string(months); }

std::string optional_number(const std::optional<double>& v) {
  return v ? json_number(*v) : std::string();
}

void put_stats(std::ostringstream& out, const std::string& prefix, const char* metric,
               const std::vector<double>& values, const char* unit) {
  const experiment::Summary s = experiment::summarize(values);
  out << prefix << metric << "," << values.size() << ",0," << json_number(s.mean) << ","
      << (s.n < 2 ? "" : json_number(s.ci_low)) << "," << (s.n < 2 ? "" : json_number(s.ci_high));
  for (const double v : {s.p10, s.p50, s.p90}) out << "," << json_number(v);
  out << "," << unit << "\n";
}

void put_reach(std::ostringstream& out, const std::string& prefix, const char* metric,
               const std::vector<int>& months) {
  const ReachSummary r = summarize_reach(months);
  out << prefix << metric << "," << r.reached << "," << r.not_reached << ","
      << optional_number(r.mean) << "," << optional_number(r.ci_low) << ","
      << optional_number(r.ci_high) << "," << optional_number(r.p10) << ","
      << optional_number(r.p50) << "," << optional_number(r.p90) << ",months\n";
}

void runs_rows(std::ostringstream& out, const SweepSpec& spec, std::size_t point,
               const std::vector<std::vector<models::PlantKpis>>& by_plant) {
  const Scenario& s = spec.scenarios[point];
  out << "#runs.csv\nsweep,point" << factor_header(spec)
      << ",replication,plant,bottleneck,metric,value,unit\n";
  for (std::size_t p = 0; p < by_plant.size(); ++p) {
    for (std::size_t r = 0; r < by_plant[p].size(); ++r) {
      const models::PlantKpis& k = by_plant[p][r];
      const std::string prefix = point_key(spec, point) + "," + std::to_string(r) + "," +
                                 csv_field(s.plants[p].name) + "," + csv_field(k.bottleneck) + ",";
      out << prefix << "output," << k.output << ",vehicles\n"
          << prefix << "annual_output," << json_number(k.annual_output) << ",vehicles/yr\n"
          << prefix << "capacity_ratio," << json_number(k.capacity_ratio) << ",ratio\n"
          << prefix << "months_to_80," << months_text(months_to_reach(k, 0.8)) << ",months\n"
          << prefix << "months_to_90," << months_text(months_to_reach(k, 0.9)) << ",months\n"
          << prefix << "rework_visits," << k.rework_visits << ",visits\n";
    }
  }
}

void points_rows(std::ostringstream& out, const SweepSpec& spec, std::size_t point,
                 const std::vector<std::vector<models::PlantKpis>>& by_plant) {
  const Scenario& s = spec.scenarios[point];
  out << "#points.csv\nsweep,point" << factor_header(spec)
      << ",plant,metric,n,not_reached,mean,ci95_low,ci95_high,p10,p50,p90,unit\n";
  for (std::size_t p = 0; p < by_plant.size(); ++p) {
    std::vector<double> annual, ratio;
    std::vector<int> m80, m90;
    for (const models::PlantKpis& k : by_plant[p]) {
      annual.push_back(k.annual_output);
      ratio.push_back(k.capacity_ratio);
      m80.push_back(months_to_reach(k, 0.8));
      m90.push_back(months_to_reach(k, 0.9));
    }
    const std::string prefix = point_key(spec, point) + "," + csv_field(s.plants[p].name) + ",";
    put_stats(out, prefix, "annual_output", annual, "vehicles/yr");
    put_stats(out, prefix, "capacity_ratio", ratio, "ratio");
    put_reach(out, prefix, "months_to_80", m80);
    put_reach(out, prefix, "months_to_90", m90);
  }
}

void monthly_rows(std::ostringstream& out, const SweepSpec& spec, std::size_t point,
                  const std::vector<std::vector<models::PlantKpis>>& by_plant) {
  const Scenario& s = spec.scenarios[point];
  out << "#monthly.csv\nsweep,point" << factor_header(spec)
      << ",replication,plant,month,metric,value,unit\n";
  for (std::size_t p = 0; p < by_plant.size(); ++p) {
    for (std::size_t r = 0; r < by_plant[p].size(); ++r) {
      const models::PlantKpis& k = by_plant[p][r];
      const std::string prefix = point_key(spec, point) + "," + std::to_string(r) + "," +
                                 csv_field(s.plants[p].name) + ",";
      for (std::size_t m = 0; m < k.monthly.size(); ++m) {
        const std::string month = month_label(s.start, m);
        out << prefix << month << ",output," << k.monthly[m] << ",vehicles\n";
        if (m < k.monthly_nameplate.size())
          out << prefix << month << ",nameplate," << json_number(k.monthly_nameplate[m])
              << ",vehicles\n";
      }
    }
  }
}

// The saved form of a point: the rows it adds to each final table.
std::string point_content(const SweepSpec& spec, std::size_t point,
                          const std::vector<std::vector<models::PlantKpis>>& by_plant) {
  std::ostringstream out;
  runs_rows(out, spec, point, by_plant);
  points_rows(out, spec, point, by_plant);
  monthly_rows(out, spec, point, by_plant);
  return out.str();
}

std::string manifest(const SweepSpec& spec) {
  detail::JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("sweep", spec.name)
      .value("sweep_id", spec.id)
      .value("base_scenario", fs::path(spec.base_file).filename().string())
      .value("design", experiment::design_name(spec.design.kind))
      .integer("points", static_cast<long long>(spec.rows.size()))
      .integer("design_seed", static_cast<long long>(spec.design.seed))
      .integer("replications", spec.scenarios.empty() ? 0 : spec.scenarios[0].replications)
      .integer("seed", spec.scenarios.empty() ? 0 : static_cast<long long>(spec.scenarios[0].seed))
      .begin_array("factors");
  for (const auto& f : spec.design.factors) j.begin_object().value("path", f.path).end_object();
  j.end_array().end_object();
  return j.str();
}

// The part of a saved point under "#NAME" (without that line), "" when it has none.
std::string section(const std::string& content, const std::string& name) {
  const std::string marker = "#" + name + "\n";
  std::size_t begin = content.rfind(marker, 0) == 0 ? 0 : content.find("\n" + marker);
  if (begin == std::string::npos) return "";
  begin = content.find('\n', begin == 0 ? 0 : begin + 1) + 1;
  const std::size_t end = content.find("\n#", begin);
  return content.substr(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
}

// The final tables from saved points in order (headers from the first).
void assemble(const std::vector<std::string>& points, const fs::path& dir) {
  for (const char* table : kTables) {
    std::string text;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string part = section(points[i], table);
      text += i == 0 ? part : part.substr(std::min(part.size(), part.find('\n') + 1));
    }
    experiment::write_file_atomically(dir / table, text);
  }
}

std::string slurp(const fs::path& p) { return experiment::read_file_or_throw(p); }

}  // namespace

void prepare_sweep(const SweepSpec& spec, const fs::path& out, bool resume) {
  experiment::PointStore store(out, spec.id, spec.rows.size());
  store.open(resume);
  if (!resume) {
    for (const char* old : kTables) fs::remove(out / old);
  }
  experiment::write_file_atomically(out / "manifest.json", manifest(spec));
}

std::size_t run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  // prepare_sweep() opened the store; under mpirun the other ranks may be writing to it.
  experiment::PointStore store(options.out, spec.id, spec.rows.size());
  store.attach();
  std::vector<std::size_t> todo;
  for (const std::size_t p :
       experiment::shard_points(spec.rows.size(), options.shard_index, options.shard_count)) {
    if (!store.is_done(p)) todo.push_back(p);
  }
  // Per point: its KPIs by plant and replication, and a count of tasks still running.
  struct Pending {
    std::vector<std::vector<models::PlantKpis>> by_plant;
    std::atomic<std::size_t> left{0};
  };
  std::vector<Pending> pending(todo.size());
  std::vector<std::array<std::size_t, 3>> tasks;  // (todo index, plant, replication)
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const Scenario& s = spec.scenarios[todo[i]];
    const auto reps = static_cast<std::size_t>(s.replications);
    pending[i].by_plant.assign(s.plants.size(), std::vector<models::PlantKpis>(reps));
    pending[i].left = s.plants.size() * reps;
    for (std::size_t p = 0; p < s.plants.size(); ++p) {
      for (std::size_t r = 0; r < reps; ++r) tasks.push_back({i, p, r});
    }
  }
  experiment::Progress progress(todo.size(), options.progress);
  experiment::parallel_for(tasks.size(), options.jobs, [&](std::size_t t) {
    const auto [i, plant, rep] = tasks[t];
    Pending& pt = pending[i];
    pt.by_plant[plant][rep] = run_replication(spec.scenarios[todo[i]], plant, rep);
    sim::interrupt_point();
    if (--pt.left > 0) return;
    store.save(todo[i], point_content(spec, todo[i], pt.by_plant));
    pt.by_plant.clear();  // memory stays flat however many points
    progress.advance(1);
  });
  progress.finish();
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
  return todo.size();
}

bool finish_sweep(const SweepSpec& spec, const fs::path& dir) {
  experiment::PointStore store(dir, spec.id, spec.rows.size());
  store.attach();
  if (!store.missing().empty()) return false;
  std::vector<std::string> points;
  for (std::size_t p = 0; p < spec.rows.size(); ++p) points.push_back(store.load(p));
  assemble(points, dir);
  return true;
}

void merge_sweeps(const std::vector<fs::path>& dirs, const fs::path& out) {
  const std::string first_manifest = slurp(dirs.front() / "manifest.json");
  for (const fs::path& d : dirs) {
    if (slurp(d / "manifest.json") != first_manifest) {
      throw std::runtime_error("\"" + d.string() +
                               "\" holds a different sweep (its manifest.json differs)");
    }
  }
  experiment::merge_stores(dirs, out);
  experiment::write_file_atomically(out / "manifest.json", first_manifest);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(out / "points")) {
    if (e.path().extension() == ".csv" && e.path().filename().string()[0] != '.')
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> points;
  for (const fs::path& f : files) points.push_back(slurp(f));
  assemble(points, out);
}

}  // namespace takt::run
