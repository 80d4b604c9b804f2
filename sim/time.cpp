// Parsing and printing durations with units, the way planners write them.
#include "takt/sim/time.hpp"

#include <array>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "takt/sim/error.hpp"

namespace takt::sim {
namespace {

struct Unit {
  std::string_view name;
  double seconds;
};

// Longest names first so that "min" and "ms" are not read as "m".
constexpr std::array<Unit, 7> kUnits{{{"min", 60.0},
                                      {"ms", 1e-3},
                                      {"s", 1.0},
                                      {"h", 3600.0},
                                      {"d", 86400.0},
                                      {"w", 7 * 86400.0},
                                      {"y", 365 * 86400.0}}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "1.5min" into the number and the unit; false when the number part is malformed.
bool split_number(std::string_view text, double& value, std::string_view& unit) {
  std::string buffer(text);
  const char* begin = buffer.c_str();
  char* end = nullptr;
  value = std::strtod(begin, &end);
  if (end == begin) return false;
  const auto used = static_cast<std::size_t>(end - begin);
  // strtod accepts "inf", "nan" and hex; a planner's duration is a plain decimal.
  for (std::size_t i = 0; i < used; ++i) {
    const char c = buffer[i];
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  unit = trim(text.substr(used));
  return std::isfinite(value);
}

const Unit* find_unit(std::string_view name) {
  for (const Unit& u : kUnits) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

}  // namespace

bool is_duration(std::string_view text) {
  try {
    parse_duration(text);
    return true;
  } catch (const ParseError&) {
    return false;
  }
}

Time parse_duration(std::string_view text) {
  std::string_view t = trim(text);
  const std::string shown = "\"" + std::string(t) + "\"";
  double value = 0;
  std::string_view unit;
  if (!split_number(t, value, unit)) {
    throw ParseError("expected a duration like \"90s\", \"1.5min\" or \"8h\", got " + shown);
  }
  if (unit.empty()) {
    if (value == 0.0) return Time::zero();
    throw ParseError("duration " + shown + " needs a unit (ms, s, min, h, d, w or y)");
  }
  // A duration may chain parts, largest first: "8h30min", "1min30s" (not "30min8h" or "1h1h",
  // which are typing slips more often than meant).
  double seconds = 0;
  double previous_unit = 0;
  for (;;) {
    std::size_t letters = 0;
    while (letters < unit.size() && std::isalpha(static_cast<unsigned char>(unit[letters])))
      ++letters;
    const Unit* u = find_unit(trim(unit.substr(0, letters)));
    if (u == nullptr) {
      throw ParseError("unknown time unit \"" + std::string(unit) + "\" in " + shown +
                       " (use ms, s, min, h, d, w or y)");
    }
    if (previous_unit > 0 && u->seconds >= previous_unit) {
      throw ParseError("the parts of duration " + shown +
                       " must go from the largest unit to the smallest, each once");
    }
    previous_unit = u->seconds;
    seconds += value * u->seconds;
    const std::string_view rest = trim(unit.substr(letters));
    if (rest.empty()) break;
    if (!split_number(rest, value, unit) || unit.empty() || value < 0) {
      throw ParseError("expected a duration like \"90s\", \"8h30min\" or \"8h\", got " + shown);
    }
  }
  if (std::fabs(seconds) > 1e12) throw ParseError("duration " + shown + " is too long");
  return Time::seconds(seconds);
}

std::string format_duration(Time d) {
  const double seconds = d.to_seconds();
  const double magnitude = std::fabs(seconds);
  // Pick the largest unit in which the value is at least 1; weeks and years read badly.
  static constexpr std::array<Unit, 5> kPrintUnits{
      {{"d", 86400.0}, {"h", 3600.0}, {"min", 60.0}, {"s", 1.0}, {"ms", 1e-3}}};
  Unit chosen = kPrintUnits[3];
  for (const Unit& u : kPrintUnits) {
    if (magnitude >= u.seconds) {
      chosen = u;
      break;
    }
  }
  if (magnitude == 0.0) return "0s";
  char text[64];
  std::snprintf(text, sizeof text, "%.6g%s", seconds / chosen.seconds,
                std::string(chosen.name).c_str());
  return text;
}

}  // namespace takt::sim
