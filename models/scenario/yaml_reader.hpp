// Reads a YAML tree field by field and collects every error with its position, so that the
// scenario loader can report all problems at once; the only place that knows yaml-cpp's quirks.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/scenario/diagnostics.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/time.hpp"

namespace takt::scenario::detail {

/// Tag carried by every node that a `--set` override put into the tree: errors about such a node
/// are reported at "--set" instead of at a line of the file. An override written in a file
/// (`overrides:` of a variant or a sweep) tags its nodes kSetTag + ":LINE:COL:FILE", so that its
/// errors point at that line.
inline constexpr const char* kSetTag = "!takt-set";
/// The tag for nodes an override written at `origin` puts into the tree.
std::string set_tag(const Location& origin);
/// Where the override that made a node tagged `tag` was written; nullopt for other tags.
std::optional<Location> set_origin(const std::string& tag);

/// Why a YAML value such as a --set edit's cannot be taken: an alias inside the list or mapping
/// it names, more than limits::kExpandedValues values from aliases, or a tag (`!!int 5`); ""
/// when it can (or when the text is no valid YAML, which loading it then tells).
std::string alias_problem(std::string_view text);

/// Parses one YAML document whose top level is a mapping. Reports "not valid YAML: ..." at the
/// parser's position, "file is empty" (also for a file of comments only), more than one document,
/// or "expected a mapping at the top level, got a list", and then returns nullopt.
std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file,
                                    Diagnostics& diagnostics);

/// Where `node` was read from: its 1-based mark in `file`; {"--set", 0, 0} for a node tagged
/// kSetTag; line 0 for a node built in code.
Location location_of(const YAML::Node& node, const std::string& file);

/// A node as a message shows it: "a mapping", "a list", "an empty value" or the quoted text.
std::string describe(const YAML::Node& node);

/// A node of the tree with its key path ("stations[paint].cycle") and the means to report errors
/// about it. Readers never throw: they report into Diagnostics and return nullopt or false.
/// A field that is absent from the file is not defined; its readers return nullopt silently
/// (use require() to report the absence) and its location is that of its nearest present parent.
/// Fields are cheap views: the tree, file name and Diagnostics must outlive them.
class Field {
 public:
  /// A present node; `path` is "" for the top level.
  Field(YAML::Node node, std::string path, const std::string* file, Diagnostics* diagnostics);
  Field(const Field&) = default;
  /// Rebinds this field (YAML::Node's own operator= would overwrite the node in the tree).
  Field& operator=(const Field& other);

  const std::string& path() const { return path_; }
  /// The node's position; for an empty value (`cycle:`) the position of its key, and for an
  /// absent field the position of its parent.
  Location location() const;
  const YAML::Node& node() const { return *node_; }
  /// The scalar as written ("-3", "90s"), or describe() for anything else; for messages.
  std::string text() const;

  bool is_defined() const { return defined_; }
  bool is_null() const { return defined_ && node_->IsNull(); }
  bool is_scalar() const { return defined_ && node_->IsScalar(); }
  bool is_list() const { return defined_ && node_->IsSequence(); }
  bool is_map() const { return defined_ && node_->IsMap(); }

  /// The value of `key` (the first one if the key is repeated), with path "parent.key", or "key"
  /// at the top level. Not defined when the key is absent or this is not a mapping.
  Field child(std::string_view key) const;
  /// child(key), reporting "missing required key 'key'" at this mapping when it is absent.
  Field require(std::string_view key) const;
  /// The items of a list, with paths "key[NAME]" for a mapping item whose `name_keys` (checked in
  /// order) has a text value, else "key[i]" (0-based); an all-digit NAME is quoted: "key['10']".
  /// Reports "expected a list, got ..." for anything else present.
  std::vector<Field> items(const std::vector<std::string_view>& name_keys = {"name"}) const;
  /// The entries of a mapping with free keys (key text, value), reporting repeated keys and
  /// "expected a mapping, got ..." like check_keys().
  std::vector<std::pair<std::string, Field>> entries() const;
  /// Reports every key not in `allowed` ("unknown key 'cycel' (did you mean 'cycle'?)") and every
  /// repeated key ("duplicate key 'capacity' (first given at line 12)"), each at the key itself.
  /// True when there was nothing to report (also for an absent field).
  bool check_keys(std::initializer_list<std::string_view> allowed) const;

  /// True for a mapping; reports "expected a mapping, got ..." for anything else present.
  bool expect_map() const;
  /// True for a list; reports "expected a list, got ..." for anything else present.
  bool expect_list() const;

  /// Any scalar, as written.
  std::optional<std::string> as_string() const;
  /// A finite decimal number ("12", "-0.5", "1e3"); not "inf", "nan", hex or "1_000".
  std::optional<double> as_number() const;
  /// A whole decimal number that fits in 64 bits.
  std::optional<std::int64_t> as_integer() const;
  /// true/True/TRUE or false/False/FALSE only (not YAML 1.1's yes/no/on/off).
  std::optional<bool> as_bool() const;
  /// A duration with a unit, via sim::parse_duration (its message becomes the diagnostic).
  std::optional<sim::Time> as_duration() const;
  /// A distribution, via sim::Distribution::parse (its message becomes the diagnostic).
  std::optional<sim::Distribution> as_distribution() const;
  /// A date written strictly "YYYY-MM-DD" that exists in the calendar (CalendarDate::parse).
  std::optional<models::CalendarDate> as_date() const;

  /// Reports `message` at this field's location and path.
  void error(std::string message) const;
  /// Whether errors are no longer kept, only counted (Diagnostics::full).
  bool errors_full() const;

 private:
  Field(YAML::Node node, bool defined, YAML::Node anchor, std::string path, const std::string* file,
        Diagnostics* diagnostics);

  // The node errors are reported at: the node itself unless it is absent or empty.
  const YAML::Node& report_node() const;
  // The scalar text, or nullopt after reporting "expected <what>, got ..." (silent if absent).
  std::optional<std::string> scalar(const char* what) const;
  void error_at(const YAML::Node& where, std::string message) const;
  std::string child_path(std::string_view key) const;
  // Walks the keys of a mapping, reporting repeats; calls visit(key, value) for each first one.
  template <class Visit>
  bool for_each_unique_key(Visit visit) const;

  // Held in optionals only so that operator= can rebind them; always engaged.
  std::optional<YAML::Node> node_;  // YAML::Node() when absent
  bool defined_ = false;
  std::optional<YAML::Node> anchor_;  // a map value's key, a list item, or the nearest parent
  std::string path_;
  const std::string* file_ = nullptr;
  Diagnostics* diagnostics_ = nullptr;
};

/// `value` if it is > 0; otherwise reports "must be positive, got -3" and returns nullopt.
template <class T>
std::optional<T> positive(const Field& field, std::optional<T> value) {
  if (!value || *value > T{}) return value;
  if constexpr (std::is_same_v<T, sim::Time>) {
    // 0.0000001s is positive as written but no whole microsecond: say so, not "not positive".
    const std::string text = field.text();
    const bool written_positive = !text.empty() && text.front() != '-' &&
                                  text.find_first_of("123456789") < text.find_first_of("eE");
    if (*value == T{} && written_positive) {
      field.error("rounds to 0: takt counts time in whole microseconds, got " + text);
      return std::nullopt;
    }
  }
  field.error("must be positive, got " + field.text());
  return std::nullopt;
}

/// `value` if it is >= 0; otherwise reports "must not be negative, got -3" and returns nullopt.
template <class T>
std::optional<T> non_negative(const Field& field, std::optional<T> value) {
  if (!value || *value >= T{}) return value;
  field.error("must not be negative, got " + field.text());
  return std::nullopt;
}

/// `value` if 0 <= value <= 1; otherwise reports "must be between 0 and 1, got 1.2".
std::optional<double> in_unit_interval(const Field& field, std::optional<double> value);

}  // namespace takt::scenario::detail
