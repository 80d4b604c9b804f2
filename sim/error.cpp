// Every error takt reports is written here, from its place and message.
#include "takt/sim/error.hpp"

#include <cstdio>

#include "takt/sim/utf8.hpp"

namespace takt::sim {
namespace {

ErrorPlace at_time(Time when) {
  ErrorPlace place;
  place.when = when;
  return place;
}

std::string file_position(const ErrorPlace& p) {
  std::string text = p.file;
  if (p.line <= 0) return text;
  text += ':' + std::to_string(p.line);
  if (p.column > 0) text += ':' + std::to_string(p.column);
  return text;
}

// The key path names what the file names, and a name refused for a tab, a line break or a
// text-direction mark is still shown in the path of its own error: escaped, so that the error
// stays one line that reads left to right.
std::string one_line(const std::string& path) {
  std::string text;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto byte = [&](std::size_t k) {
      return k < path.size() ? static_cast<unsigned char>(path[k]) : 0u;
    };
    if (path[i] == '\n' || path[i] == '\t') {
      text += path[i] == '\n' ? "\\n" : "\\t";
      continue;
    }
    if (byte(i) == 0xD8 && byte(i + 1) == 0x9C) {  // U+061C, the Arabic letter mark
      text += "\\u061c";
      ++i;
      continue;
    }
    const bool mark =
        (byte(i) == 0xE2 && byte(i + 1) == 0x80 &&
         (byte(i + 2) == 0x8E || byte(i + 2) == 0x8F ||
          (byte(i + 2) >= 0xA8 && byte(i + 2) <= 0xAE))) ||
        (byte(i) == 0xE2 && byte(i + 1) == 0x81 && byte(i + 2) >= 0xA6 && byte(i + 2) <= 0xA9);
    if (!mark) {
      text += path[i];
      continue;
    }
    char code[8];
    std::snprintf(code, sizeof code, "\\u%04x",
                  ((byte(i) & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu));
    text += code;
    i += 2;
  }
  return text;
}

}  // namespace

SimulationError::SimulationError(Time when, const std::string& message)
    : Error(message, at_time(when)) {}

std::string format_file_error(const ErrorPlace& p, const std::string& message,
                              const char* severity) {
  const std::string position = file_position(p);
  std::string text = (position.empty() ? "" : position + ": ") + severity + ": ";
  // A name too long to be one (300,000 characters) is still in the path of its own error.
  if (!p.key_path.empty()) text += one_line(shortened(p.key_path, 400)) + ": ";
  return text + message;
}

std::string format_error(const ErrorPlace& p, const std::string& message) {
  if (!p.file.empty() || !p.key_path.empty()) return format_file_error(p, message);
  std::string text;
  if (p.when) text += "t=" + format_duration(*p.when) + ": ";
  if (!p.plant.empty() && !p.when) text += "plant '" + p.plant + "': ";
  if (!p.item.empty()) text += "'" + p.item + "': ";
  text += message;
  if (p.when && (!p.plant.empty() || p.replication)) {
    text += " (";
    if (!p.plant.empty()) text += "plant '" + p.plant + "'";
    if (p.replication)
      text += (p.plant.empty() ? "" : ", ") + std::string("replication ") +
              std::to_string(*p.replication);
    text += ")";
  }
  return text;
}

}  // namespace takt::sim
