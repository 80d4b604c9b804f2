// Scenario and sweep input: the shared whole-file reader, its reason turned into an error at
// the place that named the file.
#include "input_file.hpp"

#include "takt/experiment/read_file.hpp"

namespace takt::scenario::detail {

std::optional<std::string> read_input_file(const std::filesystem::path& path,
                                           Diagnostics& diagnostics, const Location& where,
                                           const std::string& key) {
  experiment::FileText f = experiment::read_file(path, kMaxInputBytes);
  if (!f.text) diagnostics.error(where, key, "cannot read \"" + path.string() + "\": " + f.why);
  return std::move(f.text);
}

std::filesystem::path path_from(const Location& where, const std::string& name) {
  if (where.file == "--set" || where.file.empty()) return name;
  return std::filesystem::path(where.file).parent_path() / name;
}

}  // namespace takt::scenario::detail
