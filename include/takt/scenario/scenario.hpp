// A scenario as read from a YAML file: run settings and the plants, each a models::PlantSpec.
// No yaml-cpp type appears here; the loader is the only code that sees YAML.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/models/plant_spec.hpp"
#include "takt/scenario/diagnostics.hpp"
#include "takt/scenario/precision_rule.hpp"
#include "takt/sim/time.hpp"

namespace takt::scenario {

struct Scenario {
  std::string name;
  std::string description;
  std::string file;                ///< where it was read from ("<built-in>" for the default)
  std::string hash;                ///< FNV-1a of the file text and the overrides, 16 hex digits
  std::vector<std::string> edits;  ///< the KEY.PATH=VALUE edits made on top of the file
  /// FNV-1a of the scenario as read, with every edit made (a variant: its base so edited):
  /// comments, layout and the way an edit was given do not change it.
  std::string resolved_hash;
  /// Per plant, in the order of `plants`: FNV-1a of the plant as resolved (its tree with every
  /// edit made), the calendars, prices and holiday files it may name, and the start. With the
  /// horizon, warm-up, seed, stop_after, its index and a replication (plant_run_key), it says
  /// which runs of two scenarios are the same run.
  std::vector<std::string> plant_hashes;
  models::CalendarDate start = models::CalendarDate::from_days_since_epoch(0);
  sim::Time horizon = sim::Time::days(365);
  sim::Time warmup;
  int replications = 10;
  /// Replications until a precision instead of a fixed count (`precision:`); when given,
  /// `replications` is not used.
  std::optional<PrecisionRule> precision;
  std::uint64_t seed = 42;
  /// Each plant stops once this many vehicles have left it (0: run the whole horizon); the
  /// horizon still bounds the run. For benchmarks that run "until the N-th part".
  std::uint64_t stop_after = 0;
  std::vector<models::PlantSpec> plants;
  /// Things worth a word that do not stop the run ("FILE:LINE:COL: warning: PATH: message"):
  /// a run past the years its holidays cover.
  std::vector<std::string> warnings;
  /// The one of `warnings` about `precision:` (a share that looks like a slip), "" if none: a
  /// command that replaces the file's rule (-r, --precision) leaves it untold.
  std::string precision_warning;

  /// The run's last day (the horizon's last instant falls on it).
  models::CalendarDate last_day() const {
    return start + (horizon.count() - 1) / sim::Time::days(1).count();
  }
};

/// A `KEY.PATH=VALUE` edit and where it was written, which is where errors about it point:
/// "--set" for the command line, a line of a file for an `overrides` entry.
struct Edit {
  std::string expression;
  Location origin{"--set", 0, 0};
};

/// What identifies replication `replication` of plant `plant` of `s`: two keys alike are the
/// same run, to the byte (the plant's resolved hash, its index, the run's settings and seed);
/// "" for a scenario not read by the loader (no hashes): such runs are never taken as alike.
std::string plant_run_key(const Scenario& s, std::size_t plant, std::size_t replication);

/// Reads a scenario from YAML text; `overrides` are `KEY.PATH=VALUE` expressions applied first.
/// Throws ScenarioError holding every problem found, each as FILE:LINE:COL: error: PATH: message.
Scenario load_scenario(const std::string& text, const std::string& file,
                       const std::vector<std::string>& overrides = {});
/// What `key` (a `--set` key path) holds once the file, the files it extends and the edits are
/// resolved: a single value's text, "" when the key is absent (an edit would add it), nullopt
/// when it holds a list or a mapping. Throws ScenarioError as load_scenario_edited does.
std::optional<std::string> value_at(const std::string& text, const std::string& file,
                                    const std::vector<Edit>& edits, const std::string& key);
/// Each of `keys` (`--set` key paths) with every list item selected by its index, as the file,
/// the files it extends and the edits resolve it: "plants[Liangjiang].shops[body].line[3]" and
/// "plants[0].shops[1].line[3]" come out alike when they name one value. From a segment that
/// names nothing (yet) on, a key is kept as written. Throws ScenarioError as value_at does.
std::vector<std::string> canonical_keys(const std::string& text, const std::string& file,
                                        const std::vector<Edit>& edits,
                                        const std::vector<std::string>& keys);
/// Whether an edit of canonical key `later` replaces what an edit of `earlier` set: the same
/// value, or a mapping or list that holds it.
bool replaces(const std::string& later, const std::string& earlier);
/// The same with edits that know where they were written.
Scenario load_scenario_edited(const std::string& text, const std::string& file,
                              const std::vector<Edit>& edits);

/// Reads a scenario file; a file that cannot be read is a ScenarioError too.
Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides = {});

/// Whether `path` is a holiday file (a mapping with top-level `holidays:` and `years:` keys, as
/// scenarios/calendars/cn-public.yaml) rather than a scenario; false for anything unreadable.
bool is_holiday_file(const std::filesystem::path& path);
/// Reads and checks a holiday file; returns the years it covers. Throws ScenarioError.
std::vector<int> load_holiday_file(const std::filesystem::path& path);

/// The built-in default scenario (scenarios/seres.yaml, compiled into the program).
const std::string& default_scenario_text();

}  // namespace takt::scenario
