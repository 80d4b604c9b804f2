// `takt improve`: what to change first. Each candidate change is simulated for the plants it
// touches with the base's seeds (common random numbers: every random element draws the same
// stream in both arms), so its gain is the mean of paired differences, with an interval far
// narrower than two independent runs give. The capacity bound screens first: a change whose
// plant cannot, even at its bound, build more than the base already does is not simulated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "takt/experiment/summary.hpp"
#include "takt/scenario/candidates.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::run {

struct ImproveOptions {
  int replications = 0;               ///< 0: the scenario's own
  std::optional<std::uint64_t> seed;  ///< replaces the scenario's seed
  int jobs = 0;                       ///< threads; 0: one per hardware thread
  bool progress = false;              ///< a progress line on stderr once it takes a second
};

/// The base scenario's figures for one plant.
struct ImprovePlant {
  std::string name;
  double capacity = 0;
  experiment::Summary annual;  ///< annual output (the annual rate) over replications
  double bound = 0;            ///< capacity bound, vehicles per year
};

/// One candidate's effect on one plant it touches.
struct ImproveRow {
  std::string candidate, kind, plant;
  std::vector<std::string> edits;
  double bound = 0;        ///< the plant's capacity bound with the change, vehicles per year
  bool simulated = false;  ///< false: screened out by the bound, or its run failed
  std::string failure;     ///< why a replication of the changed plant could not run, or ""
  /// Paired differences (changed minus base) of the annual output, per replication; their
  /// summary is the gain with its 95 % interval.
  std::vector<double> differences;
  experiment::Summary gain;
  /// "gains" (interval above 0), "loses" (below), "no effect" (every difference exactly 0),
  /// "within noise" (the interval holds 0), "cannot gain" (screened out) or "run failed".
  std::string verdict;
};

struct ImproveResult {
  scenario::Scenario base;  ///< with replications and seed as run
  std::vector<ImprovePlant> plants;
  std::vector<ImproveRow> rows;  ///< ranked: simulated by gain (largest first), then screened
  std::size_t candidates = 0, screened = 0, runs = 0;
  /// Rows whose changed plant failed to run (an unstable queue, a deadlock): not ranked, their
  /// verdict "run failed", the reason in `notes`.
  std::size_t failed = 0;
  /// What the ranking leaves out and why: default candidates that break a limit, candidates
  /// whose plant is not in both scenarios, plants that build more than their bound (nothing
  /// of theirs is screened then).
  std::vector<std::string> notes;
  double wall_seconds = 0;
};

/// Each candidate's scenario (`text` read from `file`, with `sets` and then its edits), checked
/// as `takt run` checks one, the run-size limits for `replications` too. A candidates file's
/// mistakes throw one ScenarioError with all of them; a default candidate that breaks a limit
/// is nullopt, with a note in `notes` saying why.
std::vector<std::optional<scenario::Scenario>> load_candidates(
    const std::string& text, const std::string& file, const std::vector<std::string>& sets,
    const std::vector<scenario::Candidate>& candidates, int replications,
    std::vector<std::string>& notes);

/// Loads every candidate's scenario first (a candidates file's errors all at once, as one
/// ScenarioError; a default candidate that breaks a limit is left out with a note), then runs
/// the base and the candidates that pass the screen: a change is not simulated when its plant's
/// capacity bound with the change is no more than the base's output (by a vehicle over the
/// window), unless the base itself builds more than its bound. `text` and `file` are what
/// `base` was read from and `sets` the edits made to it.
ImproveResult improve(const scenario::Scenario& base, const std::string& text,
                      const std::string& file, const std::vector<std::string>& sets,
                      const std::vector<scenario::Candidate>& candidates,
                      const ImproveOptions& options = {});

/// The ranked table (the first `top` rows) with the base figures and what was screened out.
std::string improve_text(const ImproveResult& r, std::size_t top);
std::string improve_json(const ImproveResult& r);
/// improve.csv: one row per candidate and plant, ranked.
std::string improve_csv(const ImproveResult& r);

}  // namespace takt::run
