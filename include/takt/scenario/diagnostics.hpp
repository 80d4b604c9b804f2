// Every problem found in a scenario, with its file position, so that one run of the loader can
// tell the planner about all of them at once instead of one per attempt.
#pragma once

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
  /// Records an error. An identical one (same place, path and message) is kept only once, so
  /// readers may check the same node twice without repeating themselves.
  void error(Location where, std::string path, std::string message);

  bool has_errors() const { return !diagnostics_.empty(); }
  /// In the order they were reported.
  const std::vector<Diagnostic>& all() const { return diagnostics_; }

  /// Throws ScenarioError holding every diagnostic sorted by file, line and column (ties keep
  /// the order they were reported in); does nothing when there are none.
  void throw_if_errors() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// The candidate nearest to `word` by optimal-string-alignment distance (a swap of neighbours
/// counts as one edit), compared case-insensitively, if that distance is at most
/// max(1, word.size() / 3); otherwise "". Ties go to the earlier candidate. For "did you mean".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace takt::scenario
