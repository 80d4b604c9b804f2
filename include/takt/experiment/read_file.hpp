// The one reader of whole files: scenario and sweep files, saved sweep points, manifests.
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>

namespace takt::experiment {

struct FileText {
  std::optional<std::string> text;
  std::string why;  ///< when there is no text: the reason, in words ("No such file or directory")
};

/// Reads a regular file whole, at most `max_bytes` of it. A folder, a FIFO or a device (which
/// could block or never end), a bigger file or a system error gives no text and the reason.
FileText read_file(const std::filesystem::path& path,
                   std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

/// read_file() that throws std::runtime_error("cannot read \"PATH\": WHY") instead.
std::string read_file_or_throw(const std::filesystem::path& path);

}  // namespace takt::experiment
