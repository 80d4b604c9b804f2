// Every problem found in a scenario, with its file position, so that one run of the loader can
// tell the planner about all of them at once instead of one per attempt.
#pragma once

#include <deque>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace takt::scenario {

/// A place in an input file; line and column are 1-based, and 0 means unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One error in an input file: where, at which key path ("stations[paint].cycle"), and what.
struct Diagnostic {
  Location where;
  std::string path;
  std::string message;

  /// "FILE:LINE:COL: error: PATH: message"; "PATH: " is left out when the path is empty, and
  /// ":LINE:COL" when the line is unknown ("--set: error: ...").
  std::string to_string() const;
  /// The same as a warning: "FILE:LINE:COL: warning: PATH: message".
  std::string to_warning() const;
};

/// The error thrown once after loading: holds every diagnostic; what() prints one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Collects diagnostics while a file is read, so that reading can go on after an error.
class Diagnostics {
 public:
  /// Most diagnostics kept: a generated file with 100,000 mistakes gets the first ones and a
  /// count of the rest, quickly.
  static constexpr std::size_t kMaxDiagnostics = 100;

  Diagnostics() = default;
  Diagnostics(const Diagnostics&) = delete;
  Diagnostics& operator=(const Diagnostics&) = delete;

  /// Records an error. An identical one (same place, path and message) is kept only once, so
  /// readers may check the same node twice without repeating themselves.
  void error(Location where, std::string path, std::string message);

  bool has_errors() const { return !diagnostics_.empty(); }
  /// No further error will be kept (only counted): a reader may spare working out the words
  /// of one, such as a "did you mean" among thousands of names.
  bool full() const { return diagnostics_.size() >= kMaxDiagnostics; }
  /// Errors reported so far, those not kept included.
  std::size_t count() const { return diagnostics_.size() + not_kept_; }
  /// In the order they were reported.
  const std::deque<Diagnostic>& all() const { return diagnostics_; }

  /// Throws ScenarioError holding every diagnostic kept sorted by file, line and column (ties
  /// keep the order they were reported in), and a last line counting those beyond
  /// kMaxDiagnostics; does nothing when there are none.
  void throw_if_errors() const;

 private:
  struct Before {
    bool operator()(const Diagnostic* a, const Diagnostic* b) const;
  };
  std::deque<Diagnostic> diagnostics_;  // a deque: seen_ points into it
  std::set<const Diagnostic*, Before> seen_;
  std::size_t not_kept_ = 0;
};

/// Words longer than this get no suggestion.
inline constexpr std::size_t kMaxSuggestedLength = 64;
/// Lists longer than this are not searched for a suggestion.
inline constexpr std::size_t kMaxSuggestionCandidates = 10000;

/// The candidate nearest to `word` by optimal-string-alignment distance (a swap of neighbours
/// counts as one edit), compared case-insensitively, if that distance is at most
/// max(1, word.size() / 3); otherwise "". Ties go to the earlier candidate. For "did you mean".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace takt::scenario
