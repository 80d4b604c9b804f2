// One lock-free flag per process: a signal handler may only touch such a thing.
#include "takt/sim/interrupt.hpp"

#include <atomic>
#include <csignal>

#include "takt/sim/test_hook.hpp"

namespace takt::sim {
namespace {

std::atomic<bool> requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler needs a lock-free flag");

}  // namespace

void request_interrupt() noexcept { requested.store(true, std::memory_order_relaxed); }
void clear_interrupt() noexcept { requested.store(false, std::memory_order_relaxed); }
bool is_interrupt_requested() noexcept { return requested.load(std::memory_order_relaxed); }

void interrupt_point() {
  static TestHook hook("TAKT_TEST_INTERRUPT_AT");
  if (hook.reached()) std::raise(SIGINT);
}

}  // namespace takt::sim
