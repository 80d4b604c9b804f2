// One lock-free flag per process: a signal handler may only touch such a thing.
#include "takt/sim/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>

namespace takt::sim {
namespace {

std::atomic<bool> requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler needs a lock-free flag");

}  // namespace

void request_interrupt() noexcept { requested.store(true, std::memory_order_relaxed); }
void clear_interrupt() noexcept { requested.store(false, std::memory_order_relaxed); }
bool is_interrupt_requested() noexcept { return requested.load(std::memory_order_relaxed); }

void interrupt_point() {
  static const long interrupt_at = [] {
    const char* text = std::getenv("TAKT_TEST_INTERRUPT_AT");
    return text == nullptr ? -1L : std::strtol(text, nullptr, 10);
  }();
  static std::atomic<long> calls{0};
  if (interrupt_at < 0) return;
  if (calls++ == interrupt_at) std::raise(SIGINT);
}

}  // namespace takt::sim
