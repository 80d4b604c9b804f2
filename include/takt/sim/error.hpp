// The engine's error types: bad text the user wrote, and trouble during a run.
#pragma once

#include <stdexcept>
#include <string>

#include "takt/sim/time.hpp"

namespace takt::sim {

/// Text that does not parse (a duration, a distribution). The message says what was expected;
/// callers that know a file position add it.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Trouble during a run, such as a deadlock; carries the simulated time it happened.
class SimulationError : public std::runtime_error {
 public:
  SimulationError(Time when, const std::string& message);
  Time when() const { return when_; }

 private:
  Time when_;
};

}  // namespace takt::sim
