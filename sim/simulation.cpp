// The run loop, kept short: pop, advance the clock (never backwards), dispatch.
#include "takt/sim/simulation.hpp"

#include <cassert>

#include "takt/sim/error.hpp"

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
  while (!stopped_) {
    if (queue_.empty() || queue_.next_time() > end) break;
    // fire() + retire() is pop(), with the handler's first schedule() taking the root's place
    // in between (see EventQueue::fire).
    const EventQueue::Fired e = queue_.fire();
    assert(e.time >= now_ && "time ran backwards");
    now_ = e.time;
    ++events_;
    e.handler->on_event(e.tag);
    queue_.retire();
  }
  if (stopped_) return;
  if (queue_.empty()) check_stall();
  if (end != Time::max()) now_ = end;
}

void Simulation::check_stall() const {
  if (stall_reporter_ == nullptr) return;
  const std::string why = stall_reporter_->describe_stall();
  if (!why.empty()) throw SimulationError(now_, "deadlock: " + why);
}

}  // namespace takt::sim
