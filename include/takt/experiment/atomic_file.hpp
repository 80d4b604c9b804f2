// Result files are replaced in one step, so a crash, a full disk or a parallel reader never sees
// half a results table.
#pragma once

#include <filesystem>
#include <string_view>

namespace takt::experiment {

/// Writes `content` to `path` so that readers see either the old file or the complete new one:
/// a temporary file in the same directory is written, flushed to disk and renamed over `path`,
/// then the directory is flushed. Missing parent directories are created. An existing target
/// keeps its permission bits; a new one gets 0666 minus the umask. Throws std::runtime_error
/// naming the path and the system's reason ("cannot write "out/kpi.csv": No space left on
/// device"); the temporary file is removed then.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace takt::experiment
