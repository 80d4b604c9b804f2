// Reads a sweep file: the base scenario, fixed overrides, the design and its factors. Every
// point's scenario is loaded up front, so a factor that does not fit the base is reported
// before anything runs.
#include <algorithm>
#include <cstdio>
#include <set>

#include "input_file.hpp"
#include "readers.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/scenario/sweep.hpp"
#include "takt/sim/hash.hpp"
#include "yaml_reader.hpp"

namespace takt::scenario {
namespace {

using detail::Field;

std::optional<experiment::Factor> read_factor(const Field& f, experiment::DesignKind kind) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"path", "values", "range", "levels", "step", "unit"});
  experiment::Factor factor;
  factor.path = f.require("path").as_string().value_or("");
  bool ok = !factor.path.empty();
  for (const Field& v : f.child("values").items()) {
    const auto text = v.as_string();
    ok = ok && text;
    if (!text) continue;
    // A level twice runs its points twice and weighs it double in the main effects.
    if (std::find(factor.values.begin(), factor.values.end(), *text) != factor.values.end()) {
      v.error("'" + *text + "' is listed twice");
      ok = false;
    }
    factor.values.push_back(*text);
  }
  if (const Field range = f.child("range"); range.is_defined()) {
    const auto items = range.items();
    if (items.size() != 2) {
      range.error("expected [low, high]");
      return std::nullopt;
    }
    const auto low = items[0].as_number(), high = items[1].as_number();
    if (low && high && !(*low < *high)) range.error("expected low < high");
    ok = ok && low && high && *low < *high;
    if (low && high) factor.range = std::make_pair(*low, *high);
  }
  if (factor.values.empty() == !factor.range.has_value()) {
    f.error("give either values or range");
    ok = false;
  }
  // Levels space a grid's values over a range; anywhere else they were dropped unsaid.
  if (const Field levels = f.child("levels"); !levels.is_defined()) {
  } else if (kind != experiment::DesignKind::kGrid) {
    levels.error("levels space a grid's values over a range; a " + experiment::design_name(kind) +
                 " design draws them: give the design's points instead");
    ok = false;
  } else if (!factor.values.empty()) {
    levels.error("levels space a grid's values over a range; this factor lists its values");
    ok = false;
  } else {
    // As many levels as a sweep may have points: read whole, never cut to 32 bits.
    factor.levels = detail::read_count(levels, limits::kSweepPoints).value_or(0);
  }
  if (const Field step = f.child("step"); step.is_defined()) {
    const auto value = step.as_number();
    if (value && !(*value > 0)) step.error("expected a positive number");
    ok = ok && value && *value > 0;
    if (!factor.values.empty()) step.error("a step goes with a range, not with values");
    ok = ok && factor.values.empty();
    factor.step = value.value_or(0);
  }
  if (const Field unit = f.child("unit"); unit.is_defined())
    factor.unit = unit.as_string().value_or("");
  if (!ok) return std::nullopt;
  return factor;
}

void read_design(const Field& f, experiment::Design& design) {
  if (!f.is_defined()) return;
  if (!f.expect_map()) return;
  f.check_keys({"kind", "points", "seed"});
  if (const auto kind = f.require("kind").as_string()) {
    if (const auto k = experiment::parse_design_kind(*kind)) {
      design.kind = *k;
    } else {
      f.child("kind").error("expected grid, lhs, sobol or random, got \"" + *kind + "\"");
    }
  }
  if (const Field points = f.child("points"); points.is_defined()) {
    design.points =
        static_cast<std::size_t>(detail::read_count(points, limits::kSweepPoints).value_or(1));
  }
  if (const Field seed = f.child("seed"); seed.is_defined()) {
    design.seed =
        static_cast<std::uint64_t>(detail::non_negative(seed, seed.as_integer()).value_or(0));
  }
}

std::string point_label(const SweepSpec& spec, std::size_t point) {
  std::string label = "point " + std::to_string(point) + " (";
  for (std::size_t i = 0; i < spec.design.factors.size(); ++i) {
    label += (i ? ", " : "") + spec.design.factors[i].path + "=" + spec.rows[point][i];
  }
  return label + ")";
}

// Loads the base scenario with each point's factor values, on several threads. Every point
// that does not fit is told at once, each under its label, in point order, as a file's errors
// are: the first kToldPoints whose errors differ, then how many more (a bad override fails
// every point alike, and is told once).
void load_points(SweepSpec& spec, const std::vector<std::string>& cli_overrides,
                 const SweepLoadOptions& options) {
  constexpr std::size_t kToldPoints = 10;
  spec.scenarios.assign(spec.rows.size(), Scenario());
  std::vector<std::vector<Diagnostic>> misfits(spec.rows.size());
  experiment::Progress progress(spec.rows.size(), options.progress, "checking points",
                                std::chrono::seconds(1));
  experiment::parallel_for(spec.rows.size(), options.jobs, [&](std::size_t p) {
    std::vector<Edit> edits = spec.overrides;
    for (std::size_t i = 0; i < spec.design.factors.size(); ++i) {
      edits.push_back(
          {spec.design.factors[i].path + "=" + spec.rows[p][i], spec.factor_locations[i]});
    }
    for (const std::string& o : cli_overrides) edits.push_back({o});
    try {
      spec.scenarios[p] = load_scenario_edited(spec.base_text, spec.base_file, edits);
    } catch (const ScenarioError& e) {
      Diagnostic head;
      head.where.file = spec.file;
      head.message = point_label(spec, p) + " does not fit the base scenario:";
      misfits[p] = {head};
      misfits[p].insert(misfits[p].end(), e.diagnostics().begin(), e.diagnostics().end());
      return;
    }
    Scenario& point = spec.scenarios[p];
    if (spec.replications > 0) {
      point.replications = spec.replications;
      point.precision.reset();  // a count asked for replaces the base's rule
    }
    if (spec.precision) point.precision = spec.precision;
    if (point.precision) point.replications = point.precision->min;
    // The base's rule is not used then: its warning would be about nothing that runs.
    if ((spec.replications > 0 || spec.precision) && !point.precision_warning.empty()) {
      auto& w = point.warnings;
      w.erase(std::remove(w.begin(), w.end(), point.precision_warning), w.end());
    }
    progress.advance(1);
  });
  progress.finish();
  std::vector<Diagnostic> all;
  std::set<std::string> told;
  std::size_t failed = 0, more = 0;
  for (const std::vector<Diagnostic>& m : misfits) {
    if (m.empty()) continue;
    ++failed;
    std::string errors;  // the point's own errors, its label (m[0]) aside
    for (std::size_t i = 1; i < m.size(); ++i) errors += m[i].to_string() + "\n";
    if (told.size() == kToldPoints || !told.insert(errors).second) {
      ++more;
      continue;
    }
    all.insert(all.end(), m.begin(), m.end());
  }
  if (failed == 0) return;
  if (more > 0) {
    Diagnostic rest;
    rest.where.file = spec.file;
    rest.message = "and " + std::to_string(more) + " more of the " +
                   std::to_string(spec.rows.size()) + " points do not fit the base scenario";
    all.push_back(rest);
  }
  throw ScenarioError(all);
}

std::string place(const Location& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// A point's edits are the sweep's overrides, then its factors, then the command line's --set.
// An edit that replaces an earlier one (the same value, however each names it, or a mapping
// that holds it) makes that one change nothing at every point: a factor so undone would leave
// points.csv listing values that never ran.
void check_edits_kept(const SweepSpec& spec, const std::vector<std::string>& cli_overrides,
                      Diagnostics& d) {
  std::vector<std::string> keys;
  for (const experiment::Factor& factor : spec.design.factors) keys.push_back(factor.path);
  for (const Edit& o : spec.overrides) keys.push_back(edit_key(o.expression));
  for (const std::string& o : cli_overrides) keys.push_back(edit_key(o));
  std::vector<std::string> canonical;
  try {
    canonical = canonical_keys(spec.base_text, spec.base_file, spec.overrides, keys);
  } catch (const ScenarioError&) {
    return;  // loading the points reports the base's own errors, each once
  }
  const std::size_t factors = spec.design.factors.size();
  const std::size_t file_overrides = spec.overrides.size();
  const auto factor_named = [&](std::size_t i) {
    return "factor " + spec.design.factors[i].path + " (" + place(spec.factor_locations[i]) + ")";
  };
  for (std::size_t j = 0; j < factors; ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (!replaces(canonical[j], canonical[i]) && !replaces(canonical[i], canonical[j])) continue;
      d.error(spec.factor_locations[j], spec.design.factors[j].path,
              (canonical[i] == canonical[j] ? "names the same value as " : "overlaps ") +
                  factor_named(i) + ": sweep each value once");
    }
  }
  for (std::size_t o = 0; o < file_overrides; ++o) {
    for (std::size_t i = 0; i < factors; ++i) {
      if (!replaces(canonical[i], canonical[factors + o])) continue;
      d.error(spec.overrides[o].origin, keys[factors + o],
              "is replaced by " + factor_named(i) + " at every point, so it changes nothing");
    }
  }
  for (std::size_t c = 0; c < cli_overrides.size(); ++c) {
    const std::size_t k = factors + file_overrides + c;
    for (std::size_t i = 0; i < factors; ++i) {
      if (!replaces(canonical[k], canonical[i])) continue;
      d.error({"--set", 0, 0}, keys[k],
              "would replace " + factor_named(i) +
                  " at every point, so the factor would change nothing: drop the --set or the "
                  "factor");
    }
  }
}

// The design's rows, or its errors: each factor's at the factor (all of them, though the
// design stops at its first), then, if every factor was read, the design's own at the factor
// it names or at the design.
void generate_rows(SweepSpec& spec, const Field& f, bool all_read, Diagnostics& d) {
  bool factors_fit = true;
  for (std::size_t i = 0; i < spec.design.factors.size(); ++i) {
    experiment::Design alone;
    alone.kind = spec.design.kind;
    alone.points = 1;  // the design's own count is checked with the whole design
    alone.factors = {spec.design.factors[i]};
    try {
      experiment::validate(alone);
    } catch (const std::invalid_argument& e) {
      // The key path names the factor: the message need not name it again.
      const std::string& path = spec.design.factors[i].path;
      std::string message = e.what();
      const std::string named = "factor '" + path + "': ";
      if (message.rfind(named, 0) == 0) message.erase(0, named.size());
      d.error(spec.factor_locations[i], "factors[" + path + "]", message);
      factors_fit = false;
    }
  }
  if (!factors_fit || !all_read) return;
  // A path given twice is told at the second factor by check_edits_kept, with what it names.
  std::set<std::string> paths;
  for (const experiment::Factor& factor : spec.design.factors) {
    if (!paths.insert(factor.path).second) return;
  }
  try {
    if (const std::size_t n = experiment::point_count(spec.design); n > limits::kSweepPoints) {
      throw std::invalid_argument("the design has " + std::to_string(n) +
                                  " points; a sweep may have at most " +
                                  std::to_string(limits::kSweepPoints));
    }
    spec.rows = experiment::generate(spec.design);
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    for (std::size_t i = 0; i < spec.design.factors.size(); ++i) {
      const std::string& factor = spec.design.factors[i].path;
      if (message.rfind("factor '" + factor + "'", 0) != 0) continue;
      d.error(spec.factor_locations[i], "factors[" + factor + "]", message);
      return;
    }
    d.error(f.child("design").is_defined() ? f.child("design").location() : f.location(), "design",
            message);
  }
}

// The sweep file's own errors, sorted as a file's are, then the points that do not fit, each
// with its label first, in point order.
void throw_all(const Diagnostics& d, std::vector<Diagnostic> misfits) {
  std::vector<Diagnostic> all;
  try {
    d.throw_if_errors();
  } catch (const ScenarioError& e) {
    all = e.diagnostics();
  }
  if (all.empty() && misfits.empty()) return;
  all.insert(all.end(), misfits.begin(), misfits.end());
  throw ScenarioError(all);
}

// A count or rule of the sweep's own replaces the one each point's load checked: it must fit
// the results limit at every point: told once, at the count or rule, with the first point
// that breaks it.
void check_points_size(const SweepSpec& spec, const Field& f, bool from_command_line,
                       Diagnostics& d) {
  if (spec.replications == 0 && !spec.precision) return;
  const int most = spec.precision ? spec.precision->max : spec.replications;
  for (std::size_t p = 0; p < spec.scenarios.size(); ++p) {
    const std::string too_big = check_run_size(spec.scenarios[p], most);
    if (too_big.empty()) continue;
    const std::string what = spec.precision ? "precision" : "replications";
    const std::string message =
        point_label(spec, p) + ", " + (spec.precision ? "the maximum count: " : "") + too_big;
    if (from_command_line) {
      d.error({spec.precision ? "--precision" : "--replications", 0, 0}, "", message);
    } else {
      const Field at = f.child(what);
      (spec.precision && at.child("max").is_defined() ? at.child("max") : at).error(message);
    }
    return;
  }
}

}  // namespace

bool is_sweep_file(const std::filesystem::path& path) {
  Diagnostics d;
  const std::optional<std::string> text = detail::read_input_file(path, d, {path.string(), 0, 0});
  if (!text) return false;
  const auto root = detail::load_yaml(*text, path.string(), d);
  return root && (*root)["sweep"].IsDefined();
}

SweepSpec load_sweep_file(const std::filesystem::path& path,
                          const std::vector<std::string>& overrides, int replications,
                          const SweepLoadOptions& options,
                          const std::optional<PrecisionRule>& precision) {
  Diagnostics d;
  SweepSpec spec;
  spec.file = path.string();
  const std::optional<std::string> text = detail::read_input_file(path, d, {spec.file, 0, 0});
  d.throw_if_errors();
  const auto root = detail::load_yaml(*text, spec.file, d);
  d.throw_if_errors();
  const Field f(*root, "", &spec.file, &d);
  f.check_keys({"sweep", "description", "base", "replications", "precision", "overrides", "design",
                "factors"});
  spec.name = f.require("sweep").as_string().value_or("");
  if (f.child("sweep").is_scalar() && detail::is_blank(spec.name))
    f.child("sweep").error("expected a name");
  if (const std::string problem = detail::name_character_error(spec.name); !problem.empty())
    f.child("sweep").error(problem);
  const auto base = f.require("base").as_string();
  if (const Field r = f.child("replications"); r.is_defined()) {
    spec.replications = detail::read_count(r, limits::kReplications).value_or(1);
  }
  std::string precision_warning;
  if (const Field r = f.child("precision"); r.is_defined()) {
    spec.precision = detail::read_precision(r);
    precision_warning = detail::precision_warning(r);
    if (f.child("replications").is_defined())
      r.error("give replications or precision, not both: the rule chooses the count");
  }
  for (const Field& o : f.child("overrides").items()) {
    if (const auto e = o.as_string()) spec.overrides.push_back({*e, o.location()});
  }
  // A design that could not be read (a kind misspelt) would be taken for the default grid,
  // whose points may be many and none of them asked for: no rows, no points then.
  const std::size_t errors_before_design = d.count();
  read_design(f.child("design"), spec.design);
  const bool design_read = d.count() == errors_before_design;
  std::size_t written = 0;  // factors in the file, read or not
  for (const Field& factor : f.require("factors").items({"path"})) {
    ++written;
    if (auto x = read_factor(factor, spec.design.kind)) {
      spec.design.factors.push_back(*x);
      spec.factor_locations.push_back(factor.child("path").location());
    }
  }
  // The count or rule is the sweep's, the same for every point: a point's own would make the
  // manifest's rule and the comparison of points untrue.
  const auto refuse_count = [&](const std::string& expression, const Location& where) {
    const std::string key = edit_key(expression);
    if (!sets_run_count(key)) return;
    d.error(where, key,
            "sets the replications, which are the sweep's for every point: give the sweep "
            "file's `replications:` or `precision:`, or -r or --precision");
  };
  for (std::size_t i = 0; i < spec.design.factors.size(); ++i)
    refuse_count(spec.design.factors[i].path, spec.factor_locations[i]);
  for (const Edit& o : spec.overrides) refuse_count(o.expression, o.origin);
  for (const std::string& o : overrides) refuse_count(o, {"--set", 0, 0});
  std::optional<std::string> base_text;
  if (base) {
    spec.base_file = (path.parent_path() / *base).lexically_normal().string();
    base_text = detail::read_input_file(spec.base_file, d, f.child("base").location(), "base");
    spec.base_text = base_text.value_or("");
  }
  // Every error in one round: the sweep file's own, the edits a factor undoes, the design's,
  // and the points that do not fit, as far as each can be known (no points without a base or
  // with a factor that could not be read).
  check_edits_kept(spec, overrides, d);
  // No factor at all is told by the design's own check ("at least one factor").
  const bool factors_read = written == spec.design.factors.size();
  if (design_read && f.child("factors").is_defined()) generate_rows(spec, f, factors_read, d);
  if (replications > 0) {
    spec.replications = replications;
    spec.precision.reset();
  }
  if (precision) {
    spec.replications = 0;
    spec.precision = precision;
  }
  std::string identity =
      *text + "\n" + spec.base_text + "\nreplications " + std::to_string(spec.replications);
  if (precision) {
    char rule[96];
    std::snprintf(rule, sizeof rule, "\n--precision %.17g %d %d %d", precision->half_width,
                  precision->min, precision->max, precision->step);
    identity += rule;
  }
  for (const std::string& o : overrides) identity += "\n--set " + o;
  // The saved form of a point changed with the monthly table: points saved before it are not
  // mixed with new ones (--resume then says the folder holds another sweep).
  identity += "\npoint format 3";
  std::vector<Diagnostic> misfits;
  if (base_text && !spec.rows.empty()) {
    try {
      load_points(spec, overrides, options);
    } catch (const ScenarioError& e) {
      misfits = e.diagnostics();
    }
  }
  if (misfits.empty()) check_points_size(spec, f, replications > 0 || precision.has_value(), d);
  throw_all(d, misfits);
  // Told with the points' own warnings, once, while the sweep's rule is in force (-r ends it).
  if (!precision_warning.empty() && spec.precision && !precision) {
    for (Scenario& point : spec.scenarios) point.warnings.push_back(precision_warning);
  }
  // Every point as resolved, with the files it names: an edit to a file the base extends, or
  // to a calendar or order file, makes another sweep, whose points --resume must not mix in.
  for (const Scenario& point : spec.scenarios) {
    identity += "\n" + point.resolved_hash;
    for (const std::string& h : point.plant_hashes) identity += " " + h;
  }
  spec.id = sim::fnv1a_hex(identity);
  return spec;
}

}  // namespace takt::scenario
