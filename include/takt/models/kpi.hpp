// What a run of one plant reports: plain numbers, formatted elsewhere.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "takt/models/station_state.hpp"

namespace takt::models {

struct StationKpi {
  std::string name, shop, kind;  ///< kind: station, oven, paced
  std::array<double, kStateCount> shares{};
  std::uint64_t completed = 0, failures = 0, setups = 0;
};

struct BufferKpi {
  std::string name, shop;
  double capacity = 0;  ///< -1 for unlimited
  double mean = 0, max = 0, share_empty = 0, share_full = 0;
  double throughput_per_hour = 0;  ///< jobs leaving per hour
  double mean_wait_hours = 0;      ///< per job that left
};

struct PlantKpis {
  std::string name;
  double capacity = 0;
  double measured_hours = 0;       ///< simulated hours after warm-up
  std::uint64_t output = 0;        ///< vehicles completed after warm-up
  double throughput_per_hour = 0;  ///< output / measured_hours
  double annual_output = 0;        ///< throughput x 8760 h
  double capacity_ratio = 0;       ///< annual_output / capacity
  double wip = 0;                  ///< time-average vehicles in the plant
  double lead_time_hours = 0;      ///< mean, release to completion
  std::uint64_t released = 0, wip_end = 0;
  std::vector<std::uint64_t> monthly;  ///< completions per calendar month of the horizon
  std::vector<StationKpi> stations;
  std::vector<BufferKpi> buffers;
  std::string bottleneck;  ///< the station with the highest active (working+down+setup) share
  std::uint64_t events = 0;
};

}  // namespace takt::models
