// The one way the scenario layer reads a file: regular files only (a FIFO would hang, a
// directory is no scenario), within the size limit, and every failure with the system's reason.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "takt/scenario/diagnostics.hpp"

namespace takt::scenario::detail {

/// Largest input file takt reads: far above any plant description, small enough that reading
/// and checking it stays quick (docs/reliability.md).
inline constexpr std::size_t kMaxInputBytes = 16u << 20;

/// The whole text of `path`, or nullopt after reporting at `where` (with key path `key`) why it
/// cannot be read: "cannot read "base.yaml": No such file or directory", "... is a folder, not
/// a file", "... is not a regular file", "... is 20 MB; the limit is 16 MB".
std::optional<std::string> read_input_file(const std::filesystem::path& path,
                                           Diagnostics& diagnostics, const Location& where,
                                           const std::string& key = "");

/// A file named in an input file, relative to the folder of the file it was written in (a
/// variant's override: the variant; `--set`: the working folder).
std::filesystem::path path_from(const Location& where, const std::string& name);

}  // namespace takt::scenario::detail
