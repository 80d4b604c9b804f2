// Both arms run with one seed and, batch by batch, one count (run_replication_output_only: as
// the runner runs a replication, without the bottleneck analysis no figure here reads), so
// replication r of a plant draws the same streams in both arms wherever the plant is the
// same; B's plants alike to A's take A's results.
#include "takt/run/compare.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <sstream>

#include "json_writer.hpp"
#include "precision_report.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/sim/interrupt.hpp"
#include "text_format.hpp"

namespace takt::run {

using detail::fixed;
using detail::pad;
using detail::thousands;

namespace {

struct Value {
  std::string figure, unit;
  std::optional<double> value;  ///< none: not defined in this replication (a level not reached)
};

std::optional<double> reached(int months) {
  return months < 0 ? std::nullopt : std::optional<double>(months);
}

std::vector<Value> values_of(const PlantRuns& runs, const models::PlantKpis& k) {
  std::vector<Value> v = {{"annual output", "vehicles/yr", k.annual_rate},
                          {"output", "vehicles", static_cast<double>(k.output)}};
  if (!runs.prices.empty())
    v.push_back({"annual value", "yuan/yr", k.annual_rate * mean_price(runs, k)});
  for (const models::YearKpi& y : k.years)
    v.push_back({"output " + std::to_string(y.year), "vehicles", static_cast<double>(y.output)});
  v.push_back({"wip", "vehicles", k.wip});
  v.push_back({"lead time", "h", k.lead_time_hours});
  v.push_back({"months to 80 %", "months", reached(months_to_reach(k, 0.8))});
  v.push_back({"months to 90 %", "months", reached(months_to_reach(k, 0.9))});
  if (!k.monthly_orders.empty()) {
    double lost = 0;
    for (const std::uint64_t m : k.monthly_lost) lost += static_cast<double>(m);
    v.push_back({"lost orders", "vehicles", lost});
    v.push_back({"final backlog", "vehicles",
                 k.monthly_backlog.empty() ? 0.0 : static_cast<double>(k.monthly_backlog.back())});
  }
  return v;
}

// The values of `figure` over a plant's replications, or nullopt if any is missing.
std::optional<std::vector<double>> series(const PlantRuns& runs, const std::string& figure) {
  std::vector<double> out;
  for (const models::PlantKpis& k : runs.replications) {
    std::optional<double> found;
    for (const Value& v : values_of(runs, k)) {
      if (v.figure == figure) found = v.value;
    }
    if (!found) return std::nullopt;
    out.push_back(*found);
  }
  return out;
}

double variance(const experiment::Summary& s) { return s.stddev * s.stddev; }

ComparedFigure pair(const std::string& plant, const Value& v, const std::vector<double>& a,
                    const std::vector<double>& b) {
  ComparedFigure f{
      plant, v.figure, v.unit, experiment::summarize(a), experiment::summarize(b), {}, {},
      0,     0,        false};
  for (std::size_t r = 0; r < a.size(); ++r) f.differences.push_back(b[r] - a[r]);
  f.difference = experiment::summarize(f.differences);
  const double n = static_cast<double>(a.size());
  const double unpaired = variance(f.a) + variance(f.b);
  if (a.size() > 1) {
    f.independent_half_width =
        experiment::student_t_quantile(0.95, 2 * a.size() - 2) * std::sqrt(unpaired / n);
  }
  f.has_reduction = unpaired > 0;
  if (f.has_reduction) f.variance_reduction = 1 - variance(f.difference) / unpaired;
  return f;
}

const PlantRuns* find(const RunResult& r, const std::string& name) {
  for (const PlantRuns& p : r.plants) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string signed_number(double v, const std::string& unit) {
  const bool whole = unit == "vehicles" || unit == "vehicles/yr" || unit == "yuan/yr";
  const std::string text = whole ? thousands(v) : fixed(v, 2);
  return (v > 0 ? "+" : "") + text;
}

std::string number(double v, const std::string& unit) {
  const bool whole = unit == "vehicles" || unit == "vehicles/yr" || unit == "yuan/yr";
  return whole ? thousands(v) : fixed(v, 2);
}

// An arm as run_scenario starts it: its scenario with the shared seed, no plant run yet.
RunResult arm(const Scenario& in, std::uint64_t seed) {
  RunResult r;
  r.scenario = in;
  r.scenario.seed = seed;
  r.scenario.precision.reset();
  r.scenario.replications = 0;
  for (const models::PlantSpec& p : in.plants)
    r.plants.push_back({p.name, p.capacity, {}, p.prices, p.investment});
  return r;
}

// B's plants that are the same runs as A's (scenario::plant_run_key alike): they take A's
// results, which are the same numbers as running them, without the repeat.
std::vector<bool> alike_plants(const Scenario& a, const Scenario& b) {
  std::vector<bool> alike(b.plants.size(), false);
  for (std::size_t p = 0; p < b.plants.size() && p < a.plants.size(); ++p) {
    const std::string key = scenario::plant_run_key(b, p, 0);
    alike[p] = !key.empty() && key == scenario::plant_run_key(a, p, 0);
  }
  return alike;
}

// Replications [from, to) of both arms in one pool of tasks: every plant of A, B's plants
// that are not alike; B's alike plants then copy A's.
void run_both(RunResult& a, RunResult& b, const std::vector<bool>& alike, std::size_t from,
              std::size_t to, const RunOptions& o, experiment::Progress& progress) {
  struct Task {
    RunResult* arm;
    std::size_t plant, replication;
  };
  std::vector<Task> tasks;
  for (RunResult* r : {&a, &b}) {
    for (std::size_t p = 0; p < r->plants.size(); ++p) {
      r->plants[p].replications.resize(to);
      if (r == &b && alike[p]) continue;
      for (std::size_t rep = from; rep < to; ++rep) tasks.push_back({r, p, rep});
    }
  }
  experiment::parallel_for(tasks.size(), o.jobs, [&](std::size_t i) {
    const Task& t = tasks[i];
    t.arm->plants[t.plant].replications[t.replication] =
        run_replication_output_only(t.arm->scenario, t.plant, t.replication);
    progress.advance(1);
    sim::interrupt_point();
  });
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
  for (std::size_t p = 0; p < b.plants.size(); ++p) {
    if (alike[p]) b.plants[p].replications = a.plants[p].replications;
  }
  a.scenario.replications = b.scenario.replications = static_cast<int>(to);
}

// The rule judged over both arms: every plant of A and every plant of B run on its own.
PrecisionReport judge_both(const RunResult& a, const RunResult& b, const std::vector<bool>& alike,
                           const scenario::PrecisionRule& rule) {
  PrecisionReport report{rule, a.scenario.replications, true, {}};
  for (const RunResult* r : {&a, &b}) {
    for (std::size_t p = 0; p < r->plants.size(); ++p) {
      if (r == &b && alike[p]) continue;
      const double reached = relative_half_width(r->plants[p].replications);
      report.reached.push_back({(r == &a ? "A/" : "B/") + r->plants[p].name, reached});
      report.met = report.met && reached <= rule.half_width;
    }
  }
  return report;
}

}  // namespace

Comparison compare(const Scenario& a_in, const Scenario& b_in, const std::string& a_name,
                   const std::string& b_name, const RunOptions& options) {
  Comparison c;
  c.a_name = a_name;
  c.b_name = b_name;
  // Both arms: A's seed and its count or rule, unless the options give theirs.
  std::optional<scenario::PrecisionRule> rule = options.precision;
  if (!rule && options.replications == 0) rule = a_in.precision;
  const auto first = static_cast<std::size_t>(
      rule ? rule->min : (options.replications > 0 ? options.replications : a_in.replications));
  RunResult a = arm(a_in, options.seed ? *options.seed : a_in.seed);
  RunResult b = arm(b_in, a.scenario.seed);
  const std::vector<bool> alike = alike_plants(a.scenario, b.scenario);
  std::size_t per_rep = a.plants.size();
  for (std::size_t p = 0; p < b.plants.size(); ++p) {
    if (!alike[p]) ++per_rep;
    if (alike[p]) c.shared_plants.push_back(b.plants[p].name);
  }
  const std::size_t most = rule ? static_cast<std::size_t>(rule->max) : first;
  experiment::Progress progress(most * per_rep, options.progress, "plant runs",
                                std::chrono::seconds(1));
  // In lock-step, so that replication r pairs in every figure: the same count for both arms,
  // judged after whole batches only (docs/precision.md).
  for (std::size_t done = 0, target = first;;) {
    run_both(a, b, alike, done, target, options, progress);
    done = target;
    if (!rule) break;
    c.precision = judge_both(a, b, alike, *rule);
    if (c.precision->met || done >= most) break;
    target = std::min(most, done + static_cast<std::size_t>(rule->step));
  }
  progress.finish();
  c.a = a.scenario;
  c.b = b.scenario;
  for (const PlantRuns& pa : a.plants) {
    const PlantRuns* pb = find(b, pa.name);
    if (pb == nullptr) {
      c.only_in_a.push_back(pa.name);
      continue;
    }
    for (const Value& v : values_of(pa, pa.replications.front())) {
      const auto xa = series(pa, v.figure), xb = series(*pb, v.figure);
      if (xa && xb) c.figures.push_back(pair(pa.name, v, *xa, *xb));
    }
  }
  for (const PlantRuns& pb : b.plants) {
    if (find(a, pb.name) == nullptr) c.only_in_b.push_back(pb.name);
  }
  return c;
}

std::string comparison_text(const Comparison& c) {
  std::ostringstream out;
  out << "takt " << program_version() << ": comparison\n  A: " << c.a_name << "\n  B: " << c.b_name
      << "\n"
      << c.a.replications << " replications from seed " << c.a.seed
      << ", paired by common random numbers; B - A with its 95 % interval, and its width against "
         "unpaired runs\n";
  if (c.precision) out << detail::precision_text(*c.precision) << "\n";
  // Columns as wide as their widest cell (yuan figures run to 15 digits), two spaces apart.
  std::vector<std::vector<std::string>> rows{
      {"plant", "figure", "A", "B", "B - A", "95 % interval", "unpaired +-", "var. removed"}};
  for (const ComparedFigure& f : c.figures) {
    // One replication has no spread to judge by: no interval, and no claim of an exact 0.
    const bool one = f.difference.n < 2;
    const bool none = f.difference.stddev == 0 && f.difference.mean == 0;
    rows.push_back({f.plant, f.figure, number(f.a.mean, f.unit), number(f.b.mean, f.unit),
                    signed_number(f.difference.mean, f.unit),
                    one    ? "n/a (1 replication)"
                    : none ? "exactly 0"
                           : "[" + signed_number(f.difference.ci_low, f.unit) + ", " +
                                 signed_number(f.difference.ci_high, f.unit) + "]",
                    one ? "-" : number(f.independent_half_width, f.unit),
                    f.has_reduction ? fixed(100 * f.variance_reduction, 1) + "%" : "-"});
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  out << "\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      // Names left-aligned, numbers right-aligned; two spaces before every column but the first.
      out << (i > 0 ? "  " : "") << pad(row[i], width[i], i < 2);
    }
    out << "\n";
  }
  if (!c.shared_plants.empty()) {
    out << "the same in both arms, simulated once:";
    for (const std::string& p : c.shared_plants) out << " " << p;
    out << "\n";
  }
  for (const std::string& p : c.only_in_a) out << "only in A: " << p << "\n";
  for (const std::string& p : c.only_in_b) out << "only in B: " << p << "\n";
  return out.str();
}

std::string comparison_json(const Comparison& c) {
  detail::JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("a", c.a_name)
      .value("b", c.b_name)
      .integer("replications", c.a.replications)
      .value("seed", std::to_string(c.a.seed));
  if (c.precision) detail::precision_json(j, *c.precision);
  j.begin_array("figures");
  for (const ComparedFigure& f : c.figures) {
    const auto& d = f.difference;
    j.begin_object()
        .value("plant", f.plant)
        .value("figure", f.figure)
        .value("unit", f.unit)
        .value("a_mean", f.a.mean)
        .value("b_mean", f.b.mean)
        .estimate("difference", d.mean, d.ci_low, d.ci_high, d.p10, d.p50, d.p90, d.n > 1)
        .raw("unpaired_half_width",
             d.n > 1 ? detail::json_number(f.independent_half_width) : "null")
        .raw("variance_reduction",
             f.has_reduction ? detail::json_number(f.variance_reduction) : "null")
        .end_object();
  }
  j.end_array().begin_array("shared_plants");
  for (const std::string& p : c.shared_plants) j.value("", p);
  j.end_array().begin_array("only_in_a");
  for (const std::string& p : c.only_in_a) j.value("", p);
  j.end_array().begin_array("only_in_b");
  for (const std::string& p : c.only_in_b) j.value("", p);
  j.end_array().end_object();
  return j.str();
}

std::string comparison_csv(const Comparison& c) {
  std::ostringstream out;
  out << "plant,figure,unit,replications,a_mean,b_mean,difference_mean,difference_ci_low,"
         "difference_ci_high,unpaired_half_width,variance_reduction\n";
  for (const ComparedFigure& f : c.figures) {
    out << detail::csv_field(f.plant) << "," << detail::csv_field(f.figure) << "," << f.unit << ","
        << f.differences.size() << "," << detail::json_number(f.a.mean) << ","
        << detail::json_number(f.b.mean) << "," << detail::json_number(f.difference.mean) << ",";
    // One replication: the interval's and the unpaired width's cells are empty, as in the JSON.
    if (f.difference.n > 1) {
      out << detail::json_number(f.difference.ci_low) << ","
          << detail::json_number(f.difference.ci_high) << ","
          << detail::json_number(f.independent_half_width) << ",";
    } else {
      out << ",,,";
    }
    out << (f.has_reduction ? detail::json_number(f.variance_reduction) : "") << "\n";
  }
  return out.str();
}

}  // namespace takt::run
