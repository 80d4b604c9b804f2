// The progress line: counts under a mutex, redraws throttled by a steady clock, and pads with
// spaces so a shorter line fully covers the one before it.
#include "takt/experiment/progress.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

namespace takt::experiment {
namespace {

constexpr std::chrono::milliseconds kRedrawInterval{200};

// "0:07", "12:34" or "2:03:04".
std::string clock_text(double seconds) {
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long hours = total / 3600;
  const long long minutes = total / 60 % 60;
  const long long secs = total % 60;
  char text[48];
  if (hours > 0) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", hours, minutes, secs);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", minutes, secs);
  }
  return text;
}

// Two significant digits for slow sweeps, one decimal from 1/s, whole numbers from 100/s.
std::string rate_text(double rate) {
  char text[48];
  if (rate >= 100) {
    std::snprintf(text, sizeof text, "%.0f/s", rate);
  } else if (rate >= 1) {
    std::snprintf(text, sizeof text, "%.1f/s", rate);
  } else {
    std::snprintf(text, sizeof text, "%.2g/s", rate);
  }
  return text;
}

}  // namespace

Progress::Progress(std::size_t total, bool enabled, std::string unit,
                   std::chrono::milliseconds delay)
    : total_(total),
      is_enabled_(enabled),
      unit_(std::move(unit)),
      delay_(delay),
      start_(Clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t done_now) {
  if (!is_enabled_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (is_finished_) return;
  done_ += done_now;
  const Clock::time_point now = Clock::now();
  if (now - start_ < delay_) return;
  if (done_ < total_ && has_drawn_ && now - last_draw_ < kRedrawInterval) return;
  draw(now, false);
}

void Progress::finish() {
  if (!is_enabled_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (is_finished_) return;
  is_finished_ = true;
  const Clock::time_point now = Clock::now();
  if (!has_drawn_ && now - start_ < delay_) return;  // quick work: no line at all
  draw(now, true);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void Progress::draw(Clock::time_point now, bool is_final) {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = unit_ + " " + std::to_string(done_) + "/" + std::to_string(total_);
  if (done_ > 0 && elapsed > 0) {
    const double rate = static_cast<double>(done_) / elapsed;
    line += "  " + rate_text(rate);
    if (is_final) {
      line += "  took " + clock_text(elapsed);
    } else if (done_ < total_) {
      line += "  eta " + clock_text(static_cast<double>(total_ - done_) / rate);
    }
  }
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  std::fputc('\r', stderr);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  last_draw_ = now;
  has_drawn_ = true;
}

}  // namespace takt::experiment
