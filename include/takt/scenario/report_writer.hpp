// Turns run results into what planners read: a text table, summary.json, tidy CSV files and a
// manifest. Every number is printed with a fixed format, so equal results give equal bytes.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "takt/scenario/scenario_runner.hpp"

namespace takt::scenario {

/// The console table: per plant capacity, projected annual output with its 95% interval, share
/// of capacity and bottleneck.
std::string format_text(const RunResult& result);
/// summary.json (its shape is documented in docs/output-format.md).
std::string summary_json(const RunResult& result);
/// results.csv: run, scenario, replication, plant, entity, metric, value, unit.
std::string results_csv(const RunResult& result, const std::string& run_id = "0");
/// monthly.csv: scenario, replication, plant, month (YYYY-MM), output.
std::string monthly_csv(const RunResult& result);
/// stations.csv: scenario, replication, plant, shop, station, kind, and the six state shares.
std::string stations_csv(const RunResult& result);
/// manifest.json: scenario hash, seed, replications, program version, command line.
std::string manifest_json(const RunResult& result, const std::string& command_line);

/// The files `takt run --out` writes, by name, in the order they are listed above.
std::vector<std::pair<std::string, std::string>> output_files(const RunResult& result,
                                                              const std::string& command_line);
/// Their names.
std::vector<std::string> output_file_names();

/// The program version compiled in.
const char* program_version();

}  // namespace takt::scenario
