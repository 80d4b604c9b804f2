// Result files are replaced in one step, so a crash, a full disk or a parallel reader never sees
// half a results table.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace takt::experiment {

/// Writes `content` to `path` so that readers see either the old file or the complete new one:
/// a temporary file in the same directory is written, flushed to disk and renamed over `path`,
/// then the directory is flushed. Missing parent directories are created. An existing target
/// keeps its permission bits; a new one gets 0666 minus the umask. Throws std::runtime_error
/// naming the path and the system's reason ("cannot write "out/kpi.csv": No space left on
/// device"); the temporary file is removed then.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Whether `name` is a temporary file write_file_atomically() makes: ".TARGET.tmp.PID.N".
bool is_temporary_name(const std::string& name);

/// Removes the temporary files that writers killed in the middle of a write left in `dir` (not
/// in its subdirectories). Only call it while no other process writes into `dir`. Throws
/// std::runtime_error when one cannot be removed.
void remove_temporaries(const std::filesystem::path& dir);

/// A test hook for crash tests, driven by progress rather than by time: when the environment
/// variable TAKT_TEST_KILL_AT is set to N, the N-th call (counting from 0) in this process
/// kills the process at once with SIGKILL. write_file_atomically() calls it twice per file:
/// before it creates the temporary file, and after writing it but before the rename, so that
/// N = 0 stops before any file is written and odd N stop with a temporary file on disk.
/// Without the variable it does nothing.
void crash_point();

}  // namespace takt::experiment
