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
// text-direction mark is still shown in the path of its own error; the message may quote a
// value that holds one ("1min\nfile.yaml:9:9: error: ..." forged a second error). Escaped, so
// that each error stays one line that reads left to right.
std::string one_line(const std::string& in) {
  std::string text;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char32_t code = layout_mark_at(in, i);
    if (code == 0) {
      text += in[i];
      continue;
    }
    char escaped[16];
    if (code == '\n' || code == '\t') {
      std::snprintf(escaped, sizeof escaped, "\\%c", code == '\n' ? 'n' : 't');
    } else {
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(code));
    }
    text += escaped;
    i += utf8_length(in, i) - 1;
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
  return text + one_line(message);
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
