// The limits on what a scenario may ask for, in one place: each is checked before any work
// starts, with a located error, and together they bound a run's memory and time
// (docs/reliability.md gives the table and the reasons).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "takt/models/plant_spec.hpp"
#include "takt/sim/time.hpp"

namespace takt::scenario::limits {

/// Plants in one scenario.
inline constexpr std::size_t kPlants = 100;
/// Stations, ovens, paced lines and buffers in one plant, parallel copies counted: each
/// station holds random streams of about 2.5 kB.
inline constexpr std::size_t kEquipmentPerPlant = 5000;
/// Parallel copies of one shop's line.
inline constexpr std::int64_t kLinesPerShop = 1000;
/// Servers of a station, places of an oven, positions of a paced line: time-in-state sums
/// stay exact in 64 bits up to 2,900 members over 100 years.
inline constexpr std::int64_t kServers = 2000;
/// Places of one buffer (or `unlimited`), jobs in one lot.
inline constexpr std::int64_t kBufferCapacity = 1000000;
/// Failure profiles of one station or paced line.
inline constexpr std::size_t kFailureProfiles = 8;
/// `takt fit`: rows of an observed-output file (more is no calibration table but a data
/// dump), and the largest observed output of one row (vehicles: far above a plant's decade).
inline constexpr std::size_t kObservedRows = 10000;
inline constexpr double kObservedOutput = 1e9;
/// `takt fit`: parameters at once (the profiles and refits grow with them, and a few public
/// figures never identify more), trials of the main search, and Nelder-Mead starts.
inline constexpr std::size_t kFitParameters = 6;
inline constexpr int kFitEvaluations = 10000;
inline constexpr int kFitStarts = 100;
/// Products of one plant.
inline constexpr std::size_t kProducts = 100;
/// Characters in a name (plant, shop, item, calendar, product).
inline constexpr std::size_t kNameLength = 100;
/// Values (scalars, lists and mappings) that a file's aliases add once expanded: a scenario's
/// aliases add a few hundred; nested aliases can multiply them tenfold a line ("billion
/// laughs"). The values written out are bounded by the file size.
inline constexpr std::uint64_t kExpandedValues = 1000000;
/// Replications of one run.
inline constexpr std::int64_t kReplications = 10000;
/// Replications times the stations and buffers of all plants: the per-replication results a
/// run keeps in memory (about 200 bytes each).
inline constexpr std::uint64_t kResultRows = 2000000;
/// Simulated years of one run (horizon); the run must also end by 9999-12-31.
inline constexpr std::int64_t kHorizonYears = 100;
/// Events one plant's replication may be expected to need (about half an hour here): the
/// estimate is twice the equipment's fastest rates summed over the horizon.
inline constexpr double kEventsPerReplication = 2e10;
/// Lanes of one sequencing store.
inline constexpr std::int64_t kStoreLanes = 1000;
/// Days of simulated time one event trace (`takt run --trace`) may cover: a day of SERES is
/// about 15,000 rows, a month about half a million.
inline constexpr std::int64_t kTraceDays = 31;
/// Points of one sweep: every point's scenario is read and checked before the first runs
/// (about 15 ms each for SERES), and 10,000 points of SERES take hours to run.
inline constexpr std::size_t kSweepPoints = 10000;

/// Vehicles ordered in one month (by product: of each product), and places of a storage
/// centre: sums over a century of months stay far inside 64 bits.
inline constexpr std::int64_t kOrderedPerMonth = 1000000000;
/// Largest price of one vehicle and largest investment in one plant, in yuan: far above any
/// car and any plant, small enough that values and their sums stay exact in a double.
inline constexpr double kPrice = 1e9;
inline constexpr double kInvestment = 1e14;
/// A plant's nameplate, in vehicles a year: from one vehicle to far above any plant, so that
/// shares of it print as shares and every month's nameplate as a number.
inline constexpr double kMinCapacity = 1;
inline constexpr double kMaxCapacity = 1e9;
/// A product's share of the mix: the shares are normalised by their sum, which must stay finite.
inline constexpr double kShare = 1e9;

/// Stations, ovens, paced lines and buffers of `plant`, parallel copies and the servers of a
/// station whose servers fail alone counted.
std::size_t equipment_count(const models::PlantSpec& plant);

/// An upper estimate of the events one replication of `plant` needs over `horizon`: twice the
/// sum of every station's, oven's and paced line's fastest rate (and the arrivals'), plus two
/// per failure cycle and one per ramp-up step, times the horizon. Far above what a balanced
/// plant does, far below what a hang would.
double estimated_events(const models::PlantSpec& plant, sim::Time horizon);

}  // namespace takt::scenario::limits

namespace takt::scenario {

struct Scenario;

/// Why `replications` replications of `scenario` would hold too many results in memory (more
/// than limits::kResultRows rows), or "" when they fit.
std::string check_run_size(const Scenario& scenario, std::int64_t replications);

}  // namespace takt::scenario
