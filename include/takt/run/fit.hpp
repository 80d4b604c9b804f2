// `takt fit`: the values of a few scenario parameters that best reproduce what the plants
// really built. Each trial loads the scenario with the parameters' `--set` edits and runs it
// with the same seed and replications (common random numbers), so two trials differ only by
// the parameters; the objective is the sum of squared errors of the mean simulated output
// over the observed periods (optionally relative errors). Nelder-Mead searches the box of the
// ranges: the objective is a sum of whole vehicles, a step function of the parameters, whose
// numerical derivatives (Levenberg-Marquardt's) are zero or huge, while Nelder-Mead only
// compares values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "takt/experiment/summary.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/scenario/observed.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::run {

/// `KEY.PATH=LOW..HIGH`: a number, a duration (`10min..4h`, searched in seconds) or a date
/// (`2022-06-01..2022-12-01`, searched in days: a start of production).
struct FitParameter {
  enum class Kind { kNumber, kDuration, kDate };
  std::string key, expression;
  Kind kind = Kind::kNumber;
  double low = 0, high = 0;  ///< numbers; seconds; days since 1970-01-01
};

/// Parses `--param` text; throws std::invalid_argument with what is wrong.
FitParameter parse_fit_parameter(const std::string& text);
/// The value as written in a `--set` edit: a number with up to 8 significant digits, whole
/// seconds ("5400s"), a date.
std::string value_text(const FitParameter& p, double value);

/// What is wrong with fitting `parameters` of the scenario, each as "--param: error: KEY:
/// message" (empty when nothing is): a key also given to --set, a key that does not hold a
/// single value of its range's kind (a distribution, a name, a list), and values the scenario
/// refuses at both ends and the middle of the range, or between whole numbers.
std::vector<scenario::Diagnostic> check_fit_parameters(const std::string& text,
                                                       const std::string& file,
                                                       const std::vector<std::string>& sets,
                                                       const std::vector<FitParameter>& parameters);

struct FitOptions {
  int replications = 0;  ///< 0: the scenario's own count or rule
  std::optional<std::uint64_t> seed;
  int jobs = 0;
  bool relative = false;  ///< relative errors: (fitted - observed) / observed
  int starts = 4;         ///< Nelder-Mead starts: the centre of the box, then spread points
  int evaluations = 120;  ///< budget of the main search
  bool progress = false;
  /// Replications to a precision (replaces the scenario's count or rule): chosen once, at the
  /// centre of the ranges, until every observed period's output is known to its share; every
  /// trial then runs that count.
  std::optional<scenario::PrecisionRule> precision;
};

/// How the data pin a parameter down, from its profile (each grid value with the others
/// refitted): `identified` when values at both ends of the range fit clearly worse,
/// `bounded` when one end fits as well as the best, `not identified` when both do.
enum class Identification { kIdentified, kBounded, kNotIdentified };
const char* identification_name(Identification i);

struct FittedParameter {
  FitParameter spec;
  double value = 0;
  /// 95 % interval. Identified: from refits to each replication alone (the best value moves
  /// this much when one realisation of the plant's randomness, which is what one observed
  /// history is, changes). Otherwise the profile's range of values that fit
  /// (`interval_from_profile`).
  std::optional<double> ci_low, ci_high;
  bool interval_from_profile = false;
  std::vector<double> refits;  ///< the best value per replication
  Identification identification = Identification::kIdentified;
  /// The values (grid and best) that reproduce the data within their noise.
  double consistent_low = 0, consistent_high = 0;
  /// (value, chi-square) on the grid and at the edges' bisection points, by value
  std::vector<std::pair<double, double>> profile;
};

struct FittedPeriod {
  scenario::ObservedPeriod observed;
  experiment::Summary fitted;  ///< the period's output over replications at the best values
  double residual = 0;         ///< fitted mean - observed
};

struct FitResult {
  std::string file, observed_file;       ///< observed_file and observed_hash: the caller's to set
  std::string base_hash, observed_hash;  ///< of the scenario as given, of the observed file
  scenario::Scenario scenario;           ///< as fitted (the best values set)
  int replications = 0;
  std::optional<PrecisionReport> precision;  ///< how the rule chose `replications`, if one did
  std::uint64_t seed = 0;
  bool relative = false;
  int starts = 0, evaluations = 0;  ///< evaluations: distinct trials of the main search
  /// Plant replications simulated, refits and profiles included; one a trial shares with an
  /// earlier one (its parameters leave the plant as it was) is not simulated again, nor counted.
  std::uint64_t runs = 0;
  double objective = 0;  ///< at the best values
  /// Chi-square at the best values: squared residuals over the variance one observed history
  /// has about the model's mean (replications' variance x (1 + 1/R), at least 1/4 vehicle^2).
  double chi_square = 0;
  std::vector<FittedParameter> parameters;
  std::vector<FittedPeriod> periods;
  std::vector<std::string> warnings;
};

/// Fits `parameters` of the scenario (`text` read from `file`, with `sets` edits) to
/// `observed`. The runs stop at the last observed month (a month's output does not depend on
/// later ones). Throws scenario::ScenarioError when a parameter value cannot be set.
FitResult fit(const std::string& text, const std::string& file,
              const std::vector<std::string>& sets,
              const std::vector<scenario::ObservedPeriod>& observed,
              const std::vector<FitParameter>& parameters, const FitOptions& options);

std::string fit_text(const FitResult& r);
std::string fit_json(const FitResult& r);
/// fit.csv: one row per observed period with the fitted output and the residual.
std::string fit_csv(const FitResult& r);
/// parameters.csv: one row per parameter with its interval and identification.
std::string fit_parameters_csv(const FitResult& r);
/// manifest.json: the command line, seeds, objective, optimiser and result.
std::string fit_manifest(const FitResult& r, const std::string& command);

}  // namespace takt::run
