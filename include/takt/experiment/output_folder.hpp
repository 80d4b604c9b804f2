// A run's output folder is replaced whole: readers see all of the old files or all of the new
// ones, never a mix, whatever stops the writer (a kill, a full disk, Ctrl-C, a second run).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "takt/experiment/directory_lock.hpp"
#include "takt/experiment/input_error.hpp"

namespace takt::experiment {

/// The folder holds files that takt did not write (replacing it whole would delete them), or
/// is a file: the planner's choice of folder, not a fault of the machine.
class ForeignFilesError : public InputError {
 public:
  using InputError::InputError;
};

/// Claims `dir` for this process, stages the new files beside it and swaps the staged folder
/// into place in one step (Linux renameat2 with RENAME_EXCHANGE), so that `dir` is never
/// missing and never half new. Everything that can fail for want of room or rights fails in
/// the constructor, before the caller does its work.
class OutputFolder {
 public:
  /// Claims `dir` (created if missing) with a DirectoryLock, removes what a killed writer of
  /// it left (staging folders beside it, temporary files in it), and creates this process's
  /// staging folder ".NAME.takt-new.PID" beside it. `owned` names the files a takt run writes
  /// (a name ending in '/' a folder, "report/"): `dir` may hold only those, the lock file and
  /// temporary files. Throws ForeignFilesError
  /// naming the first few other entries, or std::runtime_error with the system's reason (the
  /// folder in use by another process, no room, no rights).
  OutputFolder(const std::filesystem::path& dir, std::vector<std::string> owned);
  /// Removes the staging folder: the unpublished files, or after publish() the old folder.
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// The staging folder: a tool that writes files of its own (a report) writes them here,
  /// before publish().
  const std::filesystem::path& staging() const { return staging_; }
  /// Stages a file (one of `owned`); throws std::runtime_error with the system's reason.
  void write(const std::string& name, std::string_view content);
  /// Swaps the staged folder into place and removes the old one. On a file system without
  /// RENAME_EXCHANGE, the staged files are renamed into `dir` one by one instead (each
  /// atomically, the set not).
  void publish();

  /// Entries of `dir` other than `owned`, the lock file and temporary files, sorted.
  static std::vector<std::string> foreign_entries(const std::filesystem::path& dir,
                                                  const std::vector<std::string>& owned);
  /// `entries` for a message: the first three, then "and N more".
  static std::string first_entries(const std::vector<std::string>& entries);

 private:
  void remove_stale_staging() const;
  void refuse_foreign() const;
  static void keep_access(const std::filesystem::path& dir, const std::filesystem::path& staging);

  std::filesystem::path dir_;
  std::filesystem::path staging_;
  std::vector<std::string> owned_;
  std::optional<DirectoryLock> claim_;
  std::optional<DirectoryLock> staging_claim_;
  bool inside_ = false;   // staged inside the folder (a mount point), not beside it
  bool exchange_ = true;  // publish by one exchange (not inside, nor where it holds the cwd)
};

}  // namespace takt::experiment
