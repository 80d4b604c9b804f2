// A request to stop, set from a signal handler (Ctrl-C) and honoured between units of work, so
// that a stopped run can say so and leave no half-written result behind.
#pragma once

#include <stdexcept>

namespace takt::sim {

/// Asks every running simulation of this process to stop. Async-signal-safe.
void request_interrupt() noexcept;
/// Forgets a request (tests that interrupt one run and then start another).
void clear_interrupt() noexcept;
/// Whether a stop was asked for.
bool is_interrupt_requested() noexcept;

/// A test hook, driven by progress rather than by time: when the environment variable
/// TAKT_TEST_INTERRUPT_AT is set to N, the N-th call (counting from 0) in this process raises
/// SIGINT, as a planner's Ctrl-C would. Runners call it after each finished run. Without the
/// variable it does nothing.
void interrupt_point();

/// Thrown by a simulation that stopped because a stop was asked for.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

}  // namespace takt::sim
