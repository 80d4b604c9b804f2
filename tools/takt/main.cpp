// The takt program: parses the command line and hands over to the library. Exit codes: 0
// success, 1 run-time trouble (a deadlock, an unwritable directory), 2 bad input.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli_options.hpp"
#include "mpi_context.hpp"
#include "report_command.hpp"
#include "takt/experiment/atomic_file.hpp"
#include "takt/experiment/directory_lock.hpp"
#include "takt/experiment/output_folder.hpp"
#include "takt/models/exact_line.hpp"
#include "takt/models/line_decomposition.hpp"
#include "takt/run/analytic_report.hpp"
#include "takt/run/capacity_report.hpp"
#include "takt/run/compare.hpp"
#include "takt/run/fit.hpp"
#include "takt/run/improve.hpp"
#include "takt/run/report_writer.hpp"
#include "takt/run/scenario_runner.hpp"
#include "takt/run/sensitivity.hpp"
#include "takt/run/sweep_runner.hpp"
#include "takt/scenario/candidates.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/scenario/observed.hpp"
#include "takt/scenario/scenario.hpp"
#include "takt/scenario/sweep.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/interrupt.hpp"
#include "takt/sim/utf8.hpp"

namespace {

using namespace takt;

// The command line as a shell would take it back: a word with anything but letters, digits
// and -_./=:,@+% is single-quoted (a quote inside as '\''), so that the manifest's line can be
// copied and run again, whatever the paths and --set values hold.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-_./=:,@+%").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string joined(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + shell_word(argv[i]);
  return line;
}

// --trace-window FROM..TO (default: the first day), checked against the run and the limit.
takt::run::TraceRequest trace_request(const cli::RunArgs& a, const scenario::Scenario& s,
                                      int replications) {
  takt::run::TraceRequest t;
  t.replication = static_cast<std::size_t>(a.trace_replication);
  if (a.trace_replication >= replications) {
    throw cli::UsageError{"--trace-replication: expected 0 to " + std::to_string(replications - 1) +
                          ", got " + std::to_string(a.trace_replication)};
  }
  if (!a.trace_window.empty()) {
    const auto dots = a.trace_window.find("..");
    try {
      if (dots == std::string::npos) throw sim::ParseError("no \"..\"");
      t.from = sim::parse_duration(a.trace_window.substr(0, dots));
      t.to = sim::parse_duration(a.trace_window.substr(dots + 2));
    } catch (const sim::ParseError& e) {
      throw cli::UsageError{"--trace-window: expected FROM..TO like 0d..2d, got \"" +
                            a.trace_window + "\" (" + e.what() + ")"};
    }
  }
  // The default (the first day) ends with a shorter run; a window given must lie within it,
  // not be cut to fit without a word.
  if (a.trace_window.empty()) t.to = sim::min(t.to, s.horizon);
  if (t.to <= t.from || t.from < sim::Time::zero() || t.to > s.horizon)
    throw cli::UsageError{"--trace-window: expected FROM < TO within the horizon of " +
                          format_duration(s.horizon) + ", got \"" + a.trace_window + "\""};
  if (t.to - t.from > sim::Time::days(scenario::limits::kTraceDays)) {
    throw cli::UsageError{"--trace-window: a trace covers at most " +
                          std::to_string(scenario::limits::kTraceDays) + " days, got " +
                          format_duration(t.to - t.from)};
  }
  return t;
}

// The trace's file name when it goes into the --out folder itself: it is then one of the run's
// files, staged and published with them, so that the next run into the folder replaces it
// instead of refusing the folder for a file it does not write.
std::string trace_in_out(const std::string& trace, const std::string& out) {
  namespace fs = std::filesystem;
  if (trace.empty() || out.empty()) return "";
  const auto where = [](fs::path p, std::error_code& ec) {
    if (p.empty()) p = ".";  // a bare file name is in the working folder
    const fs::path absolute = fs::absolute(p, ec);
    return ec ? fs::path() : fs::weakly_canonical(absolute, ec);
  };
  std::error_code a, b;
  const fs::path parent = where(fs::path(trace).parent_path(), a);
  const fs::path folder = where(fs::path(out), b);
  if (a || b || parent != folder) return "";
  return fs::path(trace).filename().string();
}

// Whether `file` (a regular file) is a trace takt wrote, or empty (mktemp's: no one's data).
bool is_takt_trace(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::file_size(file, ec) == 0 && !ec) return true;
  const std::string header = takt::run::trace_csv_header();
  std::ifstream in(file, std::ios::binary);
  std::string start(header.size() + 1, '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  start.resize(static_cast<std::size_t>(in.gcount()));
  return start.rfind(header, 0) == 0 &&
         (start.size() == header.size() || start.back() == '\n' || start.back() == '\r');
}

// The trace file is checked before the run (its folder must exist) and written atomically, by
// renaming a new file over it: so what it replaces must be a trace of takt's own, never the
// scenario, a link, a FIFO or a device.
void check_trace_target(const std::string& file, bool in_out) {
  namespace fs = std::filesystem;
  const fs::path parent = fs::path(file).parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent.empty() ? "." : parent, ec)) {
    if (in_out) return;  // a new --out folder: the trace is staged with the run's files
    throw cli::UsageError{"--trace: the folder of \"" + file + "\" does not exist"};
  }
  const fs::file_status status = fs::symlink_status(file, ec);
  if (!fs::exists(status)) return;
  if (fs::is_directory(status))
    throw cli::UsageError{"--trace: \"" + file + "\" is a folder; give a file name"};
  if (!fs::is_regular_file(status)) {
    throw cli::UsageError{"--trace: \"" + file +
                          "\" is not a regular file (a link, a FIFO or a device), which the "
                          "trace would replace; give a file name of its own"};
  }
  if (!is_takt_trace(file)) {
    throw cli::UsageError{"--trace: \"" + file +
                          "\" exists and is not a trace takt wrote; give a new file name (takt "
                          "replaces only its own traces)"};
  }
}

// Warnings go to stderr once each, however many sweep points repeat them. `rule_replaced`: the
// command line's -r or --precision stands in for the file's precision rule, whose warning would
// then be about something not used.
void print_warnings(const std::vector<scenario::Scenario>& scenarios, bool rule_replaced = false) {
  std::set<std::string> told;
  for (const scenario::Scenario& s : scenarios) {
    for (const std::string& w : s.warnings) {
      if (rule_replaced && w == s.precision_warning) continue;
      if (told.insert(w).second) std::cerr << sim::escape_controls(w) << "\n";
    }
  }
}

// FILE with the --set edits, or the built-in SERES scenario; its warnings on stderr.
scenario::Scenario load_run_scenario(const std::string& file, const std::vector<std::string>& sets,
                                     bool rule_replaced = false) {
  scenario::Scenario s = file.empty() ? scenario::load_scenario(scenario::default_scenario_text(),
                                                                "<built-in seres.yaml>", sets)
                                      : scenario::load_scenario_file(file, sets);
  print_warnings({s}, rule_replaced);
  return s;
}

// Each plant's line decomposed; a plant the method does not handle is an input error (exit 2)
// that says why, rather than a guess.
int run_analytic(const cli::RunArgs& a, const scenario::Scenario& s) {
  std::optional<experiment::OutputFolder> folder;
  if (!a.out.empty()) folder.emplace(a.out, std::vector<std::string>{"analytic.csv"});
  std::vector<takt::run::AnalyticPlant> plants;
  try {
    plants = takt::run::analyze_lines(s);
  } catch (const takt::run::AnalyticRefusal& e) {
    throw cli::UsageError{std::string("run: ") + e.what()};
  }
  if (folder) {
    folder->write("analytic.csv", takt::run::analytic_csv(plants));
    folder->publish();
  }
  std::cout << (a.format == "json" ? takt::run::analytic_json(s, plants)
                                   : takt::run::analytic_text(s, plants));
  return 0;
}

// The output folder is claimed and checked before the simulation, so that a folder that cannot
// be written costs nothing; its files are published together once all are written.
int run(const std::vector<std::string>& args, const std::string& command_line) {
  bool help = false;
  const cli::RunArgs a = cli::parse_run(args, help);
  if (help) {
    std::cout << cli::usage("run");
    return 0;
  }
  const scenario::Scenario s = load_run_scenario(a.file, a.sets, a.precision || a.replications > 0);
  if (a.method == "analytic") return run_analytic(a, s);
  // With a precision rule the most it may run is checked against the limits, and a trace must
  // follow a replication that surely runs (one of the first batch).
  const std::optional<scenario::PrecisionRule> rule =
      a.precision ? a.precision : (a.replications > 0 ? std::nullopt : s.precision);
  const int replications = a.replications > 0 ? a.replications : s.replications;
  // (Read once here: GCC 12 took rule->min, read further down, for uninitialized.)
  const int first_batch = rule ? rule->min : replications;
  const std::string too_big = scenario::check_run_size(s, rule ? rule->max : replications);
  if (!too_big.empty())
    throw cli::UsageError{(rule ? "--precision: the maximum count: " : "--replications: ") +
                          too_big};
  takt::run::RunOptions options{a.replications, a.seed,       cli::usable_jobs(a.jobs),
                                isatty(2) != 0, std::nullopt, a.precision};
  const std::string trace_name = trace_in_out(a.trace, a.out);
  if (!a.trace.empty()) {
    options.trace = trace_request(a, s, first_batch);
    check_trace_target(a.trace, !trace_name.empty());
  }
  std::optional<experiment::OutputFolder> folder;
  std::vector<std::string> owned = takt::run::output_file_names();
  owned.push_back("report/");  // --report's, now or from an earlier run
  // An earlier run's trace.csv in the folder too, if takt wrote it: the folder is replaced
  // whole, and a trace of other results would be stale beside the new ones. (A planner's own
  // trace.csv keeps the folder refused.)
  if (!trace_name.empty()) owned.push_back(trace_name);
  const std::filesystem::path old_trace = std::filesystem::path(a.out) / "trace.csv";
  std::error_code ec;
  if (!a.out.empty() && trace_name != "trace.csv" &&
      std::filesystem::is_regular_file(old_trace, ec) && is_takt_trace(old_trace.string()))
    owned.push_back("trace.csv");
  if (!a.out.empty()) folder.emplace(a.out, owned);
  const takt::run::RunResult r = takt::run::run_scenario(s, options);
  if (folder) {
    for (const auto& [name, content] : takt::run::output_files(r, command_line))
      folder->write(name, content);
    if (!trace_name.empty()) folder->write(trace_name, takt::run::trace_csv(r));
    // Drawn from the staged files, so the report is published with them in one step.
    if (a.report)
      cli::draw_report(folder->staging(), folder->staging() / "report", a.out, command_line);
    folder->publish();
  }
  if (!a.trace.empty() && trace_name.empty())
    experiment::write_file_atomically(a.trace, takt::run::trace_csv(r));
  std::cout << (a.format == "json" ? takt::run::summary_json(r) : takt::run::format_text(r));
  // The time taken differs from run to run: on stderr, so that stdout is the same bytes.
  std::cerr << "takt: " << r.events << " events in " << std::fixed << std::setprecision(2)
            << r.wall_seconds << " s\n";
  return 0;
}

int validate(const std::vector<std::string>& args) {
  bool help = false;
  const cli::ValidateArgs a = cli::parse_validate(args, help);
  if (help) {
    std::cout << cli::usage("validate");
    return 0;
  }
  int status = 0;
  for (const std::string& file : a.files) {
    try {
      if (scenario::is_sweep_file(file)) {
        // Every point's scenario is read and checked, as `takt sweep` does before running.
        const scenario::SweepSpec spec =
            scenario::load_sweep_file(file, {}, 0, {cli::usable_jobs(0), false});
        print_warnings(spec.scenarios);
        std::cout << file << ": ok (a sweep of " << spec.rows.size() << " point"
                  << (spec.rows.size() == 1 ? "" : "s") << ")\n";
        continue;
      }
      if (scenario::is_holiday_file(file)) {
        const std::vector<int> years = scenario::load_holiday_file(file);
        std::cout << file << ": ok (holidays for " << years.size() << " year"
                  << (years.size() == 1 ? "" : "s") << ")\n";
        continue;
      }
      const scenario::Scenario s = scenario::load_scenario_file(file);
      print_warnings({s});
      std::cout << file << ": ok (" << s.plants.size() << " plant"
                << (s.plants.size() == 1 ? "" : "s") << ")\n";
    } catch (const scenario::ScenarioError& e) {
      std::cerr << sim::escape_controls(e.what()) << "\n";
      status = 2;
    }
  }
  return status;
}

int exact(const std::vector<std::string>& args) {
  bool help = false;
  const cli::ExactArgs a = cli::parse_exact(args, help);
  if (help) {
    std::cout << cli::usage("exact");
    return 0;
  }
  models::ExactLineSpec spec;
  for (std::size_t i = 0; i < a.rates.size(); ++i) {
    models::ExactMachine m;
    m.rate = a.rates[i];
    if (i < a.failure_rates.size()) m.failure_rate = a.failure_rates[i];
    if (i < a.repair_rates.size()) m.repair_rate = a.repair_rates[i];
    spec.machines.push_back(m);
  }
  spec.buffers = a.buffers.empty() ? std::vector<int>(a.rates.size() - 1, 0) : a.buffers;
  models::ExactLineResult r;
  try {
    r = models::solve_exact_line(spec);
  } catch (const sim::Interrupted&) {
    throw;  // Ctrl-C is no input error: exit 130, as everywhere
  } catch (const std::runtime_error& e) {
    // A line the chain cannot hold or solve is the planner's input, as a limit is (exit 2).
    throw cli::UsageError{std::string("exact: ") + e.what()};
  } catch (const std::invalid_argument& e) {
    throw cli::UsageError{std::string("exact: ") + e.what()};
  }
  std::printf("throughput %.6f  wip %.4f  (%zu states)\n", r.throughput, r.wip, r.states);
  std::printf("machine  working  blocked  starved     down\n");
  // Shares are not negative: a rounding error of -1e-12 would print as -0.0000.
  const auto share = [](double v) { return std::max(0.0, v); };
  for (std::size_t i = 0; i < r.working.size(); ++i) {
    std::printf("%7zu  %7.4f  %7.4f  %7.4f  %7.4f\n", i + 1, share(r.working[i]),
                share(r.blocked[i]), share(r.starved[i]), share(r.down[i]));
  }
  // The same line by decomposition, as `takt run --method analytic` answers it, and its error.
  try {
    const models::LineDecomposition d = models::decompose_line(spec);
    const double error = (d.throughput - r.throughput) / r.throughput;
    if (std::isfinite(error)) {
      std::printf("line decomposition: throughput %.6f (%+.2f %% against the exact chain)\n",
                  d.throughput, 100 * error);
    } else {
      std::printf("line decomposition: throughput %.6g (no error: the exact throughput is %g)\n",
                  d.throughput, r.throughput);
    }
  } catch (const models::NotConverged& e) {
    std::printf("line decomposition: none (%s)\n", e.what());
  } catch (const std::invalid_argument& e) {
    // A line the chain holds but the decomposition does not (more than its 100,000 places):
    // the exact answer stands, the comparison is told as missing.
    std::string why = e.what();
    const std::string prefix = "line decomposition: ";
    if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
    std::printf("line decomposition: none (%s)\n", why.c_str());
  }
  return 0;
}

void warn_unclaimed(const std::string& dir) {
  std::cerr << "takt: warning: \"" << dir << "\" cannot be locked (its file system has no locks);"
            << " make sure no other sweep or merge writes into it meanwhile\n";
}

// What a whole sweep's precision rule did (its points' counts are in points.csv's n).
void print_outcome(const takt::run::SweepOutcome& o) {
  if (o.ruled == 0) return;
  std::cerr << "takt: precision";
  if (o.half_width) std::cerr << " " << scenario::share_text(*o.half_width);
  std::cerr << ": " << o.met << " of " << o.ruled << " points met it";
  if (o.met < o.ruled) std::cerr << " (the others stopped at the rule's maximum)";
  std::cerr << "; " << o.fewest << " to " << o.most << " replications a point\n";
}

// Under mpirun each rank runs its share of the points into the same directory: rank 0
// prepares the store, every rank runs its points, rank 0 writes the final files.
int sweep(const std::vector<std::string>& args, const std::string& command_line) {
  bool help = false;
  const cli::SweepArgs a = cli::parse_sweep(args, help);
  if (help) {
    std::cout << cli::usage("sweep");
    return 0;
  }
  const cli::MpiContext& mpi = cli::MpiContext::world();
  const scenario::SweepSpec spec = scenario::load_sweep_file(
      a.file, a.sets, a.replications, {cli::usable_jobs(a.jobs), mpi.rank() == 0 && isatty(2) != 0},
      a.precision);
  if (mpi.rank() == 0) print_warnings(spec.scenarios);
  takt::run::SweepOptions o;
  o.out = a.out;
  o.jobs = cli::usable_jobs(a.jobs);
  o.shard_index = a.shard_index;
  o.shard_count = a.shard_count;
  o.progress = mpi.rank() == 0 && isatty(2) != 0;
  if (mpi.size() > 1) {
    if (a.shard_count > 1) throw cli::UsageError{"sweep: use --shard or mpirun, not both"};
    o.shard_index = mpi.rank();
    o.shard_count = mpi.size();
  }
  // Rank 0 claims the directory for the whole sweep (the other ranks share it on purpose): a
  // second sweep into it would wipe this one's points.
  std::optional<experiment::DirectoryLock> claim;
  if (mpi.rank() == 0) takt::run::check_sweep_folder(a.out);
  if (mpi.rank() == 0) claim.emplace(a.out);
  if (claim && !claim->is_held()) warn_unclaimed(a.out);
  if (mpi.rank() == 0) takt::run::prepare_sweep(spec, a.out, a.resume);
  mpi.barrier();
  o.reuse = !a.no_reuse;
  const takt::run::SweepRun done = takt::run::run_sweep(spec, o);
  const std::size_t ran = done.points;
  if (mpi.rank() == 0 && done.reused > 0) {
    std::cerr << "takt: " << done.reused << " of " << done.reused + done.simulated
              << " plant replications were identical to another point's and simulated once\n";
  }
  mpi.barrier();
  if (mpi.rank() != 0) return 0;
  if (const auto outcome = takt::run::finish_sweep(spec, a.out)) {
    print_outcome(*outcome);
    if (a.report)
      cli::draw_report(a.out, std::filesystem::path(a.out) / "report", a.out, command_line);
    std::cerr << "takt: sweep " << spec.name << ": " << spec.rows.size() << " points (" << ran
              << " run now" << (mpi.size() > 1 ? " by rank 0 of " + std::to_string(mpi.size()) : "")
              << "); results in " << a.out << "/runs.csv, points.csv and monthly.csv\n";
    return 0;
  }
  std::cerr << "takt: sweep " << spec.name << ": shard " << a.shard_index + 1 << "/"
            << a.shard_count << " done (" << ran
            << " points); run `takt merge` on all shard directories\n";
  return 0;
}

int merge(const std::vector<std::string>& args) {
  bool help = false;
  const cli::MergeArgs a = cli::parse_merge(args, help);
  if (help) {
    std::cout << cli::usage("merge");
    return 0;
  }
  std::vector<std::filesystem::path> dirs(a.dirs.begin(), a.dirs.end());
  for (const std::filesystem::path& d : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(d, ec))
      throw cli::UsageError{"merge: \"" + d.string() + "\" is not a folder"};
    if (!std::filesystem::exists(d / "sweep.json", ec)) {
      throw cli::UsageError{
          "merge: \"" + d.string() +
          "\" holds no sweep (no sweep.json): give the --out folders of a sweep's shards"};
    }
  }
  takt::run::check_sweep_folder(a.out);
  const experiment::DirectoryLock claim(a.out);
  if (!claim.is_held()) warn_unclaimed(a.out);
  print_outcome(takt::run::merge_sweeps(dirs, a.out));
  std::cerr << "takt: merged " << dirs.size() << " directories into " << a.out << "\n";
  return 0;
}

int capacity(const std::vector<std::string>& args) {
  bool help = false;
  const cli::CapacityArgs a = cli::parse_capacity(args, help);
  if (help) {
    std::cout << cli::usage("capacity");
    return 0;
  }
  const scenario::Scenario s = load_run_scenario(a.file, a.sets);
  const auto bounds = takt::run::capacity_bounds(s);
  if (!a.out.empty()) {
    experiment::OutputFolder folder(a.out, {"capacity.csv", "report/"});
    folder.write("capacity.csv", takt::run::capacity_csv(bounds));
    folder.publish();
  }
  std::cout << (a.format == "json" ? takt::run::capacity_json(s, bounds)
                                   : takt::run::capacity_text(s, bounds));
  return 0;
}

// `text` in single quotes for a POSIX shell, each quote in it written as '\''.
std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The default candidates (or a file's) against the scenario; the output folder is claimed
// before the runs, so that a folder that cannot be written costs nothing.
int improve(const std::vector<std::string>& args) {
  bool help = false;
  const cli::ImproveArgs a = cli::parse_improve(args, help);
  if (help) {
    std::cout << cli::usage("improve");
    return 0;
  }
  const std::string text =
      a.file.empty() ? scenario::default_scenario_text() : scenario::read_scenario_text(a.file);
  const std::string file = a.file.empty() ? "<built-in seres.yaml>" : a.file;
  scenario::Scenario s = scenario::load_scenario(text, file, a.sets);
  // improve ranks by paired differences over a fixed count; a precision rule is not used.
  print_warnings({s}, true);
  const int replications = a.replications > 0 ? a.replications : s.replications;
  if (s.precision && a.replications == 0) {
    std::cerr << "takt: note: improve runs a fixed count, " << replications
              << " replications (the scenario's `replications`); its precision rule is not used: "
                 "give -r to choose the count\n";
  }
  const std::string too_big = scenario::check_run_size(s, replications);
  if (!too_big.empty()) throw cli::UsageError{"--replications: " + too_big};
  const std::vector<scenario::Candidate> candidates =
      a.candidates.empty()
          ? scenario::default_candidates(s, a.kinds.empty() ? scenario::kCandidateKinds : a.kinds)
          : scenario::load_candidates_file(a.candidates, s);
  if (candidates.size() > scenario::kMaxCandidates) {
    throw cli::UsageError{"improve: " + std::to_string(candidates.size()) +
                          " candidates; at most " + std::to_string(scenario::kMaxCandidates) +
                          " (choose fewer with --kinds or a --candidates file)"};
  }
  if (a.list) {
    std::vector<std::string> notes;  // --list shows every default candidate, notes or not
    takt::run::load_candidates(text, file, a.sets, candidates, replications, notes);
    for (const scenario::Candidate& c : candidates) {
      std::string plants;
      for (const std::string& p : c.plants) plants += (plants.empty() ? "" : ", ") + p;
      std::cout << c.kind << "  " << (plants.empty() ? "every plant" : plants) << "  " << c.name
                << "\n";
      for (const scenario::Edit& e : c.edits)
        std::cout << "    --set " << shell_quoted(e.expression) << "\n";
    }
    return 0;
  }
  std::optional<experiment::OutputFolder> folder;
  if (!a.out.empty()) folder.emplace(a.out, std::vector<std::string>{"improve.csv", "report/"});
  const takt::run::ImproveResult r =
      takt::run::improve(s, text, file, a.sets, candidates,
                         {a.replications, a.seed, cli::usable_jobs(a.jobs), isatty(2) != 0});
  if (folder) {
    folder->write("improve.csv", takt::run::improve_csv(r));
    folder->publish();
  }
  std::cout << (a.format == "json" ? takt::run::improve_json(r)
                                   : takt::run::improve_text(r, static_cast<std::size_t>(a.top)));
  std::cerr << "takt: " << r.runs << " runs in " << std::fixed << std::setprecision(1)
            << r.wall_seconds << " s\n";
  return 0;
}

// A and B loaded (B from A's text with --change edits, which errors then point at), both
// checked before anything runs; the output folder too.
int compare(const std::vector<std::string>& args) {
  bool help = false;
  const cli::CompareArgs a = cli::parse_compare(args, help);
  if (help) {
    std::cout << cli::usage("compare");
    return 0;
  }
  const std::string a_file = a.files.empty() ? "" : a.files[0];
  const std::string text =
      a_file.empty() ? scenario::default_scenario_text() : scenario::read_scenario_text(a_file);
  const std::string a_label = a_file.empty() ? "<built-in seres.yaml>" : a_file;
  const scenario::Scenario sa = scenario::load_scenario(text, a_label, a.sets);
  std::vector<scenario::Edit> b_edits;
  for (const std::string& e : a.sets) b_edits.push_back({e});
  for (const std::string& e : a.changes) {
    // B runs A's seed and count, so that every replication is paired: an edit of them would
    // do nothing.
    const std::string key = scenario::edit_key(e);
    if (key == "seed" || scenario::sets_run_count(key)) {
      throw cli::UsageError{"--change " + key +
                            ": both arms run A's seed and replications (common random numbers); "
                            "give -r, --seed or --precision, which apply to both"};
    }
    if (scenario::moves_window(key)) {
      throw cli::UsageError{"--change " + key +
                            ": B would measure another window than A, and the difference would "
                            "be the windows', not the change's; give --set, which applies to both"};
    }
    b_edits.push_back({e, {"--change", 0, 0}});
  }
  const scenario::Scenario sb = a.files.size() == 2
                                    ? scenario::load_scenario_file(a.files[1], a.sets)
                                    : scenario::load_scenario_edited(text, a_label, b_edits);
  if (sa.start != sb.start || sa.horizon != sb.horizon || sa.warmup != sb.warmup) {
    const std::string b_label = a.files.size() == 2 ? a.files[1] : "B";
    throw cli::UsageError{"compare: " + b_label + " measures another window than " + a_label +
                          " (start, horizon or warm-up differ): compare scenarios over the same "
                          "window"};
  }
  print_warnings({sa, sb}, a.precision || a.replications > 0);
  // With a rule (--precision, or A's file unless -r) its maximum is held to the limits.
  const std::optional<scenario::PrecisionRule> rule =
      a.precision ? a.precision : (a.replications > 0 ? std::nullopt : sa.precision);
  const int replications = rule ? rule->max : a.replications > 0 ? a.replications : sa.replications;
  for (const scenario::Scenario* s : {&sa, &sb}) {
    const std::string too_big = scenario::check_run_size(*s, replications);
    if (!too_big.empty())
      throw cli::UsageError{(rule ? "precision: the maximum count: " : "--replications: ") +
                            too_big};
  }
  std::string set_text;
  for (const std::string& e : a.sets) set_text += " --set '" + e + "'";
  std::string b_label = a.files.size() == 2 ? a.files[1] + set_text : a_label + set_text;
  for (const std::string& e : a.changes) b_label += " --change '" + e + "'";
  std::optional<experiment::OutputFolder> folder;
  if (!a.out.empty()) folder.emplace(a.out, std::vector<std::string>{"compare.csv", "report/"});
  const takt::run::Comparison c =
      takt::run::compare(sa, sb, a_label + set_text, b_label,
                         {a.replications, a.seed, cli::usable_jobs(a.jobs), isatty(2) != 0,
                          std::nullopt, a.precision});
  if (folder) {
    folder->write("compare.csv", takt::run::comparison_csv(c));
    folder->publish();
  }
  std::cout << (a.format == "json" ? takt::run::comparison_json(c) : takt::run::comparison_text(c));
  return 0;
}

// Everything is checked before the first run: the scenario, the observed file against it,
// every --param (its text, its limit and that the scenario accepts its ends), the folder.
int fit(const std::vector<std::string>& args, const std::string& command) {
  bool help = false;
  const cli::FitArgs a = cli::parse_fit(args, help);
  if (help) {
    std::cout << cli::usage("fit");
    return 0;
  }
  const std::string text = scenario::read_scenario_text(a.file);
  const scenario::Scenario s = scenario::load_scenario(text, a.file, a.sets);
  print_warnings({s}, a.precision || a.replications > 0);
  // Every problem of the parameters, the observed file and the run size at once.
  std::vector<scenario::Diagnostic> problems;
  const auto problem = [&](const std::string& option, const std::string& message) {
    scenario::Diagnostic d;
    d.where.file = option;
    d.message = message;
    problems.push_back(std::move(d));
  };
  std::vector<takt::run::FitParameter> parameters;
  for (const std::string& p : a.params) {
    try {
      parameters.push_back(takt::run::parse_fit_parameter(p));
    } catch (const std::invalid_argument& e) {
      problem("--param", e.what());
      // The key, as parse_fit_parameter splits it, in the error's KEY.PATH place.
      if (const auto eq = p.rfind('='); eq != std::string::npos)
        problems.back().path = p.substr(0, eq);
    }
  }
  if (a.params.size() > scenario::limits::kFitParameters) {
    problem("--param", "at most " + std::to_string(scenario::limits::kFitParameters) +
                           " parameters at once, got " + std::to_string(a.params.size()));
  }
  // A rule (--precision, or the file's unless -r) chooses the count, at most its maximum.
  const std::optional<scenario::PrecisionRule> rule =
      a.precision ? a.precision : (a.replications > 0 ? std::nullopt : s.precision);
  const int replications = a.replications > 0 ? a.replications : s.replications;
  if (!rule && replications < 2) {
    problem("--replications",
            "a fit needs at least 2 replications (their spread is the noise "
            "its intervals are judged against), got " +
                std::to_string(replications));
  }
  const std::string too_big = scenario::check_run_size(s, rule ? rule->max : replications);
  if (!too_big.empty())
    problem(rule ? "--precision" : "--replications", (rule ? "the maximum count: " : "") + too_big);
  std::vector<scenario::ObservedPeriod> observed;
  std::string observed_hash;
  try {
    observed = scenario::load_observed(a.observed, s, a.relative, &observed_hash);
  } catch (const scenario::ScenarioError& e) {
    problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
  }
  const auto checked = takt::run::check_fit_parameters(text, a.file, a.sets, parameters);
  problems.insert(problems.end(), checked.begin(), checked.end());
  if (!problems.empty()) throw scenario::ScenarioError(problems);
  std::optional<experiment::OutputFolder> folder;
  if (!a.out.empty()) {
    folder.emplace(
        a.out, std::vector<std::string>{"fit.csv", "parameters.csv", "manifest.json", "report/"});
  }
  takt::run::FitResult r =
      takt::run::fit(text, a.file, a.sets, observed, parameters,
                     {a.replications, a.seed, cli::usable_jobs(a.jobs), a.relative, a.starts,
                      a.evaluations, isatty(2) != 0, a.precision});
  r.observed_file = a.observed;
  r.observed_hash = observed_hash;
  if (folder) {
    folder->write("fit.csv", takt::run::fit_csv(r));
    folder->write("parameters.csv", takt::run::fit_parameters_csv(r));
    folder->write("manifest.json", takt::run::fit_manifest(r, command));
    folder->publish();
  }
  std::cout << (a.format == "json" ? takt::run::fit_json(r) : takt::run::fit_text(r));
  return 0;
}

int sensitivity(const std::vector<std::string>& args) {
  bool help = false;
  const cli::SensitivityArgs a = cli::parse_sensitivity(args, help);
  if (help) {
    std::cout << cli::usage("sensitivity");
    return 0;
  }
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(a.dir) / "manifest.json", ec)) {
    throw cli::UsageError{"sensitivity: \"" + a.dir +
                          "\" holds no finished sweep (no manifest.json): give a sweep's --out "
                          "folder"};
  }
  takt::run::SensitivityResult r;
  try {
    r = takt::run::analyze_sweep(a.dir);
  } catch (const sim::Interrupted&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw cli::UsageError{std::string("sensitivity: ") + e.what()};
  }
  std::cout << (a.format == "json" ? takt::run::sensitivity_json(r) + "\n"
                                   : takt::run::sensitivity_text(r));
  if (!a.out.empty()) {
    // Claimed like every folder takt writes: a sweep still writing it is left alone.
    const experiment::DirectoryLock claim(a.out);
    if (!claim.is_held()) warn_unclaimed(a.out);
    experiment::write_file_atomically(std::filesystem::path(a.out) / "sensitivity.csv",
                                      takt::run::sensitivity_csv(r));
  }
  return 0;
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << cli::usage("");
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "run") return run(args, joined(argc, argv));
  if (command == "validate") return validate(args);
  if (command == "exact") return exact(args);
  if (command == "sweep") return sweep(args, joined(argc, argv));
  if (command == "merge") return merge(args);
  if (command == "sensitivity") return sensitivity(args);
  if (command == "capacity") return capacity(args);
  if (command == "improve") return improve(args);
  if (command == "compare") return compare(args);
  if (command == "fit") return fit(args, joined(argc, argv));
  if (command == "version" || command == "--version") {
    bool help = false;
    cli::parse_version(args, help);
    std::cout << (help ? cli::usage("version")
                       : "takt " + std::string(takt::run::program_version()) + "\n");
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    if (args.size() > 1 || (args.size() == 1 && !cli::is_command(args[0])))
      throw cli::UsageError{
          "help: expected a command name: run, validate, sweep, merge, capacity, improve, "
          "compare, fit, sensitivity, exact or version"};
    std::cout << cli::usage(args.empty() ? "" : args[0]);
    return 0;
  }
  std::cerr << "takt: unknown command '" << command << "'\n\n" << cli::usage("");
  return 2;
}

int guarded_dispatch(int argc, char** argv) {
  try {
    return dispatch(argc, argv);
  } catch (const sim::Interrupted&) {
    const bool is_sweep = argc > 1 && std::string(argv[1]) == "sweep";
    std::cerr << (isatty(2) != 0 ? "\n" : "") << "takt: interrupted; "
              << (is_sweep ? "the finished points are saved: run again with --resume to go on\n"
                           : "nothing was written\n");
    return 130;
  } catch (const experiment::InputError& e) {  // a ForeignFilesError too
    std::cerr << "takt: error: " << sim::escape_controls(e.what()) << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "takt: error: out of memory (docs/reliability.md lists the limits that keep "
                 "accepted inputs within memory)\n";
    return 1;
  } catch (const cli::UsageError& e) {
    std::cerr << "takt: " << sim::escape_controls(e.message) << "\n";
    return 2;
  } catch (const scenario::ScenarioError& e) {
    std::cerr << sim::escape_controls(e.what()) << "\n";
    return 2;
  } catch (const sim::SimulationError& e) {
    std::cerr << "takt: " << sim::escape_controls(sim::format_error(e.place(), e.what())) << "\n";
    return 1;
  } catch (const sim::Error& e) {
    std::cerr << "takt: error: " << sim::escape_controls(sim::format_error(e.place(), e.what()))
              << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "takt: error: " << sim::escape_controls(e.what()) << "\n";
    return 1;
  }
}

}  // namespace

// The first Ctrl-C asks the runs to stop at their next check (within milliseconds) and say
// so; a second one ends the program at once.
extern "C" void on_interrupt(int signal) {
  takt::sim::request_interrupt();
  std::signal(signal, SIG_DFL);
}

int main(int argc, char** argv) {
  takt::cli::MpiContext::init(&argc, &argv);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  const int status = guarded_dispatch(argc, argv);
  takt::cli::MpiContext::finish(status);
  return status;
}
