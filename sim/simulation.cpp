// The run loop, kept short: pop, advance the clock (never backwards), dispatch.
#include "takt/sim/simulation.hpp"

#include <cassert>

#include "takt/sim/error.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::sim {

EventHandle Simulation::schedule_at(Time when, EventHandler& handler, std::uint32_t tag,
                                    int priority) {
  assert(when >= now_ && "cannot schedule an event in the past");
  return queue_.push(when, priority, &handler, tag);
}

bool Simulation::cancel(EventHandle& handle) {
  const bool cancelled = queue_.cancel(handle);
  handle = EventHandle{};
  return cancelled;
}

void Simulation::run() { run_until(Time::max()); }

void Simulation::run_until(Time end) {
  stopped_ = false;
  queue_.retire();  // in case a handler threw out of the previous run
  // Ctrl-C is honoured every kInterruptCheckEvents events (milliseconds of work), whatever the
  // model: a plant's weekly watchdog alone waited for a simulated week, which a ramp stepped
  // every millisecond made 40 s long. A local count stays in a register: one decrement.
  std::uint32_t until_check = kInterruptCheckEvents;
  while (!stopped_) {
    if (--until_check == 0) {
      until_check = kInterruptCheckEvents;
      check_interrupt();
    }
    if (queue_.empty() || queue_.next_time() > end) break;
    // fire() + retire() is pop(), with the handler's first schedule() taking the root's place
    // in between (see EventQueue::fire).
    const EventQueue::Fired e = queue_.fire();
    assert(e.time >= now_ && "time ran backwards");
    if (e.time != now_) {
      now_ = e.time;
      same_instant_ = 0;
    } else if (++same_instant_ > kMaxEventsPerInstant) {
      fail_busy_instant(e.handler);
    }
    ++events_;
    e.handler->on_event(e.tag);
    queue_.retire();
  }
  if (stopped_) return;
  if (queue_.empty()) check_stall();
  if (end != Time::max()) now_ = end;
}

void Simulation::check_interrupt() const {
  if (is_interrupt_requested()) throw Interrupted();
}

void Simulation::fail_busy_instant(const EventHandler* handler) const {
  const std::string who =
      stall_reporter_ == nullptr ? "" : stall_reporter_->describe_handler(handler);
  throw SimulationError(now_, "more than " + std::to_string(kMaxEventsPerInstant) +
                                  " events at one instant" + (who.empty() ? "" : " (" + who + ")") +
                                  ": something takes no time and is fed without limit");
}

void Simulation::check_stall() const {
  if (stall_reporter_ == nullptr) return;
  const std::string why = stall_reporter_->describe_stall();
  if (!why.empty()) throw SimulationError(now_, "deadlock: " + why);
}

}  // namespace takt::sim
