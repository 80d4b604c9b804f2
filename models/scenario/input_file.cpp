// Scenario and sweep input: the shared whole-file reader, its reason turned into an error at
// the place that named the file.
#include "input_file.hpp"

#include <cstddef>
#include <optional>
#include <string>

#include "takt/experiment/read_file.hpp"

namespace takt::scenario::detail {

namespace {

// The length of the UTF-8 character at text[at], or 0 when the bytes there are not one (a
// stray continuation byte, a truncated sequence, an overlong form, a surrogate, or a code point
// above U+10FFFF).
std::size_t utf8_length(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  }
  return length;
}

// Where the text stops being UTF-8 (line and column of the bad byte), or nothing. Names and
// notes go into JSON and CSV outputs as they are, so text that is not UTF-8 would make them
// unreadable: it is refused where it is read.
std::optional<Location> first_non_utf8(const std::string& text, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_length(text, at);
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
