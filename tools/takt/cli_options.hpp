// Command-line options of the takt program, one struct per subcommand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "takt/scenario/precision_rule.hpp"

namespace takt::cli {

/// A usage problem: message for stderr, exit code 2.
struct UsageError {
  std::string message;
};

struct RunArgs {
  std::string file;  ///< "" = the built-in SERES scenario
  /// --precision SHARE [--min-replications N] [--max-replications N]
  std::optional<scenario::PrecisionRule> precision;
  bool report = false;  ///< --report: draw the figures and report.html into DIR/report
  std::string out;
  int replications = 0;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;
  std::string format = "text";
  int jobs = 0;
  std::string trace;         ///< "" = no trace
  std::string trace_window;  ///< FROM..TO in scenario durations; "" = the first day
  int trace_replication = 0;
  std::string method = "simulation";  ///< or "analytic": the line decomposition
};

struct ValidateArgs {
  std::vector<std::string> files;
};

struct ExactArgs {
  std::vector<double> rates, failure_rates, repair_rates;
  std::vector<int> buffers;
  std::string format = "text";
};

struct SweepArgs {
  std::string file, out;
  int jobs = 0;
  int replications = 0;
  /// --precision SHARE [--min-replications N] [--max-replications N], at every point
  std::optional<scenario::PrecisionRule> precision;
  std::vector<std::string> sets;
  bool report = false;
  bool no_reuse = false;  ///< simulate every point's plants, alike or not (a check)
  bool resume = false;
  int shard_index = 0, shard_count = 1;  ///< --shard K/N as 0-based index and count
};

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out;
};

struct CapacityArgs {
  std::string file;  ///< "" = the built-in SERES scenario
  std::vector<std::string> sets;
  std::string format = "text";
  std::string out;  ///< "" = no capacity.csv
};

struct ImproveArgs {
  std::string file;  ///< "" = the built-in SERES scenario
  std::vector<std::string> sets;
  std::string candidates;          ///< a candidates file; "" = the default list
  std::vector<std::string> kinds;  ///< of the default list; empty = all
  int replications = 0;
  std::optional<std::uint64_t> seed;
  int jobs = 0;
  int top = 15;
  bool list = false;  ///< print the candidates and their edits; run nothing
  std::string format = "text";
  std::string out;
};

struct CompareArgs {
  std::vector<std::string> files;    ///< A and optionally B; none: the built-in SERES scenario as A
  std::vector<std::string> sets;     ///< edits to both arms
  std::vector<std::string> changes;  ///< edits to B only (B is A so edited when not given)
  int replications = 0;
  /// --precision SHARE [--min-replications N] [--max-replications N], both arms in step
  std::optional<scenario::PrecisionRule> precision;
  std::optional<std::uint64_t> seed;
  int jobs = 0;
  std::string format = "text";
  std::string out;
};

struct FitArgs {
  std::string file;                 ///< the scenario (required)
  std::string observed;             ///< the observed-output CSV (required)
  std::vector<std::string> params;  ///< KEY.PATH=LOW..HIGH
  std::vector<std::string> sets;
  int replications = 0;
  /// --precision SHARE [--min-replications N] [--max-replications N]: the count of every trial
  std::optional<scenario::PrecisionRule> precision;
  std::optional<std::uint64_t> seed;
  int jobs = 0;
  bool relative = false;
  int starts = 4;
  int evaluations = 120;
  std::string format = "text";
  std::string out;
};

struct SensitivityArgs {
  std::string dir, out;
  std::string format = "text";
};

/// Each throws UsageError; `help` is set when --help was asked for.
RunArgs parse_run(const std::vector<std::string>& args, bool& help);
ValidateArgs parse_validate(const std::vector<std::string>& args, bool& help);
ExactArgs parse_exact(const std::vector<std::string>& args, bool& help);
SweepArgs parse_sweep(const std::vector<std::string>& args, bool& help);
MergeArgs parse_merge(const std::vector<std::string>& args, bool& help);
CapacityArgs parse_capacity(const std::vector<std::string>& args, bool& help);
SensitivityArgs parse_sensitivity(const std::vector<std::string>& args, bool& help);
ImproveArgs parse_improve(const std::vector<std::string>& args, bool& help);
CompareArgs parse_compare(const std::vector<std::string>& args, bool& help);
FitArgs parse_fit(const std::vector<std::string>& args, bool& help);
/// `takt version` takes no arguments but --help.
void parse_version(const std::vector<std::string>& args, bool& help);

/// The thread count to use for `--jobs N`: N, or the hardware threads for 0, never more than
/// the hardware threads (more would only compete for the same cores); says so on stderr when
/// it lowers N.
int usable_jobs(int jobs);

/// The help text of a subcommand ("" or an unknown name: the program's), made from the same
/// option descriptions the parsers use, so help and parsing cannot disagree.
std::string usage(const std::string& command);
/// Whether `name` is a subcommand.
bool is_command(const std::string& name);

}  // namespace takt::cli
