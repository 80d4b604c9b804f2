// A wired plant for one replication: its own Simulation, its stations, buffers, source, sink
// and calendars. Plants never share state, so replications and plants run in parallel.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "takt/models/active_periods.hpp"
#include "takt/models/buffer.hpp"
#include "takt/models/calendar_date.hpp"
#include "takt/models/calendar_driver.hpp"
#include "takt/models/kpi.hpp"
#include "takt/models/paced_line.hpp"
#include "takt/models/plant_spec.hpp"
#include "takt/models/ramp_driver.hpp"
#include "takt/models/sink.hpp"
#include "takt/models/source.hpp"
#include "takt/models/station.hpp"
#include "takt/models/vehicle_store.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/simulation.hpp"

namespace takt::models {

/// A plant that cannot be built as described (unknown names, a trap in the routing): the
/// message, and the plant in its place.
class ModelError : public sim::Error {
 public:
  /// `item`: the name the file gives the item at fault, where there is one (not printed: a
  /// loader uses it to point at the item).
  ModelError(const std::string& plant, const std::string& message, std::string item = "")
      : sim::Error(message,
                   [&plant] {
                     sim::ErrorPlace place;
                     place.plant = plant;
                     return place;
                   }()),
        item_(std::move(item)) {}
  const std::string& item() const { return item_; }

 private:
  std::string item_;
};

struct RunSettings {
  std::uint64_t seed = 1;
  std::uint64_t replication = 0;
  CalendarDate start = CalendarDate::from_days_since_epoch(0);
  sim::Time warmup;
  sim::Time horizon = sim::Time::days(365);
  /// Stop once this many vehicles have left in total (0: run the whole horizon).
  std::uint64_t stop_after = 0;
  /// Told, at every look of the watchdog (at most a simulated week apart), how many whole
  /// simulated days have passed since it was last told: for a progress line. May be empty.
  std::function<void(std::uint64_t days)> on_progress;
  /// Told of every state change of every station and paced line (nullptr: nobody); must
  /// outlive the plant.
  StateObserver* observer = nullptr;
  /// The shifting-bottleneck analysis (each station's bottleneck shares, from which
  /// PlantKpis::bottleneck picks the leader; without them it falls back to the most active
  /// station). Off for runs whose callers read only what was built (a fit's trials,
  /// improve's candidates, compare's two arms): they skip its cost, 8 to 18 % of a long
  /// run's time and more of a short one's, and everything else comes out the same.
  bool bottlenecks = true;
};

class Plant : public sim::StallReporter, public sim::EventHandler {
 public:
  /// Wires the plant; throws ModelError when the description is inconsistent.
  Plant(const PlantSpec& spec, const RunSettings& run);
  Plant(const Plant&) = delete;
  Plant& operator=(const Plant&) = delete;
  ~Plant();

  /// Runs the horizon (or until stop_after vehicles have left).
  void run();
  /// Starts a new measurement window now: every statistic forgets the past (the warm-up end
  /// does this; tests call it for batch means).
  void begin_measurement();
  PlantKpis kpis() const;

  sim::Simulation& simulation() { return sim_; }
  const Sink& sink() const { return *sink_; }
  const Source& source() const { return *source_; }
  /// Lookups for tests and reports (nullptr when absent); never used while running.
  const Station* find_station(const std::string& name) const;
  const Buffer* find_buffer(const std::string& name) const;
  const PacedLine* find_paced_line(const std::string& name) const;
  /// Vehicles inside right now: in buffers and stations of the main flow.
  std::uint64_t wip_now() const;

  std::string describe_stall() const override;
  std::string describe_handler(const sim::EventHandler* handler) const override;
  /// A conservation law the run broke, in words ("" when all hold): every vehicle released is
  /// completed or still inside, time shares add up to one, averages are not negative. Broken
  /// results are never reported as results.
  std::string broken_invariant() const;
  void on_event(std::uint32_t tag) override;  // the end of the warm-up, the watchdog

  /// How often the watchdog looks for a plant that has stopped moving for good.
  static constexpr sim::Time kWatchdogPeriod = sim::Time::days(7);

 private:
  std::vector<YearKpi> years(const PlantKpis& k) const;
  void not_started(StationKpi& k, sim::Time start, sim::Time now) const;
  void month_limits(PlantKpis& k) const;
  void merge_servers(std::vector<StationKpi>& stations) const;
  void add_bottleneck_shares(std::vector<StationKpi>& stations, sim::Time now) const;
  std::uint64_t orders_in(CalendarDate day) const;  // the order plan's month holding `day`
  // ... by product (zeros for a month not in the plan)
  std::vector<std::uint64_t> product_orders_in(CalendarDate day) const;
  void product_months(PlantKpis& k) const;
  friend class PlantBuilder;

  PlantSpec spec_;
  RunSettings run_;
  sim::Simulation sim_;
  sim::TimeAverage wip_;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  /// Stations, paced lines and every later kind, ordered by rank (ranks_before) at the end of
  /// the build; the builder keeps the concrete types it wires.
  std::vector<std::unique_ptr<Equipment>> equipment_;
  std::vector<std::unique_ptr<Source>> feeders_;
  std::vector<std::unique_ptr<CalendarDriver>> drivers_;
  std::vector<std::unique_ptr<RampDriver>> ramps_;
  // Stations on a learning curve, and per month whether one of them was still more than 1 %
  // slower than mature at the month's middle (a ramp-up month): looked at by an event there,
  // as the count it depends on is known only as the run goes.
  std::vector<const Station*> learners_;
  std::vector<std::uint8_t> learning_at_middle_;
  sim::Time month_middle(std::size_t m) const;
  void schedule_learning_check(std::size_t m);
  std::map<std::string, std::string> shop_of_;  // entity name -> shop name
  std::map<std::string, std::size_t> flow_position_;
  // The servers of a station whose servers fail alone ("weld@2"), each a station of its own:
  // the station's name, under which kpis() reports them together.
  std::map<std::string, std::string> server_of_;
  // Equipment with a start of production after time zero: the time, by name. Until then it is
  // held off shift, and kpis() reports that time as not started.
  std::map<std::string, sim::Time> start_of_production_;
  std::size_t first_production_month_ =
      0;  // the month the plant starts production in  // station or line -> order of creation
  std::vector<double> monthly_scheduled_hours_, monthly_nameplate_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<VehicleStore> store_;  // make to stock only
  // Shifting bottlenecks: a unit per station of the file (in flow order), by name.
  std::unique_ptr<ActivePeriods> activity_;
  std::map<std::string, std::uint32_t> unit_of_;
  sim::Time measured_from_;
  std::uint64_t last_life_ = 0;  // jobs started and lines indexed at the last watchdog look
  std::uint64_t days_told_ = 0;  // whole simulated days given to run_.on_progress

  enum class Stall { kNo, kYes, kNotNow };
  void watch();
  std::uint64_t life() const;
  Stall stall_state() const;
};

}  // namespace takt::models
