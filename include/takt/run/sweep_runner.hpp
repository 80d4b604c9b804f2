// Runs a sweep's points into a resumable, shardable point store and assembles the tidy
// runs.csv, points.csv and monthly.csv from the saved points (docs/sweeps.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "takt/scenario/sweep.hpp"

namespace takt::run {

using scenario::SweepSpec;

struct SweepOptions {
  std::filesystem::path out;
  int jobs = 0;
  int shard_index = 0, shard_count = 1;
  bool progress = false;  ///< draw a progress line on stderr
  /// Run each plant replication that several points share (scenario::plant_run_key alike)
  /// once and give its results to all of them: the same bytes as running each.
  bool reuse = true;
};

/// What run_sweep did: the points it ran, and of their plant replications how many it
/// simulated and how many it took from an identical run of another point.
struct SweepRun {
  std::size_t points = 0, simulated = 0, reused = 0;
};

/// What a whole sweep ran, counted from its saved points (manifest.json's "outcome"): its
/// plant replications, how many were distinct runs (the others were alike and, unless
/// --no-reuse, simulated once), the fewest and most replications of a point, and with a
/// precision rule how many points met it (the others stopped at its maximum).
struct SweepOutcome {
  std::size_t points = 0, plant_replications = 0, distinct = 0;
  std::size_t fewest = 0, most = 0;
  std::size_t ruled = 0, met = 0;
  std::optional<double> half_width;  ///< the rule's share, when the sweep has one
};

/// Refuses (experiment::ForeignFilesError) an `out` that holds files a sweep does not write.
/// prepare_sweep() and merge_sweeps() check it again; the command line checks it first too,
/// so that a refused folder is not even claimed (no lock file is left in it).
void check_sweep_folder(const std::filesystem::path& out);

/// Opens the store in `out` once, before any point runs: afresh (removing old points and
/// results) or, with `resume`, keeping the finished points of the same sweep. Writes
/// manifest.json. Throws std::runtime_error when `out` holds another sweep and `resume` is set.
void prepare_sweep(const SweepSpec& spec, const std::filesystem::path& out, bool resume);

/// Runs the points of this shard that are not done yet in a prepared store; several processes
/// may run disjoint shards of one store at once. Returns the number of points run.
SweepRun run_sweep(const SweepSpec& spec, const SweepOptions& options);

/// Writes runs.csv, points.csv and manifest.json once every point of the store in `dir` is
/// done; returns nullopt (writing nothing) when points are missing.
std::optional<SweepOutcome> finish_sweep(const SweepSpec& spec, const std::filesystem::path& dir);

/// Merges shard directories into `out` and writes the final files there.
SweepOutcome merge_sweeps(const std::vector<std::filesystem::path>& dirs,
                          const std::filesystem::path& out);

}  // namespace takt::run
