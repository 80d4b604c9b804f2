// Every error takt reports is written here, from its place and message.
#include "takt/sim/error.hpp"

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

}  // namespace

SimulationError::SimulationError(Time when, const std::string& message)
    : Error(message, at_time(when)) {}

std::string format_file_error(const ErrorPlace& p, const std::string& message,
                              const char* severity) {
  const std::string position = file_position(p);
  std::string text = (position.empty() ? "" : position + ": ") + severity + ": ";
  if (!p.key_path.empty()) text += p.key_path + ": ";
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
