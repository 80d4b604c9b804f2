// Candidates run in two rounds: the base first (its output is what the screen compares each
// candidate's bound with), then every candidate run that passed, all on the worker threads and
// each result in its own slot, so the ranking is the same for any thread count.
#include "takt/run/improve.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <sstream>

#include "json_writer.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/models/capacity_bound.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/interrupt.hpp"
#include "text_format.hpp"

namespace takt::run {

using detail::csv_field;
using detail::fixed;
using detail::pad;
using detail::thousands;

namespace {

// One replication of one plant of one scenario; its annual output lands in `slot`. A
// candidate's run that fails (an unstable queue, a deadlock) leaves its reason in `failure`
// and the others go on; the base's (no `failure`) stops everything, as takt run would.
struct Task {
  const scenario::Scenario* scenario;
  std::size_t plant, replication;
  double* slot;
  std::string* failure = nullptr;
  std::size_t* failed_replication = nullptr;  // which replication `failure` is from
};

void run_tasks(const std::vector<Task>& tasks, const ImproveOptions& options) {
  experiment::Progress progress(tasks.size(), options.progress, "runs", std::chrono::seconds(1));
  std::mutex failures;
  experiment::parallel_for(tasks.size(), options.jobs, [&](std::size_t i) {
    const Task& t = tasks[i];
    try {
      *t.slot = run_replication_output_only(*t.scenario, t.plant, t.replication).annual_rate;
    } catch (const sim::Error& e) {
      if (t.failure == nullptr) throw;
      const std::lock_guard<std::mutex> lock(failures);
      // The lowest failing replication's reason, whatever order the threads finish in.
      if (t.failure->empty() || t.replication < *t.failed_replication) {
        *t.failure = e.what();
        *t.failed_replication = t.replication;
      }
    }
    progress.advance(1);
    sim::interrupt_point();
  });
  progress.finish();
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
}

std::optional<std::size_t> plant_index(const scenario::Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.plants.size(); ++i) {
    if (s.plants[i].name == name) return i;
  }
  return std::nullopt;
}

// One vehicle more in the measured window, as vehicles per year: a bound no further above the
// base's output than this leaves no whole vehicle to gain (and a deterministic plant that runs
// at its bound is not simulated again for a rounding of its last vehicle).
double one_vehicle(const scenario::Scenario& s) {
  const double hours = (s.horizon - s.warmup).to_seconds() / 3600.0;
  return hours > 0 ? 8760.0 / hours : 0.0;
}

double bound_per_year(const scenario::Scenario& s, std::size_t plant) {
  return models::capacity_bound(s.plants[plant], s.start, s.warmup, s.horizon).per_hour * 8760;
}

// Every candidate's scenario, checked as `takt run` checks one (the run-size limits too). A
// mistake in a candidates file is the planner's: one ScenarioError with all of them. A default
// candidate that breaks a limit (a store at its size, halved repairs below the tick) is left out
// with a note (nullopt) instead.
}  // namespace

std::vector<std::optional<scenario::Scenario>> load_candidates(
    const std::string& text, const std::string& file, const std::vector<std::string>& sets,
    const std::vector<scenario::Candidate>& candidates, int replications,
    std::vector<std::string>& notes) {
  std::vector<std::optional<scenario::Scenario>> out;
  std::vector<scenario::Diagnostic> problems;
  for (const scenario::Candidate& c : candidates) {
    std::vector<scenario::Diagnostic> found;
    try {
      out.push_back(scenario::load_candidate(text, file, sets, c));
      const std::string too_big = scenario::check_run_size(*out.back(), replications);
      const scenario::Location at =
          c.edits.empty() ? scenario::Location{file, 0, 0} : c.edits.front().origin;
      if (!too_big.empty()) found.push_back({at, "", too_big});
    } catch (const scenario::ScenarioError& e) {
      out.emplace_back();
      found = e.diagnostics();
    }
    if (found.empty()) continue;
    out.back().reset();
    if (c.kind != "file") {
      notes.push_back("left out: " + c.name + " (" + found.front().message + ")");
      continue;
    }
    for (scenario::Diagnostic& d : found) {
      d.message += " (candidate \"" + c.name + "\")";
      problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) throw scenario::ScenarioError(std::move(problems));
  return out;
}

namespace {

std::string verdict(const ImproveRow& row) {
  if (!row.simulated) return "cannot gain";
  const bool none =
      std::all_of(row.differences.begin(), row.differences.end(), [](double d) { return d == 0; });
  if (none) return "no effect";
  if (row.gain.n < 2) return "one replication";
  if (row.gain.ci_low > 0) return "gains";
  if (row.gain.ci_high < 0) return "loses";
  return "within noise";
}

// Simulated rows by their mean gain, largest first, then the screened ones; ties keep the
// candidates' order.
void rank(std::vector<ImproveRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const ImproveRow& a, const ImproveRow& b) {
    if (a.simulated != b.simulated) return a.simulated;
    return a.simulated && a.gain.mean > b.gain.mean;
  });
}

std::string joined(const std::vector<std::string>& edits, const char* between) {
  std::string out;
  for (const std::string& e : edits) out += (out.empty() ? "" : between) + e;
  return out;
}

std::string signed_thousands(double v) { return (v > 0 ? "+" : "") + thousands(v); }

}  // namespace

ImproveResult improve(const scenario::Scenario& base_in, const std::string& text,
                      const std::string& file, const std::vector<std::string>& sets,
                      const std::vector<scenario::Candidate>& candidates,
                      const ImproveOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ImproveResult r;
  r.base = base_in;
  if (options.replications > 0) r.base.replications = options.replications;
  if (options.seed) r.base.seed = *options.seed;
  r.candidates = candidates.size();
  std::vector<std::optional<scenario::Scenario>> changed =
      load_candidates(text, file, sets, candidates, r.base.replications, r.notes);
  const auto reps = static_cast<std::size_t>(r.base.replications);
  for (std::optional<scenario::Scenario>& s : changed) {
    if (!s) continue;
    s->replications = r.base.replications;  // both arms: the same seeds, replication by replication
    s->seed = r.base.seed;
  }
  // Round 1: the base, every plant.
  std::vector<std::vector<double>> base(r.base.plants.size(), std::vector<double>(reps));
  std::vector<Task> tasks;
  for (std::size_t p = 0; p < base.size(); ++p) {
    for (std::size_t k = 0; k < reps; ++k) tasks.push_back({&r.base, p, k, &base[p][k]});
  }
  run_tasks(tasks, options);
  r.runs += tasks.size();
  const double vehicle = one_vehicle(r.base);
  for (std::size_t p = 0; p < base.size(); ++p) {
    r.plants.push_back({r.base.plants[p].name, r.base.plants[p].capacity,
                        experiment::summarize(base[p]), bound_per_year(r.base, p)});
    const ImprovePlant& plant = r.plants.back();
    if (plant.annual.mean <= plant.bound + vehicle) continue;
    r.notes.push_back(plant.name + " builds " + thousands(plant.annual.mean) +
                      " a year, more than its capacity bound of " + thousands(plant.bound) +
                      " (a window too short for its randomness, failures and cycle times, to "
                      "average out): no change to it "
                      "was screened out");
  }
  // Round 2: each candidate on each plant it touches, unless its bound rules out a gain.
  std::vector<std::vector<double>> arm;
  std::vector<std::size_t> base_plant;
  tasks.clear();
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    std::vector<std::string> plants = candidates[c].plants;
    if (plants.empty()) {
      for (const models::PlantSpec& p : r.base.plants) plants.push_back(p.name);
    }
    if (!changed[c]) continue;
    for (const std::string& name : plants) {
      const auto bp = plant_index(r.base, name);
      const auto cp = plant_index(*changed[c], name);
      if (!bp || !cp) {
        r.notes.push_back("not compared: " + candidates[c].name + " (plant " + name + " is " +
                          (bp ? "not in the changed scenario" : "not in the base") + ")");
        continue;
      }
      ImproveRow row{candidates[c].name, candidates[c].kind, name, {}, 0, false, {}, {}, {}, ""};
      for (const scenario::Edit& e : candidates[c].edits) row.edits.push_back(e.expression);
      row.bound = bound_per_year(*changed[c], *cp);
      // The bound is a long-run one: it screens only where the base keeps within its own.
      const ImprovePlant& plant = r.plants[*bp];
      const bool bound_holds = plant.annual.mean <= plant.bound + vehicle;
      row.simulated = !bound_holds || row.bound > plant.annual.mean + vehicle;
      r.rows.push_back(row);
      arm.emplace_back(row.simulated ? reps : 0);
      base_plant.push_back(*bp);
      for (std::size_t k = 0; row.simulated && k < reps; ++k)
        tasks.push_back({&*changed[c], *cp, k, nullptr});
    }
  }
  // Slots are set once the vectors stop growing.
  std::vector<std::size_t> failed_replication(r.rows.size(), 0);
  for (std::size_t i = 0, t = 0; i < r.rows.size(); ++i) {
    for (double& slot : arm[i]) {
      tasks[t].failure = &r.rows[i].failure;
      tasks[t].failed_replication = &failed_replication[i];
      tasks[t++].slot = &slot;
    }
  }
  run_tasks(tasks, options);
  r.runs += tasks.size();
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    ImproveRow& row = r.rows[i];
    if (!row.failure.empty()) {
      row.simulated = false;
      row.verdict = "run failed";
      ++r.failed;
      r.notes.push_back("run failed: " + row.candidate + " (plant " + row.plant +
                        "): " + row.failure);
      continue;
    }
    if (row.simulated) {
      for (std::size_t k = 0; k < reps; ++k)
        row.differences.push_back(arm[i][k] - base[base_plant[i]][k]);
      row.gain = experiment::summarize(row.differences);
    } else {
      ++r.screened;
    }
    row.verdict = verdict(row);
  }
  rank(r.rows);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// "[low, high]", or what one replication gives: no interval (its half-width would be 0).
template <class Format>
std::string interval_text(const experiment::Summary& e, Format format) {
  if (e.n < 2) return "n/a (1 replication)";
  return "[" + format(e.ci_low) + ", " + format(e.ci_high) + "]";
}

std::string improve_text(const ImproveResult& r, std::size_t top) {
  std::ostringstream out;
  out << "takt " << program_version() << ": what to change first in scenario " << r.base.name
      << " (" << r.base.file << ")\n"
      << r.base.replications << (r.base.replications == 1 ? " replication" : " replications")
      << " from seed " << r.base.seed
      << ", each candidate paired with the base (common random numbers); gains in vehicles per "
         "year, 95 % intervals\n\n"
      << pad("plant", 14, true) << pad("output/yr", 12) << pad("95 % interval", 22)
      << pad("bound/yr", 12) << "\n";
  for (const ImprovePlant& p : r.plants) {
    out << pad(p.name, 14, true) << pad(thousands(p.annual.mean), 12)
        << pad(interval_text(p.annual, [](double v) { return thousands(v); }), 22)
        << pad(thousands(p.bound), 12) << "\n";
  }
  out << "\n"
      << pad("rank", 4) << "  " << pad("plant", 12, true) << pad("change", 44, true)
      << pad("gain/yr", 9) << pad("95 % interval", 22) << "  verdict\n";
  std::size_t shown = 0;
  for (const ImproveRow& row : r.rows) {
    if (!row.simulated || shown == top) break;
    ++shown;
    out << pad(std::to_string(shown), 4) << "  " << pad(row.plant, 12, true)
        << pad(row.candidate, 44, true) << pad(signed_thousands(row.gain.mean), 9)
        << pad(interval_text(row.gain, [](double v) { return signed_thousands(v); }), 22) << "  "
        << row.verdict << "\n";
  }
  const std::size_t simulated = r.rows.size() - r.screened - r.failed;
  out << "\n"
      << r.candidates << " candidates: " << simulated << " simulated"
      << (shown < simulated ? " (" + std::to_string(shown) + " shown)" : "")
      << (r.failed > 0 ? ", " + std::to_string(r.failed) + " failed to run" : "") << ", "
      << r.screened
      << " screened out (their plant's capacity bound with the change is no more than its "
         "output already); "
      << r.runs << " runs\n";
  for (const ImproveRow& row : r.rows) {
    if (row.simulated || !row.failure.empty()) continue;
    out << "  cannot gain: " << row.plant << " " << row.candidate << " (bound "
        << thousands(row.bound) << "/yr)\n";
  }
  for (const std::string& note : r.notes) out << "note: " << note << "\n";
  return out.str();
}

std::string improve_json(const ImproveResult& r) {
  detail::JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("scenario", r.base.name)
      .integer("replications", r.base.replications)
      .value("seed", std::to_string(r.base.seed))
      .integer("candidates", static_cast<long long>(r.candidates))
      .integer("screened", static_cast<long long>(r.screened))
      .integer("failed", static_cast<long long>(r.failed))
      .integer("runs", static_cast<long long>(r.runs))
      .begin_array("plants");
  for (const ImprovePlant& p : r.plants) {
    j.begin_object()
        .value("name", p.name)
        .value("capacity", p.capacity)
        .estimate("annual_output", p.annual.mean, p.annual.ci_low, p.annual.ci_high, p.annual.p10,
                  p.annual.p50, p.annual.p90, p.annual.n > 1)
        .value("bound_per_year", p.bound)
        .end_object();
  }
  j.end_array().begin_array("changes");
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const ImproveRow& row = r.rows[i];
    j.begin_object()
        .integer("rank", static_cast<long long>(i + 1))
        .value("plant", row.plant)
        .value("candidate", row.candidate)
        .value("kind", row.kind)
        .begin_array("edits");
    for (const std::string& e : row.edits) j.value("", e);
    j.end_array()
        .value("bound_per_year", row.bound)
        .raw("simulated", row.simulated ? "true" : "false");
    if (row.simulated) {
      j.estimate("gain_per_year", row.gain.mean, row.gain.ci_low, row.gain.ci_high, row.gain.p10,
                 row.gain.p50, row.gain.p90, row.gain.n > 1);
    } else {
      j.raw("gain_per_year", "null");
    }
    j.value("verdict", row.verdict).end_object();
  }
  j.end_array().begin_array("notes");
  for (const std::string& note : r.notes) j.value("", note);
  j.end_array().end_object();
  return j.str();
}

std::string improve_csv(const ImproveResult& r) {
  std::ostringstream out;
  out << "rank,plant,kind,candidate,edits,simulated,gain_mean,gain_ci_low,gain_ci_high,"
         "base_output,bound_before,bound_after,verdict\n";
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const ImproveRow& row = r.rows[i];
    const ImprovePlant* p = nullptr;
    for (const ImprovePlant& x : r.plants) {
      if (x.name == row.plant) p = &x;
    }
    const auto number = [&](double v) { return row.simulated ? detail::json_number(v) : ""; };
    // One replication has no interval: its cells stay empty, as in the JSON's null.
    const auto bound = [&](double v) { return row.gain.n < 2 ? std::string() : number(v); };
    out << i + 1 << "," << csv_field(row.plant) << "," << row.kind << ","
        << csv_field(row.candidate) << "," << csv_field(joined(row.edits, "; ")) << ","
        << (row.simulated ? "true" : "false") << "," << number(row.gain.mean) << ","
        << bound(row.gain.ci_low) << "," << bound(row.gain.ci_high) << ","
        << (p ? detail::json_number(p->annual.mean) : "") << ","
        << (p ? detail::json_number(p->bound) : "") << "," << detail::json_number(row.bound) << ","
        << row.verdict << "\n";
  }
  return out.str();
}

}  // namespace takt::run
