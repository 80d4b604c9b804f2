// What `takt improve` tries: candidate changes to a scenario, each a list of KEY.PATH=VALUE
// edits in the scenario's own key paths. A default list is made from the scenario itself
// (every buffer doubled, every repair twice as fast, one more server per station, a longer
// calendar per shop and plant); a candidates file can replace it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "takt/scenario/scenario.hpp"

namespace takt::scenario {

/// The kinds of the default list, in the order `--kinds` and the docs name them.
inline const std::vector<std::string> kCandidateKinds = {"buffers", "repairs", "servers", "shifts"};

/// Most candidates one `takt improve` tries (each costs a simulation of its plant).
inline constexpr std::size_t kMaxCandidates = 1000;

struct Candidate {
  std::string name;  ///< what a planner reads: "pbs: 120 -> 240 places"
  std::string kind;  ///< one of kCandidateKinds, or "file" for a candidates file's own
  /// The plants its edits touch, by name; empty: every plant (an edit outside `plants[...]`,
  /// such as a calendar's, may touch any of them).
  std::vector<std::string> plants;
  std::vector<Edit> edits;
};

/// The default candidates of `s` of the given kinds, plant by plant in flow order: for each
/// buffer and store, its places doubled (a direct hand-off gets one place); for each station
/// and paced line with failures, every profile's repair time halved (its distribution scaled,
/// its random stream kept); for each station or oven, one more server or place (not for a
/// station with lots or product changeovers, which has one server); for each shop and plant, the
/// next longer of the scenario's calendars (by working time over the measured window) on every
/// item that has one. Changes that would break a limit are left out.
std::vector<Candidate> default_candidates(const Scenario& s,
                                          const std::vector<std::string>& kinds = kCandidateKinds);

/// Reads a candidates file:
///
///     candidates:
///       - name: a bigger PBS at Fenghuang
///         set: ["plants[Fenghuang].shops[painting].line[pbs].capacity=240"]
///
/// Each edit's errors later point at its line. Throws ScenarioError with every problem found.
std::vector<Candidate> load_candidates_file(const std::filesystem::path& path, const Scenario& s);

/// The text of a scenario file, as load_scenario_file reads it; throws ScenarioError.
std::string read_scenario_text(const std::filesystem::path& path);

/// The scenario of `text` (read from `file`) with `sets` and then the candidate's edits made.
/// Throws ScenarioError located at the edit that fails.
Scenario load_candidate(const std::string& text, const std::string& file,
                        const std::vector<std::string>& sets, const Candidate& candidate);

}  // namespace takt::scenario
