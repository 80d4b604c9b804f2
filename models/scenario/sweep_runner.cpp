// Runs a sweep: (point, plant, replication) tasks on threads, each point saved atomically as
// soon as its last replication ends, and the final tidy tables assembled from the saved points
// in point order. Saved points are the only state, so an interrupted sweep resumes where it
// stopped and any sharding, thread count or interruption gives the same bytes.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "json_writer.hpp"
#include "takt/experiment/atomic_file.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/point_store.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/scenario/report_writer.hpp"
#include "takt/scenario/scenario_runner.hpp"
#include "takt/scenario/sweep.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::scenario {
namespace {

using detail::csv_field;
using detail::json_number;
namespace fs = std::filesystem;

constexpr const char* kPointsMarker = "#points";

std::string factor_header(const SweepSpec& spec) {
  std::string h;
  for (const auto& f : spec.design.factors) h += "," + csv_field(f.path);
  return h;
}

std::string factor_values(const SweepSpec& spec, std::size_t point) {
  std::string v;
  for (const std::string& x : spec.rows[point]) v += "," + csv_field(x);
  return v;
}

std::string months_text(int months) { return months < 0 ? "" : std::to_string(months); }

void put_stats(std::ostringstream& out, const std::string& prefix, const char* metric,
               const std::vector<double>& values) {
  const sim::Summary s = sim::summarize(values);
  out << prefix << metric << "," << values.size();
  for (const double v : {s.mean, s.ci_low, s.ci_high, s.p10, s.p50, s.p90}) {
    out << "," << (values.empty() ? "" : json_number(v));
  }
  out << "\n";
}

// The saved form of a point: its runs.csv rows with the header, then its points.csv rows.
std::string point_content(const SweepSpec& spec, std::size_t point,
                          const std::vector<std::vector<models::PlantKpis>>& by_plant) {
  const Scenario& s = spec.scenarios[point];
  std::ostringstream out;
  out << "point" << factor_header(spec)
      << ",replication,plant,output,annual_output,capacity_ratio,months_to_80,months_to_90,"
         "bottleneck\n";
  for (std::size_t p = 0; p < by_plant.size(); ++p) {
    for (std::size_t r = 0; r < by_plant[p].size(); ++r) {
      const models::PlantKpis& k = by_plant[p][r];
      out << point << factor_values(spec, point) << "," << r << "," << csv_field(s.plants[p].name)
          << "," << k.output << "," << json_number(k.annual_output) << ","
          << json_number(k.capacity_ratio) << "," << months_text(months_to_reach(k, 0.8)) << ","
          << months_text(months_to_reach(k, 0.9)) << "," << csv_field(k.bottleneck) << "\n";
    }
  }
  out << kPointsMarker << "\n"
      << "point" << factor_header(spec) << ",plant,metric,n,mean,ci95_low,ci95_high,p10,p50,p90\n";
  for (std::size_t p = 0; p < by_plant.size(); ++p) {
    std::vector<double> annual, ratio, m80, m90;
    for (const models::PlantKpis& k : by_plant[p]) {
      annual.push_back(k.annual_output);
      ratio.push_back(k.capacity_ratio);
      if (const int m = months_to_reach(k, 0.8); m > 0) m80.push_back(m);
      if (const int m = months_to_reach(k, 0.9); m > 0) m90.push_back(m);
    }
    const std::string prefix = std::to_string(point) + factor_values(spec, point) + "," +
                               csv_field(s.plants[p].name) + ",";
    put_stats(out, prefix, "annual_output", annual);
    put_stats(out, prefix, "capacity_ratio", ratio);
    put_stats(out, prefix, "months_to_80", m80);
    put_stats(out, prefix, "months_to_90", m90);
  }
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

// runs.csv and points.csv from saved points in order (headers from the first).
void assemble(const std::vector<std::string>& points, const fs::path& dir) {
  std::string runs, table;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string& c = points[i];
    const auto marker = c.find(std::string(kPointsMarker) + "\n");
    const std::string run_part = c.substr(0, marker);
    const std::string point_part = c.substr(marker + std::string(kPointsMarker).size() + 1);
    runs += i == 0 ? run_part : run_part.substr(run_part.find('\n') + 1);
    table += i == 0 ? point_part : point_part.substr(point_part.find('\n') + 1);
  }
  experiment::write_file_atomically(dir / "runs.csv", runs);
  experiment::write_file_atomically(dir / "points.csv", table);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void prepare_sweep(const SweepSpec& spec, const fs::path& out, bool resume) {
  experiment::PointStore store(out, spec.id, spec.rows.size());
  store.open(resume);
  if (!resume) {
    for (const char* old : {"runs.csv", "points.csv"}) fs::remove(out / old);
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

}  // namespace takt::scenario
