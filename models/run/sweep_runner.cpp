// Runs a sweep: one task per distinct plant replication (filling every point that shares it),
// in rounds when a precision rule asks for more, on threads; each point's figures saved
// atomically as data (point_record.hpp) as soon as its last replication ends, and the final
// tidy tables made from the saved points in point order. Saved points are the only state, so an
// interrupted sweep resumes where it stopped and any sharding, thread count or interruption gives
// the same bytes.
#include "takt/run/sweep_runner.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "json_writer.hpp"
#include "point_record.hpp"
#include "takt/experiment/atomic_file.hpp"
#include "takt/experiment/input_error.hpp"
#include "takt/experiment/output_folder.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/point_store.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/experiment/read_file.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/precision_rule.hpp"
#include "takt/sim/hash.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::run {
namespace {

using detail::csv_field;
using detail::json_number;
namespace fs = std::filesystem;

// The final tables, each made from the saved points in point order.
constexpr const char* kTables[] = {"runs.csv", "points.csv", "monthly.csv"};

using detail::PointRecord;
using detail::RunRecord;

std::string factor_header(const PointRecord& p) {
  std::string h;
  for (const auto& f : p.factors) h += "," + csv_field(f.first);
  return h;
}

// "SWEEP_ID,POINT,FACTOR VALUES...": what identifies a point's rows.
std::string point_key(const PointRecord& p) {
  std::string v = p.sweep_id + "," + std::to_string(p.point);
  for (const auto& f : p.factors) v += "," + csv_field(f.second);
  return v;
}

std::string months_text(int months) { return months < 0 ? "" : std::to_string(months); }

std::string optional_number(const std::optional<double>& v) {
  return v ? json_number(*v) : std::string();
}

void put_stats(std::ostringstream& out, const std::string& prefix, const char* metric,
               const char* precision, const std::vector<double>& values, const char* unit) {
  const experiment::Summary s = experiment::summarize(values);
  out << prefix << metric << "," << values.size() << "," << precision << ",0,"
      << json_number(s.mean) << "," << (s.n < 2 ? "" : json_number(s.ci_low)) << ","
      << (s.n < 2 ? "" : json_number(s.ci_high));
  for (const double v : {s.p10, s.p50, s.p90}) out << "," << json_number(v);
  out << "," << unit << "\n";
}

void put_reach(std::ostringstream& out, const std::string& prefix, const char* metric,
               const char* precision, const std::vector<int>& months) {
  const ReachSummary r = summarize_reach(months);
  out << prefix << metric << "," << r.reached << "," << precision << "," << r.not_reached << ","
      << optional_number(r.mean) << "," << optional_number(r.ci_low) << ","
      << optional_number(r.ci_high) << "," << optional_number(r.p10) << ","
      << optional_number(r.p50) << "," << optional_number(r.p90) << ",months\n";
}

std::string runs_header(const PointRecord& p) {
  return "sweep,point" + factor_header(p) + ",replication,plant,bottleneck,metric,value,unit\n";
}

void runs_rows(std::ostringstream& out, const PointRecord& p) {
  for (const detail::PlantRecord& plant : p.plants) {
    for (std::size_t r = 0; r < plant.replications.size(); ++r) {
      const RunRecord& k = plant.replications[r];
      const std::string prefix = point_key(p) + "," + std::to_string(r) + "," +
                                 csv_field(plant.name) + "," + csv_field(k.bottleneck) + ",";
      out << prefix << "output," << k.output << ",vehicles\n"
          << prefix << "annual_rate," << json_number(k.annual_rate) << ",vehicles/yr\n"
          << prefix << "capacity_ratio," << json_number(k.capacity_ratio) << ",ratio\n"
          << prefix << "months_to_80," << months_text(k.months_to_80) << ",months\n"
          << prefix << "months_to_90," << months_text(k.months_to_90) << ",months\n"
          << prefix << "rework_visits," << k.rework_visits << ",visits\n";
    }
  }
}

std::string points_header(const PointRecord& p) {
  return "sweep,point" + factor_header(p) +
         ",plant,metric,n,precision,not_reached,mean,ci95_low,ci95_high,p10,p50,p90,unit\n";
}

// Whether the point met its precision rule ("" without one), on each of its rows, so that a
// point the rule's maximum stopped is seen where its figures are read.
const char* precision_text(PointRecord::Precision precision) {
  switch (precision) {
    case PointRecord::Precision::kMet:
      return "met";
    case PointRecord::Precision::kNotMet:
      return "not_met";
    case PointRecord::Precision::kNone:
      break;
  }
  return "";
}

void points_rows(std::ostringstream& out, const PointRecord& p) {
  for (const detail::PlantRecord& plant : p.plants) {
    std::vector<double> annual, ratio;
    std::vector<int> m80, m90;
    for (const RunRecord& k : plant.replications) {
      annual.push_back(k.annual_rate);
      ratio.push_back(k.capacity_ratio);
      m80.push_back(k.months_to_80);
      m90.push_back(k.months_to_90);
    }
    const std::string prefix = point_key(p) + "," + csv_field(plant.name) + ",";
    const char* precision = precision_text(p.precision);
    put_stats(out, prefix, "annual_rate", precision, annual, "vehicles/yr");
    put_stats(out, prefix, "capacity_ratio", precision, ratio, "ratio");
    put_reach(out, prefix, "months_to_80", precision, m80);
    put_reach(out, prefix, "months_to_90", precision, m90);
  }
}

std::string monthly_header(const PointRecord& p) {
  return "sweep,point" + factor_header(p) +
         ",replication,plant,month,limited_by,metric,value,unit\n";
}

void monthly_rows(std::ostringstream& out, const PointRecord& p) {
  for (const detail::PlantRecord& plant : p.plants) {
    for (std::size_t r = 0; r < plant.replications.size(); ++r) {
      const RunRecord& k = plant.replications[r];
      const std::string prefix =
          point_key(p) + "," + std::to_string(r) + "," + csv_field(plant.name) + ",";
      for (std::size_t m = 0; m < k.monthly.size(); ++m) {
        const std::string month =
            month_label(p.start, m) + "," +
            (m < k.limited_by.size()
                 ? models::month_limit_name(static_cast<models::MonthLimit>(k.limited_by[m]))
                 : "");
        const auto put = [&](const char* metric, const std::string& value) {
          out << prefix << month << "," << metric << "," << value << ",vehicles\n";
        };
        put("output", std::to_string(k.monthly[m]));
        if (m < k.nameplate.size()) put("nameplate", json_number(k.nameplate[m]));
        if (m >= k.orders.size()) continue;
        put("orders", std::to_string(k.orders[m]));
        put("backlog", std::to_string(k.backlog[m]));
        put("lost_orders", std::to_string(k.lost[m]));
      }
    }
  }
}

// A short, fixed-length stand-in for the plant run key ("" when it has none).
std::string run_key_hash(const Scenario& s, std::size_t plant, std::size_t rep) {
  const std::string key = scenario::plant_run_key(s, plant, rep);
  return key.empty() ? "" : sim::fnv1a_hex(key);
}

// What a sweep keeps of a plant replication (its key is the point's, added by record_of).
RunRecord run_record(const models::PlantKpis& k) {
  std::vector<int> limits;
  for (const models::MonthLimit l : k.monthly_limit) limits.push_back(static_cast<int>(l));
  return {k.output,
          k.annual_rate,
          k.capacity_ratio,
          months_to_reach(k, 0.8),
          months_to_reach(k, 0.9),
          k.rework_visits,
          k.bottleneck,
          k.monthly,
          k.monthly_nameplate,
          limits,
          k.monthly_orders,
          k.monthly_backlog,
          k.monthly_lost,
          ""};
}

// What a finished point saves: its figures, and what names them.
PointRecord record_of(const SweepSpec& spec, std::size_t point,
                      std::vector<std::vector<RunRecord>>& by_plant,
                      PointRecord::Precision precision) {
  const Scenario& s = spec.scenarios[point];
  PointRecord p;
  p.sweep_id = spec.id;
  p.point = point;
  p.start = s.start;
  p.precision = precision;
  for (std::size_t f = 0; f < spec.design.factors.size(); ++f)
    p.factors.emplace_back(spec.design.factors[f].path, spec.rows[point][f]);
  for (std::size_t i = 0; i < by_plant.size(); ++i) {
    detail::PlantRecord plant{s.plants[i].name, std::move(by_plant[i])};
    for (std::size_t r = 0; r < plant.replications.size(); ++r)
      plant.replications[r].run_key = run_key_hash(s, i, r);
    p.plants.push_back(std::move(plant));
  }
  return p;
}

using Outcome = SweepOutcome;

void count_point(const PointRecord& p, std::set<std::string>& keys, Outcome& o) {
  std::size_t reps = 0;
  for (const detail::PlantRecord& plant : p.plants) {
    reps = std::max(reps, plant.replications.size());
    for (const RunRecord& r : plant.replications) {
      ++o.plant_replications;
      if (r.run_key.empty() || keys.insert(r.run_key).second) ++o.distinct;
    }
  }
  o.fewest = o.points++ == 0 ? reps : std::min(o.fewest, reps);
  o.most = std::max(o.most, reps);
  if (p.precision == PointRecord::Precision::kNone) return;
  ++o.ruled;
  if (p.precision == PointRecord::Precision::kMet) ++o.met;
}

constexpr const char* kOutcomeMember = ",\n  \"outcome\": ";

void outcome_json(detail::JsonWriter& j, const Outcome& o) {
  j.begin_object("outcome")
      .integer("plant_replications", static_cast<long long>(o.plant_replications))
      .integer("distinct_runs", static_cast<long long>(o.distinct))
      .integer("alike_runs", static_cast<long long>(o.plant_replications - o.distinct))
      .integer("fewest_replications", static_cast<long long>(o.fewest))
      .integer("most_replications", static_cast<long long>(o.most));
  if (o.ruled > 0) {
    j.integer("points_with_rule", static_cast<long long>(o.ruled))
        .integer("points_met", static_cast<long long>(o.met));
  }
  j.end_object();
}

// manifest.json: what the sweep is (written before any point runs, the same in every shard)
// and, once it is whole, what it ran ("outcome", the last member).
std::string manifest(const SweepSpec& spec) {
  detail::JsonWriter j;
  const Scenario* first = spec.scenarios.empty() ? nullptr : &spec.scenarios[0];
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("sweep", spec.name)
      .value("sweep_id", spec.id)
      .value("base_scenario", fs::path(spec.base_file).filename().string())
      .value("design", experiment::design_name(spec.design.kind))
      .integer("points", static_cast<long long>(spec.rows.size()))
      .integer("design_seed", static_cast<long long>(spec.design.seed))
      .integer("replications", first == nullptr ? 0 : first->replications);
  // A sweep over the seed runs each point's own (points.csv's seed column): no one seed is
  // the sweep's then, and the first point's would claim one.
  const bool seed_swept =
      std::any_of(spec.design.factors.begin(), spec.design.factors.end(),
                  [](const experiment::Factor& f) { return scenario::edit_key(f.path) == "seed"; });
  if (seed_swept || first == nullptr) {
    j.raw("seed", "null");
  } else {
    j.integer("seed", static_cast<long long>(first->seed));
  }
  if (first != nullptr && first->precision) {
    const scenario::PrecisionRule& rule = *first->precision;
    j.begin_object("precision")
        .value("half_width", rule.half_width)
        .integer("min", rule.min)
        .integer("max", rule.max)
        .integer("step", rule.step)
        .end_object();
  }
  j.begin_array("factors");
  for (const auto& f : spec.design.factors) j.begin_object().value("path", f.path).end_object();
  j.end_array().end_object();
  return j.str();
}

// The plan with the whole sweep's outcome as its last member.
std::string with_outcome(const std::string& plan, const Outcome& o) {
  detail::JsonWriter j;
  j.begin_object();
  outcome_json(j, o);
  j.end_object();
  const std::string wrapped = j.str();  // "{\n  \"outcome\": {...}\n}\n"
  const std::string member = wrapped.substr(2, wrapped.size() - 5);
  return plan.substr(0, plan.rfind("\n}")) + ",\n" + member + "\n}\n";
}

// The sweep's id as manifest() writes it ("sweep_id": "ID"; ids are hex digits).
std::string manifest_sweep_id(const std::string& manifest_text) {
  const std::string key = "\"sweep_id\": \"";
  const std::size_t at = manifest_text.find(key);
  if (at == std::string::npos) return "";
  const std::size_t from = at + key.size();
  return manifest_text.substr(from, manifest_text.find('"', from) - from);
}

// The manifest as every shard wrote it, without the outcome a whole sweep adds.
std::string plan_part(const std::string& manifest_text) {
  const std::size_t at = manifest_text.find(kOutcomeMember);
  return at == std::string::npos ? manifest_text : manifest_text.substr(0, at) + "\n}\n";
}

// Saved point `index` of the sweep `sweep_id`, read from `text`. A file that is damaged, or
// that another sweep wrote or a hand copied in under another point's name, is refused with
// its name, never turned into rows: a resumed or merged sweep would mix in foreign figures.
// `rows`, when given, are the sweep's factor values per point, which the file must carry.
// `merged`: the file came from one of the shards takt merge reads, which is where to remove it.
PointRecord read_point(const std::string& text, std::size_t index, const std::string& sweep_id,
                       const std::vector<std::vector<std::string>>* rows, bool merged) {
  const std::string file = "points/" + experiment::PointStore::file_name(index);
  const std::string fix = merged ? "; remove it from the shard folder that holds it, run that "
                                   "shard again with --resume, and merge again"
                                 : "; remove it and run the sweep again with --resume";
  PointRecord p;
  try {
    p = detail::point_from_text(text);
  } catch (const std::runtime_error& e) {
    if (!merged) throw std::runtime_error(file + ": " + e.what());
    // The record's own advice is a sweep's: a merge's fix is in the shard.
    std::string what = e.what();
    what = what.substr(0, what.find("; remove it"));
    throw std::runtime_error(file + ": " + what + fix);
  }
  if (p.sweep_id != sweep_id) {
    throw std::runtime_error(file + ": a saved point of another sweep (" + p.sweep_id + ", not " +
                             sweep_id + ")" + fix);
  }
  if (p.point != index) {
    throw std::runtime_error(file + ": holds point " + std::to_string(p.point) + ", not " +
                             std::to_string(index) + fix);
  }
  bool same = rows == nullptr || (*rows)[index].size() == p.factors.size();
  for (std::size_t f = 0; same && rows != nullptr && f < p.factors.size(); ++f)
    same = (*rows)[index][f] == p.factors[f].second;
  if (!same) throw std::runtime_error(file + ": its factor values are not the sweep's" + fix);
  return p;
}

// The final tables from the saved points in order (headers from the first); what they ran.
Outcome assemble(const std::vector<std::string>& saved, const fs::path& dir,
                 const std::string& sweep_id, const std::vector<std::vector<std::string>>* rows,
                 bool merged) {
  std::ostringstream runs, points, monthly;
  std::set<std::string> keys;
  Outcome outcome;
  for (std::size_t i = 0; i < saved.size(); ++i) {
    const PointRecord p = read_point(saved[i], i, sweep_id, rows, merged);
    if (i == 0) {
      runs << runs_header(p);
      points << points_header(p);
      monthly << monthly_header(p);
    }
    runs_rows(runs, p);
    points_rows(points, p);
    monthly_rows(monthly, p);
    count_point(p, keys, outcome);
  }
  experiment::write_file_atomically(dir / kTables[0], runs.str());
  experiment::write_file_atomically(dir / kTables[1], points.str());
  experiment::write_file_atomically(dir / kTables[2], monthly.str());
  return outcome;
}

std::string slurp(const fs::path& p) { return experiment::read_file_or_throw(p); }

}  // namespace

// A sweep replaces its tables, manifest and points in `out`: a folder that holds anything else
// (a takt run's summary.json, the planner's own files) is refused before any of them is
// touched, as takt run refuses one (the run's monthly.csv and manifest.json were replaced,
// its other files left beside them).
void check_sweep_folder(const fs::path& out) {
  const std::vector<std::string> foreign = experiment::OutputFolder::foreign_entries(
      out, {"sweep.json", "points/", "manifest.json", "runs.csv", "points.csv", "monthly.csv",
            "report/", "sensitivity.csv"});
  if (foreign.empty()) return;
  throw experiment::ForeignFilesError("\"" + out.string() +
                                      "\" holds files that a sweep does not write (" +
                                      experiment::OutputFolder::first_entries(foreign) +
                                      "); give --out a new or empty folder, or one that a sweep "
                                      "wrote before");
}

void prepare_sweep(const SweepSpec& spec, const fs::path& out, bool resume) {
  check_sweep_folder(out);
  experiment::PointStore store(out, spec.id, spec.rows.size());
  store.open(resume);
  if (!resume) {
    for (const char* old : kTables) fs::remove(out / old);
    fs::remove_all(out / "report");       // an earlier sweep's figures (takt sweep --report)
    fs::remove(out / "sensitivity.csv");  // of an earlier sweep's points
  }
  experiment::write_file_atomically(out / "manifest.json", manifest(spec));
}

namespace {

// A point still running: what it keeps of its plants' replications so far, the replications it has
// and the count this round brings it to, and the tasks of the round still running.
struct Pending {
  std::vector<std::vector<RunRecord>> by_plant;
  std::size_t done = 0, target = 0;
  std::atomic<std::size_t> left{0};
};

// Whether a point has all its replications: at once without a rule; with one, when every
// plant's interval is within the share or the maximum is run. Judged on whole rounds only, so
// the count depends on the seeds alone.
bool point_complete(const Scenario& s, Pending& p, PointRecord::Precision& state) {
  state = PointRecord::Precision::kNone;
  if (!s.precision) return true;
  const scenario::PrecisionRule& rule = *s.precision;
  bool met = true;
  for (const auto& reps : p.by_plant) {
    std::vector<double> annual;
    for (const RunRecord& r : reps) annual.push_back(r.annual_rate);
    met = met && relative_half_width(annual) <= rule.half_width;
  }
  state = met ? PointRecord::Precision::kMet : PointRecord::Precision::kNotMet;
  if (met || p.done >= static_cast<std::size_t>(rule.max)) return true;
  p.target =
      std::min(static_cast<std::size_t>(rule.max), p.done + static_cast<std::size_t>(rule.step));
  return false;
}

}  // namespace

SweepRun run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  // prepare_sweep() opened the store; under mpirun the other ranks may be writing to it.
  experiment::PointStore store(options.out, spec.id, spec.rows.size());
  store.attach();
  std::vector<std::size_t> todo;
  for (const std::size_t p :
       experiment::shard_points(spec.rows.size(), options.shard_index, options.shard_count)) {
    if (!store.is_done(p)) todo.push_back(p);
  }
  std::vector<Pending> pending(todo.size());
  std::vector<std::size_t> open;  // indices into todo still to run more replications
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const Scenario& s = spec.scenarios[todo[i]];
    pending[i].by_plant.resize(s.plants.size());
    pending[i].target = static_cast<std::size_t>(s.replications);
    open.push_back(i);
  }
  SweepRun result;
  result.points = todo.size();
  experiment::Progress progress(todo.size(), options.progress);
  // Rounds: every open point's next replications (all of them without a precision rule; the
  // rule's next batch with one), then the points that are not yet precise enough go again.
  while (!open.empty()) {
    // One task per distinct plant run of the round; it fills every slot whose key is its own
    // (scenario::plant_run_key alike), so no slot waits on a thread for another's run.
    struct Slot {
      std::size_t point, plant, replication;
    };
    std::vector<std::vector<Slot>> tasks;
    std::map<std::string, std::size_t> task_of;
    for (const std::size_t i : open) {
      const Scenario& s = spec.scenarios[todo[i]];
      Pending& pt = pending[i];
      for (auto& reps : pt.by_plant) reps.resize(pt.target);
      pt.left = s.plants.size() * (pt.target - pt.done);
      for (std::size_t p = 0; p < s.plants.size(); ++p) {
        for (std::size_t r = pt.done; r < pt.target; ++r) {
          const std::string key = options.reuse ? scenario::plant_run_key(s, p, r) : "";
          const auto [it, fresh] = task_of.emplace(key, tasks.size());
          if (key.empty() || fresh) {
            tasks.push_back({{i, p, r}});
            ++result.simulated;
          } else {
            tasks[it->second].push_back({i, p, r});
            ++result.reused;
          }
        }
      }
    }
    std::mutex again_mutex;
    std::vector<std::size_t> again;
    experiment::parallel_for(tasks.size(), options.jobs, [&](std::size_t index) {
      const std::vector<Slot>& slots = tasks[index];
      const Slot& first = slots.front();
      const RunRecord kept = run_record(
          run_replication(spec.scenarios[todo[first.point]], first.plant, first.replication));
      sim::interrupt_point();
      for (const Slot& slot : slots) {
        Pending& pt = pending[slot.point];
        pt.by_plant[slot.plant][slot.replication] = kept;
        if (--pt.left > 0) continue;
        const Scenario& s = spec.scenarios[todo[slot.point]];
        pt.done = pt.target;
        PointRecord::Precision state{};
        if (!point_complete(s, pt, state)) {
          const std::lock_guard<std::mutex> lock(again_mutex);
          again.push_back(slot.point);
          continue;
        }
        store.save(todo[slot.point],
                   detail::to_text(record_of(spec, todo[slot.point], pt.by_plant, state)));
        // A saved point leaves memory. (A run that many points share is copied into each of
        // them at once, and held until each is saved: a record per point, not flat.)
        pt.by_plant.clear();
        progress.advance(1);
      }
    });
    std::sort(again.begin(), again.end());  // the next round's tasks in point order
    open = std::move(again);
  }
  progress.finish();
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
  return result;
}

std::optional<SweepOutcome> finish_sweep(const SweepSpec& spec, const fs::path& dir) {
  experiment::PointStore store(dir, spec.id, spec.rows.size());
  store.attach();
  if (!store.missing().empty()) return std::nullopt;
  std::vector<std::string> points;
  for (std::size_t p = 0; p < spec.rows.size(); ++p) points.push_back(store.load(p));
  SweepOutcome outcome = assemble(points, dir, spec.id, &spec.rows, false);
  experiment::write_file_atomically(dir / "manifest.json", with_outcome(manifest(spec), outcome));
  if (!spec.scenarios.empty() && spec.scenarios[0].precision)
    outcome.half_width = spec.scenarios[0].precision->half_width;
  return outcome;
}

SweepOutcome merge_sweeps(const std::vector<fs::path>& dirs, const fs::path& out) {
  for (const fs::path& d : dirs) {
    std::error_code ec;
    if (!fs::is_regular_file(d / "manifest.json", ec)) {
      throw experiment::InputError("\"" + d.string() +
                                   "\" holds no manifest.json: give the --out folders of a "
                                   "sweep's shards, as takt sweep --shard wrote them");
    }
  }
  const std::string first_manifest = plan_part(slurp(dirs.front() / "manifest.json"));
  for (const fs::path& d : dirs) {
    if (plan_part(slurp(d / "manifest.json")) != first_manifest) {
      throw experiment::InputError("\"" + d.string() +
                                   "\" holds a different sweep (its manifest.json differs)");
    }
  }
  check_sweep_folder(out);
  experiment::merge_stores(dirs, out);
  fs::remove(out / "sensitivity.csv");  // of what the folder held before
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(out / "points")) {
    if (experiment::PointStore::is_point_file(e.path().filename().string()))
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> points;
  for (const fs::path& f : files) points.push_back(slurp(f));
  SweepOutcome outcome = assemble(points, out, manifest_sweep_id(first_manifest), nullptr, true);
  experiment::write_file_atomically(out / "manifest.json", with_outcome(first_manifest, outcome));
  // The share as the manifest's rule gives it ("half_width": X, written by manifest()).
  const std::string key = "\"half_width\": ";
  if (const std::size_t at = first_manifest.find(key); at != std::string::npos)
    outcome.half_width = std::strtod(first_manifest.c_str() + at + key.size(), nullptr);
  return outcome;
}

}  // namespace takt::run
