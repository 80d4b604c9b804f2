// The search works in the unit box (each parameter's range mapped to [0, 1]) and every trial
// is cached by the text of its edits, so a value the optimiser revisits, or that rounds to a
// value already tried (whole seconds, whole days), costs nothing.
#include "takt/run/fit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "json_writer.hpp"
#include "precision_report.hpp"
#include "takt/experiment/parallel_for.hpp"
#include "takt/experiment/progress.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/precision_rule.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/hash.hpp"
#include "text_format.hpp"

namespace takt::run {

using detail::fixed;
using detail::pad;
using detail::thousands;
using scenario::ObservedPeriod;
using Point = std::vector<double>;  // a point of the unit box

namespace {

// Grid points of a profile: both ends of the range and seven between.
constexpr int kProfilePoints = 9;
// 95 % quantile of chi-square with one degree of freedom: a profile value this much above the
// best is what the data exclude (the likelihood-ratio rule for one parameter).
constexpr double kChiSquare95 = 3.841458820694124;
// An observed output is a count of vehicles: a model that differs from it by half a vehicle
// or less cannot be told from it, whatever the replications' spread.
constexpr double kMinVariance = 0.25;

// Trials of the short searches that start from the best values: refitting the other
// parameters at a profile point, and refitting all to one replication. They start close to
// their answer; these budgets keep a fit's profiles and refits below its main search.
int profile_budget(std::size_t n) { return 4 + 6 * static_cast<int>(n - 1); }
int refit_budget(std::size_t n) { return 10 + 10 * static_cast<int>(n); }

// ---------------------------------------------------------------- parameters

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> parse_bound(const std::string& text, FitParameter::Kind kind) {
  switch (kind) {
    case FitParameter::Kind::kDate: {
      const auto d = models::CalendarDate::parse(text);
      if (!d) return std::nullopt;
      return static_cast<double>(d->days_since_epoch());
    }
    case FitParameter::Kind::kDuration:
      try {
        return sim::parse_duration(text).to_seconds();
      } catch (const sim::ParseError&) {
        return std::nullopt;
      }
    case FitParameter::Kind::kNumber:
      break;
  }
  return parse_number(text);
}

const char* kind_name(FitParameter::Kind k) {
  switch (k) {
    case FitParameter::Kind::kDate:
      return "date";
    case FitParameter::Kind::kDuration:
      return "duration";
    case FitParameter::Kind::kNumber:
      break;
  }
  return "number";
}

FitParameter::Kind kind_of(const std::string& text) {
  if (models::CalendarDate::parse(text)) return FitParameter::Kind::kDate;
  if (parse_number(text)) return FitParameter::Kind::kNumber;  // "0" is a number, not 0 s
  return sim::is_duration(text) ? FitParameter::Kind::kDuration : FitParameter::Kind::kNumber;
}

// Keys that set the run's window or its randomness: fitting them compares different runs.
bool is_run_setting(const std::string& key) {
  const std::string plain = scenario::edit_key(key);
  for (const char* k : {"start", "end", "horizon", "warmup", "seed", "stop_after"})
    if (plain == k) return true;
  return scenario::sets_run_count(plain);
}

// Numbers searched are within this: wider ranges are no calibration, and the width of the
// range stays far from overflow.
constexpr double kMaxNumber = 1e12;

// A value of the range's kind, kept inside the range once rounded to its steps (whole
// seconds, whole days).
double to_value(const FitParameter& p, double u) {
  const double v = p.low + u * (p.high - p.low);
  if (p.kind == FitParameter::Kind::kNumber) return v;
  return std::min(std::floor(p.high), std::max(std::ceil(p.low), v));
}

double to_unit(const FitParameter& p, double v) {
  return p.high > p.low ? (v - p.low) / (p.high - p.low) : 0.5;
}

// The value a trial really used: its text parsed back (whole seconds, whole days, 6 digits).
double snapped(const FitParameter& p, double v) { return *parse_bound(value_text(p, v), p.kind); }

// ---------------------------------------------------------------- Nelder-Mead

struct Search {
  Point best;
  double value = 0;
  int calls = 0;
};

Point clamped(Point x) {
  for (double& v : x) v = std::min(1.0, std::max(0.0, v));
  return x;
}

// Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) in the unit box, points
// pushed back into it. Stops after `budget` calls of f, when the simplex is smaller than
// 1e-4 of the box, or when its values are all equal (a plateau: a restart elsewhere is
// worth more than shrinking on it).
Search nelder_mead(const std::function<double(const Point&)>& f, const Point& start, double step,
                   int budget) {
  const std::size_t n = start.size();
  Search s;
  std::vector<Point> x(n + 1, start);
  std::vector<double> fx(n + 1);
  for (std::size_t i = 0; i < n; ++i) x[i + 1][i] += x[i + 1][i] + step > 1 ? -step : step;
  const auto eval = [&](const Point& p) {
    ++s.calls;
    return f(p);
  };
  for (std::size_t i = 0; i <= n; ++i) fx[i] = eval(x[i]);
  std::vector<std::size_t> order(n + 1);
  for (;;) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return fx[a] < fx[b]; });
    std::vector<Point> xs;
    std::vector<double> fs;
    for (const std::size_t i : order) {
      xs.push_back(x[i]);
      fs.push_back(fx[i]);
    }
    x = xs;
    fx = fs;
    double size = 0;
    for (std::size_t i = 1; i <= n; ++i)
      for (std::size_t j = 0; j < n; ++j) size = std::max(size, std::abs(x[i][j] - x[0][j]));
    if (s.calls >= budget || size < 1e-4 || fx[n] - fx[0] <= 1e-12 * (1 + std::abs(fx[0]))) break;
    Point c(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) c[j] += x[i][j] / static_cast<double>(n);
    const auto along = [&](const Point& to, double t) {
      Point p(n);
      for (std::size_t j = 0; j < n; ++j) p[j] = c[j] + t * (to[j] - c[j]);
      return clamped(p);
    };
    const Point xr = along(x[n], -1);
    const double fr = eval(xr);
    if (fr < fx[0]) {
      const Point xe = along(x[n], -2);
      const double fe = eval(xe);
      x[n] = fe < fr ? xe : xr;
      fx[n] = std::min(fe, fr);
      continue;
    }
    if (fr < fx[n - 1]) {
      x[n] = xr;
      fx[n] = fr;
      continue;
    }
    const Point xc = fr < fx[n] ? along(xr, 0.5) : along(x[n], 0.5);
    const double fc = eval(xc);
    if (fc < std::min(fr, fx[n])) {
      x[n] = xc;
      fx[n] = fc;
      continue;
    }
    for (std::size_t i = 1; i <= n; ++i) {
      for (std::size_t j = 0; j < n; ++j) x[i][j] = x[0][j] + 0.5 * (x[i][j] - x[0][j]);
      fx[i] = eval(x[i]);
    }
  }
  s.best = x[0];
  s.value = fx[0];
  return s;
}

// The k-th point (k >= 1) of the Halton sequence in `n` dimensions: starts spread over the
// box, the same on every run.
Point halton(std::size_t k, std::size_t n) {
  static const std::size_t primes[] = {2, 3, 5, 7, 11, 13, 17, 19};
  Point p(n);
  for (std::size_t j = 0; j < n; ++j) {
    double f = 1, r = 0;
    for (std::size_t i = k; i > 0; i /= primes[j]) {
      f /= static_cast<double>(primes[j]);
      r += f * static_cast<double>(i % primes[j]);
    }
    p[j] = r;
  }
  return p;
}

// ---------------------------------------------------------------- trials

using Outputs = std::vector<std::vector<double>>;  // [replication][period]

std::vector<double> means(const Outputs& y) {
  std::vector<double> m(y.front().size(), 0.0);
  for (const std::vector<double>& r : y)
    for (std::size_t i = 0; i < m.size(); ++i) m[i] += r[i] / static_cast<double>(y.size());
  return m;
}

double objective(const Outputs& y, const std::vector<ObservedPeriod>& observed, bool relative) {
  const std::vector<double> m = means(y);
  double sum = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const double e = m[i] - observed[i].output;
    sum += relative ? (e / observed[i].output) * (e / observed[i].output) : e * e;
  }
  return sum;
}

// Runs the scenario at given parameter values and sums each observed period's output; keeps
// every replication it ran, by the text of the edits.
class Trials {
 public:
  Trials(const std::string& text, const std::string& file, const std::vector<std::string>& sets,
         const std::vector<ObservedPeriod>& observed, const std::vector<FitParameter>& parameters,
         const FitOptions& options, const scenario::Scenario& base)
      : text_(text),
        file_(file),
        observed_(observed),
        parameters_(parameters),
        replications_(options.replications > 0 ? options.replications : base.replications),
        seed_(options.seed ? *options.seed : base.seed) {
    for (const std::string& e : sets) sets_.push_back({e});
    models::CalendarDate last = base.start;
    bool all = false;
    for (const ObservedPeriod& o : observed) {
      last = std::max(
          last, o.last + (models::CalendarDate::days_in_month(o.last.year(), o.last.month()) - 1));
      all = all || o.plant == scenario::kAllPlants;
    }
    // Whole days to the end of the last observed month, if that shortens the run and
    // leaves it longer than its warm-up.
    const sim::Time to_last = sim::Time::days(last - base.start + 1);
    if (to_last < base.horizon && to_last > base.warmup) horizon_ = to_last;
    for (std::size_t p = 0; p < base.plants.size(); ++p) {
      const bool observed_plant =
          std::any_of(observed.begin(), observed.end(),
                      [&](const ObservedPeriod& o) { return o.plant == base.plants[p].name; });
      if (all || observed_plant) plants_.push_back(p);
    }
  }

  int replications() const { return replications_; }
  /// With a precision rule: from its first batch, step by step, the count at which every
  /// observed period's output at `u` is known to the rule's share (or its maximum). Every trial
  /// then runs that many: common random numbers need one count for all.
  PrecisionReport choose_replications(const scenario::PrecisionRule& rule, const Point& u, int jobs,
                                      experiment::Progress* progress) {
    for (replications_ = rule.min;;) {
      const Outputs y = outputs(u, {}, jobs, progress);
      PrecisionReport report{rule, replications_, true, {}};
      for (std::size_t i = 0; i < observed_.size(); ++i) {
        std::vector<double> period;
        for (const std::vector<double>& rep : y) period.push_back(rep[i]);
        const double reached = relative_half_width(period);
        report.reached.push_back({observed_[i].plant + " " + observed_[i].period, reached});
        report.met = report.met && reached <= rule.half_width;
      }
      if (report.met || replications_ >= rule.max) return report;
      replications_ = std::min(rule.max, replications_ + rule.step);
    }
  }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t runs() const { return runs_; }
  std::size_t distinct() const { return cache_.size(); }
  std::size_t plants() const { return plants_.size(); }

  /// The lowest objective of the trials run with every replication (search, profiles).
  double best_objective(const std::vector<ObservedPeriod>& observed, bool relative) {
    return best_trial(observed, relative).first;
  }
  /// The point of that trial (the first of equals in the order of their edits' text).
  std::optional<Point> best_point(const std::vector<ObservedPeriod>& observed, bool relative) {
    return best_trial(observed, relative).second;
  }

  std::vector<double> values(const Point& u) const {
    std::vector<double> v;
    for (std::size_t i = 0; i < u.size(); ++i)
      v.push_back(snapped(parameters_[i], to_value(parameters_[i], u[i])));
    return v;
  }

  scenario::Scenario scenario_at(const Point& u) const {
    std::vector<scenario::Edit> edits = sets_;
    for (std::size_t i = 0; i < u.size(); ++i) {
      edits.push_back(
          {parameters_[i].key + "=" + value_text(parameters_[i], to_value(parameters_[i], u[i])),
           {"--param", 0, 0}});
    }
    scenario::Scenario s = scenario::load_scenario_edited(text_, file_, edits);
    s.replications = replications_;
    s.seed = seed_;
    if (horizon_) s.horizon = *horizon_;
    return s;
  }

  /// Each period's output in the replications `which` (all when empty), in that order.
  Outputs outputs(const Point& u, std::vector<std::size_t> which, int jobs,
                  experiment::Progress* progress) {
    if (which.empty()) {
      for (int r = 0; r < replications_; ++r) which.push_back(static_cast<std::size_t>(r));
    }
    const std::string key = key_of(u);
    std::vector<std::size_t> missing;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // Several points may round to one key (whole days, whole numbers); the smallest is
      // kept, so the point a key stands for does not depend on which thread asked first.
      const auto [known_point, fresh] = points_.emplace(key, u);
      if (!fresh && u < known_point->second) known_point->second = u;
      auto& known = cache_[key];
      known.resize(static_cast<std::size_t>(replications_));
      for (const std::size_t r : which)
        if (known[r].empty()) missing.push_back(r);
    }
    if (!missing.empty()) run(u, key, missing, jobs, progress);
    std::lock_guard<std::mutex> lock(mutex_);
    Outputs out;
    for (const std::size_t r : which) out.push_back(cache_[key][r]);
    return out;
  }

 private:
  std::pair<double, std::optional<Point>> best_trial(const std::vector<ObservedPeriod>& observed,
                                                     bool relative) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::pair<double, std::optional<Point>> best{INFINITY, std::nullopt};
    for (const auto& [key, outputs] : cache_) {
      const bool whole = std::all_of(outputs.begin(), outputs.end(),
                                     [](const std::vector<double>& y) { return !y.empty(); });
      if (!whole) continue;
      const double value = objective(outputs, observed, relative);
      if (value < best.first) best = {value, points_.at(key)};
    }
    return best;
  }

  std::string key_of(const Point& u) const {
    std::string key;
    for (std::size_t i = 0; i < u.size(); ++i)
      key += value_text(parameters_[i], to_value(parameters_[i], u[i])) + "\n";
    return key;
  }

  // A plant replication the parameters leave unchanged is the same run as in an earlier trial
  // (scenario::plant_run_key alike: the resolved plant, its calendars, horizon, seed and
  // replication): it is taken from there, not simulated again. A parameter of one plant
  // leaves the others' runs to every trial after the first.
  void run(const Point& u, const std::string& key, const std::vector<std::size_t>& missing,
           int jobs, experiment::Progress* progress) {
    const scenario::Scenario s = scenario_at(u);
    std::vector<std::vector<std::uint64_t>> monthly(missing.size() * plants_.size());
    std::vector<std::string> run_keys(monthly.size());
    std::vector<std::size_t> todo;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t t = 0; t < monthly.size(); ++t) {
        const std::size_t r = missing[t / plants_.size()], p = plants_[t % plants_.size()];
        run_keys[t] = scenario::plant_run_key(s, p, r);
        const auto known = plant_runs_.find(run_keys[t]);
        if (known == plant_runs_.end() || run_keys[t].empty()) {
          todo.push_back(t);
        } else {
          monthly[t] = known->second;
        }
      }
    }
    if (progress) progress->advance(monthly.size() - todo.size());
    experiment::parallel_for(todo.size(), jobs, [&](std::size_t i) {
      const std::size_t t = todo[i];
      const std::size_t r = missing[t / plants_.size()], p = plants_[t % plants_.size()];
      monthly[t] = run_replication_output_only(s, p, r).monthly;
      if (progress) progress->advance(1);
    });
    std::lock_guard<std::mutex> lock(mutex_);
    runs_ += todo.size();
    for (const std::size_t t : todo) {
      if (!run_keys[t].empty()) plant_runs_.emplace(run_keys[t], monthly[t]);
    }
    for (std::size_t m = 0; m < missing.size(); ++m) {
      std::vector<double> periods;
      for (const ObservedPeriod& o : observed_) {
        const int first = scenario::first_month_index(o, s),
                  last = scenario::last_month_index(o, s);
        double sum = 0;
        for (std::size_t k = 0; k < plants_.size(); ++k) {
          if (o.plant != scenario::kAllPlants && o.plant != s.plants[plants_[k]].name) continue;
          const std::vector<std::uint64_t>& months = monthly[m * plants_.size() + k];
          for (int i = std::max(first, 0); i <= last && i < static_cast<int>(months.size()); ++i)
            sum += static_cast<double>(months[static_cast<std::size_t>(i)]);
        }
        periods.push_back(sum);
      }
      cache_[key][missing[m]] = periods;
    }
  }

  std::string text_, file_;
  std::vector<scenario::Edit> sets_;
  const std::vector<ObservedPeriod>& observed_;
  const std::vector<FitParameter>& parameters_;
  int replications_;
  std::uint64_t seed_;
  std::optional<sim::Time> horizon_;
  std::vector<std::size_t> plants_;
  std::mutex mutex_;
  std::map<std::string, Outputs> cache_;
  std::map<std::string, Point> points_;  // the smallest point asked for under each key
  std::map<std::string, std::vector<std::uint64_t>> plant_runs_;  // by plant_run_key
  std::uint64_t runs_ = 0;
};

double chi_square(const Outputs& y, const std::vector<ObservedPeriod>& observed,
                  const std::vector<double>& variance) {
  const std::vector<double> m = means(y);
  double sum = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const double e = m[i] - observed[i].output;
    sum += e * e / variance[i];
  }
  return sum;
}

// What one observed history may differ from the model's mean by, per period: the
// replications' variance (one history's) plus that of their mean, at least kMinVariance.
std::vector<double> history_variance(const Outputs& y) {
  const double n = static_cast<double>(y.size());
  std::vector<double> v;
  for (std::size_t i = 0; i < y.front().size(); ++i) {
    std::vector<double> column;
    for (const std::vector<double>& r : y) column.push_back(r[i]);
    const double sd = experiment::summarize(column).stddev;
    v.push_back(std::max(kMinVariance, n > 1 ? sd * sd * (1 + 1 / n) : 0.0));
  }
  return v;
}

Point drop(const Point& u, std::size_t j) {
  Point out;
  for (std::size_t i = 0; i < u.size(); ++i)
    if (i != j) out.push_back(u[i]);
  return out;
}

Point insert(const Point& others, std::size_t j, double value) {
  Point u = others;
  u.insert(u.begin() + static_cast<std::ptrdiff_t>(j), value);
  return u;
}

// A parameter's profile: chi-square at a value of it, the other parameters refitted (a short
// search from the best values), on a grid over its range; where the values that fit within
// the data's noise end inside the range, the edge is found by bisection.
class Profile {
 public:
  Profile(std::size_t j, const Point& best, Trials& trials, const FitOptions& o,
          const std::vector<ObservedPeriod>& observed, const std::vector<double>& variance,
          experiment::Progress* progress)
      : j_(j),
        best_(best),
        trials_(trials),
        o_(o),
        observed_(observed),
        variance_(variance),
        progress_(progress) {}

  double chi_at(double g) {
    const std::size_t n = best_.size();
    Point u = insert(drop(best_, j_), j_, g);
    if (n > 1) {
      const auto f = [&](const Point& others) {
        return objective(trials_.outputs(insert(others, j_, g), {}, o_.jobs, progress_), observed_,
                         o_.relative);
      };
      u = insert(nelder_mead(f, drop(best_, j_), 0.1, profile_budget(n)).best, j_, g);
    }
    const double chi = chi_square(trials_.outputs(u, {}, o_.jobs, progress_), observed_, variance_);
    points_.push_back({g, chi});
    return chi;
  }

  /// Judges `p` (its value already set) from the grid, then refines the edges.
  void judge(FittedParameter& p, double best_chi) {
    for (int k = 0; k < kProfilePoints; ++k) chi_at(static_cast<double>(k) / (kProfilePoints - 1));
    double lowest = best_chi;
    for (const auto& [g, chi] : points_) lowest = std::min(lowest, chi);
    const auto fits = [&](double chi) { return chi - lowest <= kChiSquare95; };
    const double best_unit = best_[j_];
    double lo = best_unit, hi = best_unit;
    for (const auto& [g, chi] : points_) {
      if (!fits(chi)) continue;
      lo = std::min(lo, g);
      hi = std::max(hi, g);
    }
    const bool low_end = lo == 0.0, high_end = hi == 1.0;
    const double step = 1.0 / (kProfilePoints - 1);
    // The grid point next outside each edge does not fit: halve the gap four times.
    if (!low_end) lo = refine(lo, std::max(0.0, std::ceil(lo / step - 1) * step), fits);
    if (!high_end) hi = refine(hi, std::min(1.0, std::floor(hi / step + 1) * step), fits);
    p.consistent_low = to_value(p.spec, lo);
    p.consistent_high = to_value(p.spec, hi);
    p.identification = low_end && high_end   ? Identification::kNotIdentified
                       : low_end || high_end ? Identification::kBounded
                                             : Identification::kIdentified;
    std::sort(points_.begin(), points_.end());
    for (const auto& [g, chi] : points_) p.profile.push_back({to_value(p.spec, g), chi});
  }

 private:
  template <class Fits>
  double refine(double in, double out, const Fits& fits) {
    for (int i = 0; i < 4; ++i) {
      const double mid = (in + out) / 2;
      (fits(chi_at(mid)) ? in : out) = mid;
    }
    return in;
  }

  std::size_t j_;
  const Point& best_;
  Trials& trials_;
  const FitOptions& o_;
  const std::vector<ObservedPeriod>& observed_;
  const std::vector<double>& variance_;
  experiment::Progress* progress_;
  std::vector<std::pair<double, double>> points_;
};

// Chi-square per period above which the model at its best cannot be the data's source: each
// period's squared residual is then on average 4 times what the model's own noise explains
// (for 10 periods, far beyond chi-square's 99.9 % quantile).
constexpr double kMisfitPerPeriod = 4.0;

// The variance one history has is estimated from R replications: a squared residual over it
// is about t^2 with R - 1 degrees of freedom, not chi-square's 1 (its mean is infinite for
// R <= 3, 2 at R = 5). Below this count the fit says its judgements are rough, and the misfit
// threshold grows as t^2's quantile does, so a true model with two replications is not called
// a misfit while data far beyond it still are.
constexpr int kReplicationsToJudge = 5;

void add_warnings(FitResult& r, double best_seen) {
  const double periods = static_cast<double>(r.periods.size());
  const double t = r.replications > 1 ? experiment::student_t_quantile(
                                            0.95, static_cast<std::size_t>(r.replications - 1))
                                      : static_cast<double>(INFINITY);
  const double widening = (t * t) / (1.959964 * 1.959964);
  if (r.replications < kReplicationsToJudge) {
    r.warnings.push_back("with " + std::to_string(r.replications) +
                         " replications the spread of one history is known only roughly: "
                         "chi-square, the profile's ranges and their verdicts are rough; give -r " +
                         std::to_string(kReplicationsToJudge) + " or more");
  }
  if (r.chi_square > kMisfitPerPeriod * widening * periods + kChiSquare95) {
    r.warnings.push_back(
        "the model does not reproduce the data at any value searched: chi-square " +
        fixed(r.chi_square, 1) + " over " + std::to_string(r.periods.size()) +
        " periods; the residuals are far beyond its noise, so something other than these "
        "parameters differs (read the residuals), and the ranges above say only which values "
        "fit least badly");
  }
  if (best_seen < r.objective * (1 - 1e-9)) {
    r.warnings.push_back(
        "the search did not converge: a profile or refit trial fits better "
        "than the best value reported (objective " +
        detail::json_number(best_seen) + " < " + detail::json_number(r.objective) +
        "); raise --evaluations or --starts");
  }
  if (r.parameters.size() > r.periods.size()) {
    r.warnings.push_back(std::to_string(r.parameters.size()) + " parameters against " +
                         std::to_string(r.periods.size()) +
                         " observed periods: at most as many parameters as periods can be "
                         "identified");
  }
  for (const FittedParameter& p : r.parameters) {
    const std::string range =
        value_text(p.spec, p.consistent_low) + " to " + value_text(p.spec, p.consistent_high);
    if (p.identification == Identification::kNotIdentified) {
      r.warnings.push_back(p.spec.key + " is not identified by the data: every value from " +
                           range +
                           " (its whole range) fits as well as the best, within the "
                           "data's noise");
    } else if (p.identification == Identification::kBounded) {
      r.warnings.push_back(p.spec.key + " is only bounded by the data: values from " + range +
                           " (an end of its range) fit as well as the best, within the data's "
                           "noise");
    }
    const double u = to_unit(p.spec, p.value);
    if (p.identification != Identification::kNotIdentified && (u < 1e-3 || u > 1 - 1e-3)) {
      r.warnings.push_back("the best value of " + p.spec.key +
                           " is at an end of its range: widen the range");
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- public

FitParameter parse_fit_parameter(const std::string& text) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("expected KEY.PATH=LOW..HIGH, got \"" + text + "\"");
  FitParameter p;
  p.expression = text;
  p.key = text.substr(0, eq);
  const std::string range = text.substr(eq + 1);
  if (is_run_setting(p.key)) {
    throw std::invalid_argument(
        "sets the run's window, its randomness or its replications, not the plant: fit a "
        "plant's parameter");
  }
  const auto dots = range.find("..");
  if (dots == std::string::npos) {
    throw std::invalid_argument("expected a range LOW..HIGH, got \"" + range + "\"");
  }
  const std::string low = range.substr(0, dots), high = range.substr(dots + 2);
  p.kind = kind_of(low);
  const auto a = parse_bound(low, p.kind), b = parse_bound(high, p.kind);
  if (!a || !b || kind_of(high) != p.kind) {
    throw std::invalid_argument(
        "expected LOW..HIGH as two numbers, two durations (10min..4h) or two dates "
        "(2022-06-01..2022-12-01), got \"" +
        range + "\"");
  }
  if (!(*a < *b)) throw std::invalid_argument("expected LOW below HIGH, got \"" + range + "\"");
  // The search moves in the range's own steps: whole seconds, whole days, 8 significant
  // digits. A range of a few steps leaves nothing to search.
  if (p.kind == FitParameter::Kind::kDuration && *b - *a < 10) {
    throw std::invalid_argument(
        "a duration range must span at least 10 s (it is searched in "
        "whole seconds), got \"" +
        range + "\"");
  }
  if (p.kind == FitParameter::Kind::kNumber) {
    if (std::max(std::abs(*a), std::abs(*b)) > kMaxNumber) {
      throw std::invalid_argument("numbers in a range must be within +-1e12, got \"" + range +
                                  "\"");
    }
    if (*b - *a < 1e-6 * std::max(std::abs(*a), std::abs(*b))) {
      throw std::invalid_argument(
          "the range is too narrow to search at 8 significant digits, "
          "got \"" +
          range + "\"");
    }
  }
  p.low = *a;
  p.high = *b;
  return p;
}

std::string value_text(const FitParameter& p, double value) {
  switch (p.kind) {
    case FitParameter::Kind::kDate:
      return models::CalendarDate::from_days_since_epoch(std::llround(value)).to_string();
    case FitParameter::Kind::kDuration:
      return sim::format_duration(sim::Time::seconds(static_cast<double>(std::llround(value))));
    case FitParameter::Kind::kNumber:
      break;
  }
  std::ostringstream out;
  out.precision(8);
  out << value;
  return out.str();
}

std::vector<scenario::Diagnostic> check_fit_parameters(const std::string& text,
                                                       const std::string& file,
                                                       const std::vector<std::string>& sets,
                                                       const std::vector<FitParameter>& params) {
  std::vector<scenario::Diagnostic> out;
  std::vector<scenario::Edit> edits;
  for (const std::string& e : sets) edits.push_back({e});
  const auto problem = [&](const FitParameter& p, const std::string& message) {
    scenario::Diagnostic d;
    d.where.file = "--param";
    d.path = p.key;
    d.message = message;
    out.push_back(std::move(d));
  };
  // Keys compared as the scenario resolves them, so that plants[0] and plants[Liangjiang]
  // are one key. A parameter is edited after every --set: one that replaces a --set's value
  // leaves that --set doing nothing.
  std::vector<std::string> keys;
  for (const FitParameter& p : params) keys.push_back(p.key);
  for (const std::string& e : sets) keys.push_back(scenario::edit_key(e));
  try {
    keys = scenario::canonical_keys(text, file, edits, keys);
  } catch (const scenario::ScenarioError&) {
    // The file or a --set does not load: the checks below report it; keys stay as written.
  }
  for (std::size_t j = 0; j < params.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (keys[i] == keys[j]) {
        problem(params[j], "names the same value as --param " + params[i].key + ": fit it once");
      } else if (scenario::replaces(keys[i], keys[j]) || scenario::replaces(keys[j], keys[i])) {
        problem(params[j], "overlaps --param " + params[i].key + ": fit each value once");
      }
    }
    for (std::size_t e = 0; e < sets.size(); ++e) {
      if (scenario::replaces(keys[j], keys[params.size() + e]))
        problem(params[j], "is also set by --set " + sets[e] + ": fit it or set it, not both");
    }
  }
  for (const FitParameter& p : params) {
    // The key must hold a value of the range's kind: a distribution, a name or a list
    // replaced by a plain number would change the model, not fit it.
    const std::optional<std::string> now = scenario::value_at(text, file, edits, p.key);
    const FitParameter::Kind kind = now && !now->empty() ? kind_of(*now) : p.kind;
    const bool of_kind = now && (now->empty() || (kind == p.kind && parse_bound(*now, p.kind)));
    if (!of_kind) {
      problem(p, "holds " + (now ? "\"" + *now + "\"" : std::string("a list or a mapping")) +
                     ", not a " + kind_name(p.kind) +
                     " like the range: fit a key that holds a single " + kind_name(p.kind));
      continue;
    }
    // Both ends, the middle and a value between whole numbers must load: a bad value, or a key
    // that takes whole numbers only, is found before any run.
    for (const double u : {0.0, 0.5, 1.0, 0.3819660113}) {
      std::vector<scenario::Edit> at = edits;
      at.push_back({p.key + "=" + value_text(p, to_value(p, u)), {"--param", 0, 0}});
      try {
        scenario::load_scenario_edited(text, file, at);
      } catch (const scenario::ScenarioError& e) {
        for (const scenario::Diagnostic& d : e.diagnostics()) out.push_back(d);
        if (u == 0.3819660113) {
          problem(p,
                  "takes whole numbers only (a value between them is refused): run its few "
                  "values with takt sweep instead");
        }
        break;
      }
    }
  }
  return out;
}

const char* identification_name(Identification i) {
  switch (i) {
    case Identification::kIdentified:
      return "identified";
    case Identification::kBounded:
      return "bounded";
    case Identification::kNotIdentified:
      break;
  }
  return "not identified";
}

FitResult fit(const std::string& text, const std::string& file,
              const std::vector<std::string>& sets, const std::vector<ObservedPeriod>& observed,
              const std::vector<FitParameter>& parameters, const FitOptions& options) {
  const scenario::Scenario base = scenario::load_scenario(text, file, sets);
  const std::vector<scenario::Diagnostic> problems =
      check_fit_parameters(text, file, sets, parameters);
  if (!problems.empty()) throw scenario::ScenarioError(problems);
  Trials trials(text, file, sets, observed, parameters, options, base);
  std::optional<scenario::PrecisionRule> rule = options.precision;
  if (!rule && options.replications == 0) rule = base.precision;
  if (rule && rule->min < 2) {
    throw std::invalid_argument("a fit's precision rule needs a first batch of at least 2");
  }
  if (!rule && trials.replications() < 2) {
    throw std::invalid_argument(
        "a fit needs at least 2 replications: their spread is the noise "
        "that intervals and identification are judged against");
  }
  const std::size_t n = parameters.size();

  FitOptions o = options;
  o.starts = std::max(1, options.starts);
  o.evaluations = std::max(o.evaluations, 2 * static_cast<int>(n) + 2);
  const std::size_t budget_runs =
      trials.plants() * static_cast<std::size_t>(rule ? rule->max : trials.replications()) *
      (static_cast<std::size_t>(o.evaluations + refit_budget(n)) +
       n * (kProfilePoints + 8) * static_cast<std::size_t>(n > 1 ? profile_budget(n) : 1));
  experiment::Progress progress(budget_runs, options.progress, "runs",
                                std::chrono::milliseconds(1000));
  // The count is chosen once, at the centre of the box where the search starts.
  std::optional<PrecisionReport> precision;
  if (rule) precision = trials.choose_replications(*rule, Point(n, 0.5), o.jobs, &progress);
  const auto f = [&](const Point& u) {
    return objective(trials.outputs(u, {}, o.jobs, &progress), observed, o.relative);
  };
  Search best;
  best.value = INFINITY;
  int calls = 0;
  // The budget is the whole search's: starts share three quarters of it (a start begun
  // finishes its simplex), the fine search from the best point gets what is left.
  const int per_start = std::max(static_cast<int>(n) + 2, o.evaluations * 3 / 4 / o.starts);
  for (int k = 0; k < o.starts && calls < o.evaluations * 3 / 4; ++k) {
    const Point start = k == 0 ? Point(n, 0.5) : halton(static_cast<std::size_t>(k), n);
    const Search s = nelder_mead(f, start, 0.25, per_start);
    calls += s.calls;
    if (s.value < best.value) best = s;
  }
  // A last, fine search from the best point with what is left of the budget.
  if (calls < o.evaluations) {
    const Search polish = nelder_mead(f, best.best, 0.05, o.evaluations - calls);
    if (polish.value < best.value) best.best = polish.best;
  }
  best.best = clamped(best.best);

  // Everything reported about the fit at `at`: its outputs, refits, profiles and periods.
  const auto analyse = [&](const Point& at) {
    FitResult r;
    r.file = file;
    r.base_hash = base.hash;
    r.replications = trials.replications();
    r.precision = precision;
    r.seed = trials.seed();
    r.relative = o.relative;
    r.starts = o.starts;
    r.evaluations = static_cast<int>(trials.distinct());
    const Outputs at_best = trials.outputs(at, {}, o.jobs, &progress);
    r.objective = objective(at_best, observed, o.relative);
    const std::vector<double> variance = history_variance(at_best);
    r.chi_square = chi_square(at_best, observed, variance);
    r.scenario = trials.scenario_at(at);

    // Refits to each replication alone, in parallel (each search runs its trials one by one).
    std::vector<Point> refits(static_cast<std::size_t>(r.replications));
    if (r.replications > 1) {
      experiment::parallel_for(refits.size(), o.jobs, [&](std::size_t rep) {
        const auto fr = [&](const Point& u) {
          return objective(trials.outputs(u, {rep}, 1, &progress), observed, o.relative);
        };
        refits[rep] = clamped(nelder_mead(fr, at, 0.1, refit_budget(n)).best);
      });
    }
    const std::vector<double> values = trials.values(at);
    for (std::size_t j = 0; j < n; ++j) {
      FittedParameter p;
      p.spec = parameters[j];
      p.value = values[j];
      if (r.replications > 1) {
        for (const Point& u : refits) p.refits.push_back(trials.values(u)[j]);
        const double sd = experiment::summarize(p.refits).stddev;
        const double rn = static_cast<double>(r.replications);
        const double half =
            experiment::student_t_quantile(0.95, refits.size() - 1) * sd * std::sqrt(1 + 1 / rn);
        p.ci_low = std::max(p.spec.low, p.value - half);
        p.ci_high = std::min(p.spec.high, p.value + half);
      }
      Profile(j, at, trials, o, observed, variance, &progress).judge(p, r.chi_square);
      // Where the data only bound a parameter, or not at all, refits stay where they start
      // (the objective is flat there): the profile's range is the honest interval.
      if (p.identification != Identification::kIdentified) {
        p.ci_low = p.consistent_low;
        p.ci_high = p.consistent_high;
        p.interval_from_profile = true;
      } else if (p.ci_low) {
        // Refits that all land on one step (whole days, a locally flat objective) say less
        // than they seem to: never narrower than the values the profile finds consistent.
        p.ci_low = std::min(*p.ci_low, p.consistent_low);
        p.ci_high = std::max(*p.ci_high, p.consistent_high);
      }
      r.parameters.push_back(p);
    }
    for (std::size_t i = 0; i < observed.size(); ++i) {
      std::vector<double> column;
      for (const std::vector<double>& rep : at_best) column.push_back(rep[i]);
      FittedPeriod p{observed[i], experiment::summarize(column), 0};
      p.residual = p.fitted.mean - observed[i].output;
      r.periods.push_back(p);
    }
    return r;
  };
  FitResult r = analyse(best.best);
  // A profile trial that beats the search's best (every start stopped on a plateau, say, which
  // a profile walked off) is the better answer: a fine search from it, and the analysis again.
  // Once only, to bound the time; a trial better still is then told in a warning.
  if (const auto better = trials.best_point(observed, o.relative);
      better && trials.best_objective(observed, o.relative) < r.objective * (1 - 1e-9)) {
    const Search polish = nelder_mead(f, *better, 0.05, refit_budget(n));
    r = analyse(clamped(polish.value < f(*better) ? polish.best : *better));
  }
  r.runs = trials.runs();
  progress.finish();
  add_warnings(r, trials.best_objective(observed, o.relative));
  return r;
}

// ---------------------------------------------------------------- reports

namespace {

std::string objective_text(const FitResult& r) {
  return r.relative ? "the sum over the observed periods of ((fitted - observed) / observed)^2"
                    : "the sum over the observed periods of (fitted - observed)^2, in vehicles^2";
}

std::string plural(long long n, const std::string& noun) {
  return thousands(static_cast<double>(n)) + " " + noun + (n == 1 ? "" : "s");
}

const char* interval_source(const FittedParameter& p) {
  if (!p.ci_low) return "-";
  return p.interval_from_profile ? "profile" : "refits";
}

std::string signed_text(double v) { return (v > 0 ? "+" : "") + thousands(v); }

}  // namespace

std::string fit_text(const FitResult& r) {
  std::size_t key_width = 12;
  for (const FittedParameter& p : r.parameters)
    key_width = std::max(key_width, p.spec.key.size() + 2);
  std::ostringstream out;
  out << "takt " << program_version() << ": fit of " << r.scenario.name << " (" << r.file << ") to "
      << r.observed_file << "\n"
      << "objective: " << objective_text(r) << ", fitted being the mean of " << r.replications
      << " replications from seed " << r.seed
      << ", the same seeds in every trial (common random numbers)\n";
  if (r.precision) {
    out << detail::precision_text(*r.precision)
        << " (at the centre of the ranges, for every trial)\n";
  }
  out << "search: Nelder-Mead in the box of the ranges from " << plural(r.starts, "start") << ", "
      << plural(r.evaluations, "trial") << "; "
      << plural(static_cast<long long>(r.runs), "plant run") << " with the refits and profiles\n\n"
      << pad("parameter", key_width, true) << pad("fitted", 12) << pad("95 % interval", 26) << "  "
      << pad("from", 9, true) << pad("range", 26, true) << "data\n";
  for (const FittedParameter& p : r.parameters) {
    const std::string interval =
        p.ci_low ? value_text(p.spec, *p.ci_low) + " .. " + value_text(p.spec, *p.ci_high) : "-";
    out << pad(p.spec.key, key_width, true) << pad(value_text(p.spec, p.value), 12)
        << pad(interval, 26) << "  " << pad(interval_source(p), 9, true)
        << pad(value_text(p.spec, p.spec.low) + ".." + value_text(p.spec, p.spec.high), 26, true)
        << identification_name(p.identification);
    out << "\n";
  }
  out << "\n"
      << pad("plant", 14, true) << pad("period", 18, true) << pad("observed", 12)
      << pad("fitted", 12) << pad("runs' 95 %", 22) << pad("residual", 11) << pad("relative", 10)
      << "\n";
  for (const FittedPeriod& p : r.periods) {
    out << pad(p.observed.plant, 14, true) << pad(p.observed.period, 18, true)
        << pad(thousands(p.observed.output), 12) << pad(thousands(p.fitted.mean), 12)
        << pad(r.replications > 1 ? thousands(p.fitted.ci_low) + " - " + thousands(p.fitted.ci_high)
                                  : "-",
               22)
        << pad(signed_text(p.residual), 11)
        << pad(p.observed.output > 0 ? (p.residual > 0 ? "+" : "") +
                                           fixed(100 * p.residual / p.observed.output, 2) + "%"
                                     : "-",
               10)
        << "\n";
  }
  out << "\nobjective " << (r.relative ? fixed(r.objective, 6) : thousands(r.objective))
      << "; chi-square " << fixed(r.chi_square, 2) << " over "
      << plural(static_cast<long long>(r.periods.size()), "period")
      << " (squared residuals against the spread one observed history has about the "
         "model's mean)\n";
  for (const std::string& w : r.warnings) out << "warning: " << w << "\n";
  return out.str();
}

namespace {

void parameters_json(detail::JsonWriter& j, const FitResult& r) {
  j.begin_array("parameters");
  for (const FittedParameter& p : r.parameters) {
    j.begin_object()
        .value("key", p.spec.key)
        .value("low", value_text(p.spec, p.spec.low))
        .value("high", value_text(p.spec, p.spec.high))
        .value("value", value_text(p.spec, p.value))
        .raw("ci95", p.ci_low ? "[" + detail::json_string(value_text(p.spec, *p.ci_low)) + ", " +
                                    detail::json_string(value_text(p.spec, *p.ci_high)) + "]"
                              : "null")
        .raw("interval_from",
             p.ci_low ? detail::json_string(interval_source(p)) : std::string("null"))
        .value("identification", identification_name(p.identification))
        .value("consistent_low", value_text(p.spec, p.consistent_low))
        .value("consistent_high", value_text(p.spec, p.consistent_high))
        .begin_array("refits");
    for (const double v : p.refits) j.value("", value_text(p.spec, v));
    j.end_array().begin_array("profile");
    for (const auto& [v, chi] : p.profile) {
      j.begin_object().value("value", value_text(p.spec, v)).value("chi_square", chi).end_object();
    }
    j.end_array().end_object();
  }
  j.end_array();
}

void body_json(detail::JsonWriter& j, const FitResult& r) {
  j.value("scenario", r.scenario.name)
      .value("file", r.file)
      .value("observed", r.observed_file)
      .integer("replications", r.replications)
      .value("seed", std::to_string(r.seed))
      .value("objective", r.relative ? "relative" : "sse")
      .value("objective_value", r.objective)
      .value("chi_square", r.chi_square)
      .value("optimiser", "nelder-mead")
      .integer("starts", r.starts)
      .integer("trials", r.evaluations)
      .integer("runs", static_cast<long long>(r.runs));
  if (r.precision) detail::precision_json(j, *r.precision);
  parameters_json(j, r);
  j.begin_array("periods");
  for (const FittedPeriod& p : r.periods) {
    j.begin_object()
        .value("plant", p.observed.plant)
        .value("period", p.observed.period)
        .value("observed", p.observed.output)
        .estimate("fitted", p.fitted.mean, p.fitted.ci_low, p.fitted.ci_high, p.fitted.p10,
                  p.fitted.p50, p.fitted.p90, p.fitted.n > 1)
        .value("residual", p.residual)
        .end_object();
  }
  j.end_array().begin_array("warnings");
  for (const std::string& w : r.warnings) j.value("", w);
  j.end_array();
}

}  // namespace

std::string fit_json(const FitResult& r) {
  detail::JsonWriter j;
  j.begin_object().value("program", "takt").value("version", program_version());
  body_json(j, r);
  j.end_object();
  return j.str();
}

std::string fit_csv(const FitResult& r) {
  std::ostringstream out;
  out << "plant,period,first_month,last_month,observed,fitted,fitted_ci_low,fitted_ci_high,"
         "residual,relative_residual\n";
  for (const FittedPeriod& p : r.periods) {
    const auto month = [](models::CalendarDate d) { return d.to_string().substr(0, 7); };
    out << detail::csv_field(p.observed.plant) << "," << p.observed.period << ","
        << month(p.observed.first) << "," << month(p.observed.last) << ","
        << detail::json_number(p.observed.output) << "," << detail::json_number(p.fitted.mean)
        << "," << detail::json_number(p.fitted.ci_low) << ","
        << detail::json_number(p.fitted.ci_high) << "," << detail::json_number(p.residual) << ","
        << (p.observed.output > 0 ? detail::json_number(p.residual / p.observed.output) : "")
        << "\n";
  }
  return out.str();
}

std::string fit_parameters_csv(const FitResult& r) {
  std::ostringstream out;
  out << "key,low,high,value,ci_low,ci_high,interval_from,identification,consistent_low,"
         "consistent_high\n";
  for (const FittedParameter& p : r.parameters) {
    const auto text = [&](double v) { return detail::csv_field(value_text(p.spec, v)); };
    out << detail::csv_field(p.spec.key) << "," << text(p.spec.low) << "," << text(p.spec.high)
        << "," << text(p.value) << "," << (p.ci_low ? text(*p.ci_low) : "") << ","
        << (p.ci_high ? text(*p.ci_high) : "") << "," << (p.ci_low ? interval_source(p) : "") << ","
        << identification_name(p.identification) << "," << text(p.consistent_low) << ","
        << text(p.consistent_high) << "\n";
  }
  return out.str();
}

std::string fit_manifest(const FitResult& r, const std::string& command) {
  detail::JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("command", command)
      .value("scenario_hash", r.base_hash)
      .value("observed_hash", r.observed_hash);
  body_json(j, r);
  j.begin_array("files").value("", "fit.csv").value("", "parameters.csv").end_array();
  j.end_object();
  return j.str();
}

}  // namespace takt::run
