// takt's errors: one base type that carries where a problem is (a file position and key path,
// a plant, an item, a replication, a simulated time, as far as each is known) apart from what
// it is, so that nothing parses error text back and format_error() writes every one the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "takt/sim/time.hpp"

namespace takt::sim {

/// Where a problem is; empty fields are unknown.
struct ErrorPlace {
  std::string file;
  int line = 0, column = 0;  ///< 1-based; 0: unknown
  std::string key_path;      ///< "plants[Liangjiang].shops[painting].line[pbs]"
  std::string plant;
  std::string item;
  std::optional<std::uint64_t> replication;
  std::optional<Time> when;  ///< simulated time, for trouble during a run
};

/// The base of takt's errors. what() is the message alone; place() says where, and a caller
/// that knows more (the plant, the replication) adds it before passing the error on.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorPlace place = {})
      : std::runtime_error(message), place_(std::move(place)) {}
  const ErrorPlace& place() const { return place_; }
  ErrorPlace& place() { return place_; }

 private:
  ErrorPlace place_;
};

/// Text that does not parse (a duration, a distribution). The message says what was expected;
/// callers that know a file position report it there.
class ParseError : public Error {
 public:
  using Error::Error;
};

/// Trouble during a run, such as a deadlock; carries the simulated time it happened.
class SimulationError : public Error {
 public:
  SimulationError(Time when, const std::string& message);
  Time when() const { return place().when.value_or(Time::zero()); }
};

/// The one way takt writes an error:
/// - in a file: "FILE:LINE:COL: error: KEY.PATH: message" (no ":LINE:COL" when unknown, no
///   "KEY.PATH: " when there is none, "error: ..." alone without a file);
/// - elsewhere: "t=TIME: plant 'P': item 'I': message (plant 'P', replication R)", each part
///   only when known: the time for trouble during a run, the plant and replication after the
///   message when the time is known, before it otherwise.
std::string format_error(const ErrorPlace& place, const std::string& message);
/// The file form alone, whatever the place holds (a scenario's diagnostics).
std::string format_file_error(const ErrorPlace& place, const std::string& message,
                              const char* severity = "error");

}  // namespace takt::sim
