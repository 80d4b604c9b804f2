// Batch sweeps: a base scenario, factors on key paths (the same paths as --set) and a design.
// Each point runs every replication of the base with common random numbers; results go to a
// resumable, shardable point store (run/sweep_runner.hpp runs them).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "takt/experiment/design.hpp"
#include "takt/scenario/precision_rule.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::scenario {

struct SweepSpec {
  std::string name;
  std::string file;       ///< the sweep file
  std::string base_file;  ///< the base scenario file (resolved)
  std::string base_text;
  std::string id;  ///< hash of the sweep and base texts and every override
  experiment::Design design;
  int replications = 0;  ///< 0: the base scenario's (or the rule's first batch)
  /// Replications to a precision at every point (each point stops on its own); nullopt: a
  /// fixed count, or the base scenario's own rule. Every point's Scenario carries it.
  std::optional<PrecisionRule> precision;
  std::vector<Edit> overrides;  ///< fixed KEY.PATH=VALUE edits applied to every point
  /// Where each factor's path is written in the sweep file: errors about its values point there.
  std::vector<Location> factor_locations;
  /// Factor values per point (design rows), and each point's scenario, checked up front.
  std::vector<std::vector<std::string>> rows;
  std::vector<Scenario> scenarios;
};

/// Whether `path` is a sweep file (a mapping with a top-level `sweep:` key) rather than a
/// scenario; false for anything that cannot be read or parsed.
bool is_sweep_file(const std::filesystem::path& path);

/// How points are read: on `jobs` threads (0: all cores), with a progress line on stderr when
/// `progress` is set and reading takes more than a second.
struct SweepLoadOptions {
  int jobs = 1;
  bool progress = false;
};

/// Reads a sweep file and checks every point's scenario. `overrides` (from --set) apply after
/// the sweep's own; `replications` > 0 replaces the sweep's count or rule, and `precision`
/// replaces both (the sweep file gives `replications:` or `precision:`, not both; without
/// either each point takes the base scenario's). A design of more than
/// limits::kSweepPoints points is refused before any point is read. Throws ScenarioError
/// (for several bad points, the one with the lowest number, whatever the thread count).
SweepSpec load_sweep_file(const std::filesystem::path& path,
                          const std::vector<std::string>& overrides = {}, int replications = 0,
                          const SweepLoadOptions& options = {},
                          const std::optional<PrecisionRule>& precision = std::nullopt);

}  // namespace takt::scenario
