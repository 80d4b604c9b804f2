// Scenario and sweep input: the shared whole-file reader, its reason turned into an error at
// the place that named the file.
#include "input_file.hpp"

#include <cstddef>
#include <optional>
#include <string>

#include "takt/experiment/read_file.hpp"
#include "takt/sim/utf8.hpp"

namespace takt::scenario::detail {

namespace {

// Where the text stops being UTF-8 (line and column of the bad byte), or nothing. Names and
// notes go into JSON and CSV outputs as they are, so text that is not UTF-8 would make them
// unreadable: it is refused where it is read.
std::optional<Location> first_non_utf8(const std::string& text, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = sim::utf8_length(text, at);
    if (length == 0) return Location{file, line, column};
    if (text[at] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    at += length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> read_input_file(const std::filesystem::path& path,
                                           Diagnostics& diagnostics, const Location& where,
                                           const std::string& key) {
  experiment::FileText f = experiment::read_file(path, kMaxInputBytes);
  if (!f.text) {
    diagnostics.error(where, key, "cannot read \"" + path.string() + "\": " + f.why);
    return std::nullopt;
  }
  if (const auto bad = first_non_utf8(*f.text, path.string())) {
    diagnostics.error(*bad, "", "not UTF-8 text here: save the file as UTF-8");
    return std::nullopt;
  }
  return std::move(f.text);
}

std::filesystem::path path_from(const Location& where, const std::string& name) {
  if (where.file == "--set" || where.file.empty()) return name;
  return std::filesystem::path(where.file).parent_path() / name;
}

}  // namespace takt::scenario::detail
