// Long sweeps should show that they are alive and when they will end, without flooding a log:
// one line on the terminal, redrawn in place a few times a second.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace takt::experiment {

/// A progress line on stderr, "\rpoints 12/48  3.1/s  eta 0:12", redrawn at most five times a
/// second and once more when the last point finishes. Prints nothing unless `enabled` (callers
/// pass isatty(2)), so logs and pipes stay clean. Thread-safe.
class Progress {
 public:
  /// `total` is the number of points this run will do (for a resumed sweep, the missing ones).
  /// `unit` names what is counted ("points", "runs"). With a `delay`, nothing is drawn before
  /// that much time has passed, so work that ends sooner leaves no trace.
  Progress(std::size_t total, bool enabled, std::string unit = "points",
           std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// Calls finish(), so an error message that follows starts on a fresh line.
  ~Progress();

  /// Records `done_now` more finished points (usually 1); the rate counts points since
  /// construction, and the eta assumes that rate holds.
  void advance(std::size_t done_now);

  /// Draws the final line, "points 48/48  3.1/s  took 0:15", and ends it with a newline.
  /// Later calls do nothing.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;

  void draw(Clock::time_point now, bool is_final);  // requires mutex_

  std::size_t total_;
  bool is_enabled_;
  std::string unit_;
  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::size_t done_ = 0;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool has_drawn_ = false;
  bool is_finished_ = false;
  std::size_t last_width_ = 0;
};

}  // namespace takt::experiment
