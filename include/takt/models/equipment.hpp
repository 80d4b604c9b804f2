// What the plant drives and reads on every kind of equipment (a station, an oven, a paced
// line, and every later kind): shift changes, ramp factors, the start, statistics and the
// watchdog's questions. Calls through it happen at shift changes, ramp steps, the warm-up's
// end, the watchdog's looks and the final reading, never per job: the per-job hand-off goes
// through Consumer and Producer (job.hpp) and the buffers' direct calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "takt/models/item_spec.hpp"
#include "takt/models/kpi.hpp"
#include "takt/models/state_observer.hpp"
#include "takt/models/station_state.hpp"
#include "takt/sim/time.hpp"

namespace takt::models {

class Buffer;

}  // namespace takt::models

namespace takt::sim {
class EventHandler;
class EdgeListener;
}  // namespace takt::sim

namespace takt::models {

class Equipment {
 public:
  /// How a piece of equipment looks to the deadlock watchdog.
  enum class Motion {
    kUnavailable,  ///< off shift, down or changing over: no deadlock can be told now
    kIdle,         ///< holds nothing
    kMoving,       ///< works, or could take work
    kStuck,        ///< holds only finished jobs that cannot move on
  };

  virtual ~Equipment() = default;

  virtual const std::string& name() const = 0;
  /// "station", "oven", "paced", ...: the kind column of the outputs.
  virtual const char* kind() const = 0;
  /// How errors name it: "station 'paint'", "paced line 'trim'".
  virtual std::string label() const = 0;

  /// Starts work; called once when the plant is wired.
  virtual void start() = 0;
  virtual void set_on_shift(bool on_shift) = 0;
  /// A ramp-up factor, for the targets has_ramp() accepts (the builder binds no other).
  virtual void set_ramp(RampTarget target, double factor) = 0;
  virtual bool has_ramp(RampTarget /*target*/) const { return true; }
  /// Equipment of a lower rank is started and told of shift changes and ramp steps first;
  /// within a rank, in the order it was built.
  virtual int order_rank() const { return 0; }
  virtual void set_observer(StateObserver* observer) = 0;
  /// The members it watches for the active-period method, and how many are inactive now.
  struct ActivityWatch {
    int members = 1;
    int inactive = 0;
    bool tells_late = false;  // an edge may be logged after later ones (ActivePeriods::add_member)
  };
  /// Tells `listener` (as `unit`) of every edge of its members: each member becomes active or
  /// inactive (the unit is active while all of its members are; see Station and PacedLine for
  /// what each watches).
  virtual ActivityWatch watch_activity(sim::EdgeListener* listener, std::uint32_t unit) = 0;
  /// Tells the listener of an edge a member owes it as of `now` (a station's pace that ran
  /// out while a place stood free): call before the listener reports.
  virtual void settle_activity(sim::Time /*now*/) {}
  virtual void reset_stats(sim::Time now) = 0;

  virtual double share(sim::Time now, StationState s) const = 0;
  virtual std::uint64_t completed() const = 0;
  virtual std::uint64_t failures() const = 0;
  virtual std::uint64_t setups() const { return 0; }
  /// Product changeovers begun since the last reset_stats.
  virtual std::uint64_t changeovers() const { return 0; }
  virtual std::vector<RouteKpi> route_counts() const { return {}; }
  /// Where its finished jobs go when no route takes them.
  virtual void connect_output(Buffer& output) = 0;
  virtual const Buffer* output() const = 0;

  /// Work begun since time zero (jobs started, indexes), never reset: a sign of life.
  virtual std::uint64_t work_begun() const = 0;
  virtual Motion motion() const = 0;
  /// Why it is not moving, in a planner's words, when that explains a deadlock ("" if not).
  virtual std::string stall_reason() const = 0;
  /// Whether `handler` is one of its event handlers (to name it in a stall report).
  virtual bool handles(const sim::EventHandler* handler) const = 0;

  /// Its statistics since the last reset_stats, as the outputs report them.
  StationKpi kpi(sim::Time now, const std::string& shop) const;
};

/// For std::stable_sort: the order in which equipment is started and told of changes.
inline bool ranks_before(const Equipment* a, const Equipment* b) {
  return a->order_rank() < b->order_rank();
}

}  // namespace takt::models
