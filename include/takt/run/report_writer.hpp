// Turns run results into what planners read: a text table, summary.json, tidy CSV files and a
// manifest. Every number is printed with a fixed format, so equal results give equal bytes.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "takt/run/scenario_runner.hpp"

namespace takt::run {

/// The console table: per plant capacity, projected annual output with its 95% interval, share
/// of capacity and bottleneck.
std::string format_text(const RunResult& result);
/// summary.json (its shape is documented in docs/output-format.md).
std::string summary_json(const RunResult& result);
// Every CSV row starts with what identifies it: run (run_id), scenario, edits (the --set edits,
// "; "-separated), replication and plant. docs/output-format.md lists every column.

/// results.csv, long form: ..., entity, metric, value, unit.
std::string results_csv(const RunResult& result);
/// monthly.csv, long form: ..., month (YYYY-MM), metric (output, nameplate, scheduled_hours),
/// value, unit.
std::string monthly_csv(const RunResult& result);
/// stations.csv, long form in flow order: ..., position, shop, station, kind, state,
/// of_calendar_time, of_scheduled_time, unit.
std::string stations_csv(const RunResult& result);
/// flows.csv: ..., from, to, route (line, branch or rework), jobs, unit: how many jobs each
/// station sent down the line and along each route (for a flow picture).
std::string flows_csv(const RunResult& result);
/// trace.csv: the event trace of one replication (RunOptions::trace), one row per interval.
std::string trace_csv(const RunResult& result);
/// trace.csv's header line, without its newline: what an existing --trace file must start with
/// to be replaced.
std::string trace_csv_header();
/// manifest.json: scenario hash, seed, replications, program version, command line.
std::string manifest_json(const RunResult& result, const std::string& command_line);

/// The files `takt run --out` writes, by name, in the order they are listed above.
std::vector<std::pair<std::string, std::string>> output_files(const RunResult& result,
                                                              const std::string& command_line);
/// Their names.
std::vector<std::string> output_file_names();

/// The scenario's edits as one text, "; "-separated ("" for none).
std::string edits_text(const Scenario& scenario);

/// "2023-01" for month `m` (0-based) of a run that starts on `start`.
std::string month_label(const models::CalendarDate& start, std::size_t m);

/// The program version compiled in.
const char* program_version();

}  // namespace takt::run
