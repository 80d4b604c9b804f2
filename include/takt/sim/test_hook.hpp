// Crash and interrupt tests are driven by progress, not by timers: a hook named by an
// environment variable fires at the N-th step of some kind (a file write, a finished run).
#pragma once

#include <atomic>

namespace takt::sim {

/// Counts the calls of reached(); when the environment variable `variable` holds N (read once,
/// at construction), the N-th call (counting from 0) returns true. Without the variable it
/// never does. Thread-safe; meant as a function-local static.
class TestHook {
 public:
  explicit TestHook(const char* variable);
  bool reached() {
    if (fire_at_ < 0) return false;
    return calls_.fetch_add(1) == fire_at_;
  }

 private:
  long fire_at_ = -1;
  std::atomic<long> calls_{0};
};

}  // namespace takt::sim
