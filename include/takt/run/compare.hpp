// `takt compare`: two plans decided by the difference they make. Both arms run with the same
// seed and replications, so every random element draws the same numbers in both (common random
// numbers); each figure's difference is taken replication by replication, and its interval is
// far narrower than the one from subtracting two independent means.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "takt/experiment/summary.hpp"
#include "takt/run/scenario_runner.hpp"

namespace takt::run {

/// One figure of one plant in both arms.
struct ComparedFigure {
  std::string plant, figure, unit;
  experiment::Summary a, b;  ///< over replications
  /// B - A per replication; its summary (mean and 95 % interval) is the answer.
  std::vector<double> differences;
  experiment::Summary difference;
  /// The 95 % half-width an unpaired comparison of the same runs would give (Welch), and the
  /// share of variance pairing removed: 1 - var(B - A) / (var(A) + var(B)).
  double independent_half_width = 0;
  double variance_reduction = 0;
  bool has_reduction = false;  ///< false when neither arm varies: nothing to remove
};

struct Comparison {
  std::string a_name, b_name;  ///< what each arm is, for the reader
  Scenario a, b;               ///< as run
  std::vector<ComparedFigure> figures;
  std::vector<std::string> only_in_a, only_in_b;  ///< plants not in both arms
  /// B's plants that are the same runs as A's (alike to the byte: scenario::plant_run_key),
  /// simulated once for both arms.
  std::vector<std::string> shared_plants;
  /// With a precision rule: how it ended over both arms (plants named "A/NAME", "B/NAME").
  std::optional<PrecisionReport> precision;
};

/// Runs both arms with A's seed and replications or precision rule (or `options`'), in
/// lock-step with a rule until every plant of both arms meets it, and pairs their figures per
/// plant (matched by name): annual output, output after the warm-up, each calendar year's
/// output, WIP and lead time, months to 80 % and 90 % (when every replication of both arms
/// reaches them), and lost orders and the final backlog (with orders).
Comparison compare(const Scenario& a, const Scenario& b, const std::string& a_name,
                   const std::string& b_name, const RunOptions& options);

std::string comparison_text(const Comparison& c);
std::string comparison_json(const Comparison& c);
/// compare.csv, tidy: one row per plant and figure.
std::string comparison_csv(const Comparison& c);

}  // namespace takt::run
