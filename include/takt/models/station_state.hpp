// The states a planner reads in a bottleneck chart; every station and paced line reports time
// shares in these, and they add up to one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace takt::models {

enum StationState : std::size_t {
  kWorking = 0,  ///< processing a job
  kBlocked,      ///< holding a finished job, waiting for room downstream
  kStarved,      ///< idle for want of a job
  kDown,         ///< failed, under repair
  kOffShift,     ///< outside the shift calendar (breaks, nights, weekends, holidays)
  kSetup,        ///< changing over (die change) between lots
  kNotStarted,   ///< before its start of production (neither down nor starved)
  kStateCount
};

/// Whether time in state `s` is scheduled time: not off shift and not before the start.
constexpr bool is_scheduled(StationState s) { return s != kOffShift && s != kNotStarted; }

/// The states in which a slot is not active (the active-period method): starved, blocked, off
/// shift, not started; as a mask of bits 1 << state.
constexpr std::uint32_t kInactiveStates =
    (1u << kStarved) | (1u << kBlocked) | (1u << kOffShift) | (1u << kNotStarted);

constexpr std::array<const char*, kStateCount> kStateNames{
    "working", "blocked", "starved", "down", "off_shift", "setup", "not_started"};

}  // namespace takt::models
