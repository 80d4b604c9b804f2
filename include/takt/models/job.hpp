// A vehicle (or a body, or a panel set) moving through the plant: a small value, copied
// between buffers and stations, never allocated on its own.
#pragma once

#include <cstdint>

#include "takt/sim/time.hpp"

namespace takt::models {

struct Job {
  std::uint32_t id = 0;
  std::uint16_t variant = 0;  ///< index into the plant's product mix
  std::uint16_t reworks = 0;  ///< times sent back by a quality branch
  sim::Time released;         ///< when it entered the plant (lead time starts here)
};

/// Something that takes jobs out of a buffer (a station, a paced line).
class Consumer {
 public:
  /// Whether it would take a job now (a free slot, up and on shift, all join inputs present).
  virtual bool is_ready_to_take() const = 0;
  /// A job became available in one of its inputs.
  virtual void on_input_available() = 0;

 protected:
  ~Consumer() = default;
};

/// Something that puts jobs into a buffer and waits when it is full (blocking after service).
class Producer {
 public:
  /// The buffer it waits on has room now; `token` is what it gave when it started waiting.
  virtual void on_output_space(std::uint32_t token) = 0;

 protected:
  ~Producer() = default;
};

}  // namespace takt::models
