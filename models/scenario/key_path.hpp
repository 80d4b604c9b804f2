// `--set KEY.PATH=VALUE` lets a planner change any value of a scenario from the command line
// (plants[Liangjiang].shops[painting].line[pbs].capacity=200) without editing the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "takt/scenario/diagnostics.hpp"
#include "takt/scenario/scenario.hpp"

namespace takt::scenario::detail {

/// The left side of a `--set`: "plants[Liangjiang].shops[painting].line[pbs].capacity".
struct KeyPath {
  struct Segment {
    enum class Kind {
      kKey,    ///< `.key` (or the first word): a key of a mapping
      kName,   ///< `[NAME]`: the list item named NAME; `['10']` quotes an all-digit name
      kIndex,  ///< `[3]`: the list item at 0-based index 3
    };
    Kind kind = Kind::kKey;
    std::string text;       ///< the key or name
    std::size_t index = 0;  ///< kIndex only
  };

  std::vector<Segment> segments;  ///< never empty; the first is a key

  /// The first `count` segments written back as a path: to_string(2) == "plants[Liangjiang]".
  std::string to_string(std::size_t count) const;
};

/// One parsed `--set` expression.
struct SetOverride {
  std::string expression;  ///< as given
  KeyPath path;
  std::string value;               ///< the text after the first '=' outside brackets, untrimmed
  Location origin{"--set", 0, 0};  ///< where it was written: errors about it point there
};

/// Parses "KEY.PATH=VALUE". Reports, at `origin` with the whole expression as path, a missing
/// '=', an empty key path, an empty segment ("a..b", "a[]"), an unclosed '[' or a stray
/// character after ']'; returns nullopt then.
std::optional<SetOverride> parse_set_override(std::string_view expression, Diagnostics& diagnostics,
                                              const Location& origin = {"--set", 0, 0});

/// `root` with the override applied: the last segment sets a key (adding it if absent) or
/// replaces a list item; every earlier one must exist. `[NAME]` selects the one list item that is
/// a mapping whose `name`, or whose first key's value (`- station: framing`), is NAME.
/// The value is read as YAML ("200", "exponential(1min)", "[mon, tue]", "{mtbf: 8h}"); text that
/// is not a flow collection and does not read as a single value is taken verbatim. Its nodes are
/// tagged set_tag(override.origin) so later errors about them point where the override was
/// written ("--set" for the command line).
///
/// `root` is never modified: the mappings and lists on the path are copied (keeping their
/// marks, so positions in the file stay right) and everything else is shared with `root`. So an
/// alias in the file (`*defaults`) is changed at the one place named, never at all its uses.
/// Errors go to the override's origin with the path up to the failing segment:
/// "plants[Liangjang]: no item named 'Liangjang' in plants (did you mean 'Liangjiang'?)".
std::optional<YAML::Node> apply_set_override(const YAML::Node& root, const SetOverride& override,
                                             Diagnostics& diagnostics);

/// The node at `path` in `root`, nullopt when some segment names nothing there (or more than
/// one item): what an override of that path would replace.
std::optional<YAML::Node> node_at(const YAML::Node& root, const KeyPath& path);

/// `path` with every list item it selects in `root` selected by index instead ("plants[0]" for
/// "plants[Liangjiang]"), written as a path; from the first segment that selects nothing on,
/// the segments stay as written.
std::string canonical_path(const YAML::Node& root, const KeyPath& path);

/// Parses and applies each expression (from the command line) in order, reporting every one
/// that fails and skipping it.
YAML::Node apply_set_overrides(const YAML::Node& root, const std::vector<std::string>& expressions,
                               Diagnostics& diagnostics);
/// The same for edits that know where they were written (a file's `overrides`).
YAML::Node apply_edits(const YAML::Node& root, const std::vector<Edit>& edits,
                       Diagnostics& diagnostics);

}  // namespace takt::scenario::detail
