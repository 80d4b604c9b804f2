// The run loop: one Simulation per replication (no singletons), so replications run in
// parallel threads. Reproducibility rule: events fire in (time, priority, sequence) order, and
// sequence numbers follow scheduling order, which is itself deterministic.
#pragma once

#include <cstdint>
#include <string>

#include "takt/sim/event_queue.hpp"
#include "takt/sim/time.hpp"

namespace takt::sim {

/// Asked when the event list runs dry before the run's end: returns why work cannot go on, in
/// the model's own words, or "" when the model is simply finished.
class StallReporter {
 public:
  virtual std::string describe_stall() const = 0;
  /// Names `handler` in the model's words ("station 'paint'"), for the error of a model that
  /// does unbounded work at one instant; "" when it is not the model's.
  virtual std::string describe_handler(const EventHandler* handler) const = 0;

 protected:
  ~StallReporter() = default;
};

class Simulation {
 public:
  /// Most events one instant may hold. More means a model that would do unbounded work
  /// without time passing (a station that takes no time, fed without limit): an error
  /// rather than a hang. A plant within docs/reliability.md's limits needs far fewer.
  static constexpr std::uint64_t kMaxEventsPerInstant = 1'000'000;

  Simulation() = default;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Time now() const { return now_; }

  /// Schedules `handler.on_event(tag)` after `delay` (>= 0). Lower priority fires first among
  /// events at the same time; equal priorities fire in scheduling order.
  EventHandle schedule(Time delay, EventHandler& handler, std::uint32_t tag = 0, int priority = 0) {
    return queue_.push(now_ + delay, priority, &handler, tag);
  }
  /// Schedules at an absolute time, which must not be in the past.
  EventHandle schedule_at(Time when, EventHandler& handler, std::uint32_t tag = 0,
                          int priority = 0);
  /// Cancels a pending event and nulls the handle; false if it was not pending.
  bool cancel(EventHandle& handle);
  bool is_pending(EventHandle handle) const { return queue_.is_pending(handle); }
  Time time_of(EventHandle handle) const { return queue_.time_of(handle); }

  /// Runs until no event is left or stop() is called.
  void run();
  /// Runs every event with time <= `end`, then sets now() to `end` (unless stopped earlier).
  /// Throws SimulationError when the stall reporter says the model is stuck before `end`.
  void run_until(Time end);
  /// Makes run()/run_until() return after the current event.
  void stop() { stopped_ = true; }
  bool is_stopped() const { return stopped_; }

  void set_stall_reporter(const StallReporter* reporter) { stall_reporter_ = reporter; }
  std::uint64_t events_processed() const { return events_; }
  std::size_t pending_events() const { return queue_.size(); }

 private:
  static constexpr std::uint32_t kInterruptCheckEvents = 1u << 20;

  void check_stall() const;
  // Out of line and never inlined: the run loop keeps only the test of the step count.
  [[gnu::noinline, gnu::cold]] void check_interrupt() const;
  [[noreturn]] void fail_busy_instant(const EventHandler* handler) const;

  EventQueue queue_;
  Time now_;
  std::uint64_t events_ = 0;
  std::uint64_t same_instant_ = 0;  // events fired at now_ since time last advanced
  bool stopped_ = false;
  const StallReporter* stall_reporter_ = nullptr;
};

}  // namespace takt::sim
