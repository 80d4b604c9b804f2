// Boost.Program_options per subcommand; the only place that knows option spellings.
#include "cli_options.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include "takt/run/report_writer.hpp"
#include "takt/scenario/candidates.hpp"
#include "takt/scenario/diagnostics.hpp"
#include "takt/scenario/limits.hpp"

namespace takt::cli {
namespace po = boost::program_options;

namespace {

// A whole number from 0 to 2^64 - 1, written in decimal digits only ("-1" would wrap).
std::uint64_t parse_seed(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 20 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  errno = 0;
  const unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE) {
    throw UsageError{"--seed: expected a whole number from 0 to 18446744073709551615, got \"" +
                     text + "\""};
  }
  return value;
}

// Replications within the limit (docs/reliability.md), threads not negative.
void check_counts(bool has_replications, int replications, int jobs) {
  if (has_replications && replications <= 0) throw UsageError{"--replications must be positive"};
  if (replications > scenario::limits::kReplications) {
    throw UsageError{"--replications must be at most " +
                     std::to_string(scenario::limits::kReplications) + ", got " +
                     std::to_string(replications)};
  }
  if (jobs < 0) throw UsageError{"--jobs must not be negative"};
}

template <class T>
std::vector<T> split_list(const std::string& text, const char* option) {
  std::vector<T> out;
  if (text.empty() || text.back() == ',') {
    throw UsageError{std::string("--") + option + ": expected numbers separated by commas, got \"" +
                     text + "\""};
  }
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::istringstream is(item);
    T v{};
    if (!(is >> v) || !is.eof()) {
      throw UsageError{std::string("--") + option +
                       ": expected numbers separated by commas, got \"" + text + "\""};
    }
    out.push_back(v);
  }
  return out;
}

// One subcommand's options: `shown` are listed in its help, `hidden` are its positional
// arguments (named in the synopsis instead). Every help text is made from these.
struct Options {
  po::options_description shown{"Options", 100, 50};
  po::options_description hidden;
  po::positional_options_description positional;

  po::options_description all() const {
    po::options_description both;
    both.add(shown).add(hidden);
    return both;
  }
};

// What each subcommand is for, in the order the top-level help lists them.
struct Command {
  const char* name;
  const char* synopsis;
  const char* summary;
};

constexpr Command kCommands[] = {
    {"run", "takt run [FILE] [options]",
     "Runs a scenario (without FILE, the built-in SERES scenario, scenarios/seres.yaml) and\n"
     "prints the projected annual output per plant against its capacity. --method analytic\n"
     "answers serial exponential lines in milliseconds by line decomposition instead."},
    {"validate", "takt validate FILE...",
     "Checks scenario and sweep files without running them; reports every error at once."},
    {"sweep", "takt sweep SWEEP.yaml --out DIR [options]",
     "Runs every point of a sweep file into DIR. --resume keeps the finished points, --shard\n"
     "K/N runs a share of them (join the shard folders with `takt merge`); under `mpirun -np N`\n"
     "(a -DTAKT_MPI=ON build) the ranks share the points."},
    {"merge", "takt merge DIR... --out DIR", "Merges the shard folders of one sweep."},
    {"capacity", "takt capacity [FILE] [options]",
     "An upper bound on each plant's output without simulation (without FILE, the built-in\n"
     "SERES scenario): each station's effective rate and the maximum flow through the plant,\n"
     "with the stations that set it. Mature plants: ramp-ups are left out."},
    {"improve", "takt improve [FILE] [options]",
     "What to change first (without FILE, the built-in SERES scenario): each candidate change\n"
     "(every buffer doubled, repairs twice as fast, one more server, the next longer calendar per\n"
     "shop and plant; or a --candidates file) simulated against the scenario with common random\n"
     "numbers, ranked by its gain in annual output with a 95 % interval. Changes whose capacity\n"
     "bound rules out a gain are not simulated."},
    {"compare", "takt compare [A.yaml [B.yaml]] [options]",
     "Runs two plans with common random numbers and reports, per plant and figure, the mean of\n"
     "the paired differences B - A with its 95 % interval, and how much narrower it is than\n"
     "unpaired runs give. B is a second file, or A with --change edits (without files, A is the\n"
     "built-in SERES scenario)."},
    {"fit", "takt fit SCENARIO --observed FILE.csv --param KEY.PATH=LOW..HIGH... [options]",
     "Finds the values of the named parameters that best reproduce what the plants built\n"
     "(FILE.csv: plant,period,output; a period is 2022-08 or 2022-01..2022-06; plant `all`\n"
     "sums the plants). Objective: the sum of squared errors of the mean simulated output\n"
     "(--relative: of relative errors), every trial with the same seeds; Nelder-Mead with\n"
     "restarts in the box of the ranges. Reports each value with a 95 % interval (from refits\n"
     "to each replication; from its profile where the data only bound it) and whether the\n"
     "data identify it (docs/calibration.md)."},
    {"sensitivity", "takt sensitivity DIR [options]",
     "Ranks the factors of a finished sweep (its --out folder) by their effect on each plant's\n"
     "annual rate, capacity ratio and months to 80 % and 90 %: standardised regression\n"
     "coefficients with R^2, and main effects for grid designs."},
    {"exact", "takt exact --rates R1,...,Rk [--buffers B1,...,Bk-1] [options]",
     "The exact long-run figures of a small exponential line (blocking after service), and\n"
     "the line decomposition's throughput (takt run --method analytic) with its error."},
    {"version", "takt version", "Prints the program version."},
};

const Command* find_command(const std::string& name) {
  for (const Command& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// --precision SHARE [--min-replications N] [--max-replications N], worded for what is run.
void add_precision_options(po::options_description& d, const std::string& what,
                           const std::string& figure = "every plant's annual output") {
  d.add_options()("precision", po::value<std::string>()->value_name("SHARE"),
                  ("replications" + what + " until the 95 % interval of " + figure +
                   " is within SHARE of its mean (0.5%): a first batch, then steps "
                   "(docs/precision.md)")
                      .c_str())("min-replications", po::value<int>()->value_name("N"),
                                "with --precision: the first batch (default 5, at least 2)")(
      "max-replications", po::value<int>()->value_name("N"),
      "with --precision: never more than N (default 100)");
}

Options run_options(RunArgs& a) {
  Options o;
  add_precision_options(o.shown, "");
  std::string files;
  for (const std::string& name : run::output_file_names())
    files += (files.empty() ? "" : ", ") + name;
  o.shown.add_options()("out,o", po::value(&a.out)->value_name("DIR"),
                        ("write " + files + " into DIR").c_str())(
      "report", po::bool_switch(&a.report),
      "with --out: also draw the figures and a self-contained report.html into DIR/report "
      "(needs python3-matplotlib and python3-pandas; docs/plots.md)")(
      "replications,r", po::value(&a.replications)->value_name("N"),
      "replications (overrides the file)")("seed,s", po::value<std::string>()->value_name("S"),
                                           "base random seed (overrides the file)")(
      "set", po::value(&a.sets)->composing()->value_name("KEY.PATH=VALUE"),
      "edit the scenario, e.g. horizon=2y (repeatable; docs/scenario-format.md)")(
      "format,f", po::value(&a.format)->value_name("text|json"),
      "the summary on stdout: a table (text) or summary.json (json)")(
      "trace", po::value(&a.trace)->value_name("FILE"),
      "write every state change of one replication to FILE (CSV), for a Gantt chart")(
      "trace-window", po::value(&a.trace_window)->value_name("FROM..TO"),
      "the simulated time the trace covers, e.g. 0d..2d (default: the first day)")(
      "trace-replication", po::value(&a.trace_replication)->value_name("N"),
      "the replication the trace follows (default: 0)")(
      "jobs,j", po::value(&a.jobs)->value_name("N"), "threads (default: all cores)")(
      "method", po::value(&a.method)->value_name("simulation|analytic"),
      "analytic: a steady-state answer for serial exponential lines in milliseconds, by line "
      "decomposition (docs/analytic.md)")("help,h", "show this help");
  o.hidden.add_options()("file", po::value(&a.file));
  o.positional.add("file", 1);
  return o;
}

Options validate_options(ValidateArgs& a) {
  Options o;
  o.shown.add_options()("help,h", "show this help");
  o.hidden.add_options()("files", po::value(&a.files));
  o.positional.add("files", -1);
  return o;
}

struct ExactText {
  std::string rates, buffers, failures, repairs;
};

Options exact_options(ExactArgs& a, ExactText& t) {
  Options o;
  o.shown.add_options()("rates", po::value(&t.rates)->value_name("R1,...,Rk"),
                        "processing rates of the k machines (per time unit)")(
      "buffers", po::value(&t.buffers)->value_name("B1,...,Bk-1"),
      "places between consecutive machines (default: none)")(
      "failure-rates", po::value(&t.failures)->value_name("F1,...,Fk"),
      "failure rates while processing (optional)")("repair-rates",
                                                   po::value(&t.repairs)->value_name("R1,...,Rk"),
                                                   "repair rates (with --failure-rates)")(
      "format,f", po::value(&a.format)->value_name("text"), "text (the only form so far)")(
      "help,h", "show this help");
  return o;
}

Options sweep_options(SweepArgs& a, std::string& shard) {
  Options o;
  add_precision_options(o.shown, " at each point (each point stops on its own)");
  o.shown.add_options()("out,o", po::value(&a.out)->value_name("DIR"), "output folder")(
      "jobs,j", po::value(&a.jobs)->value_name("N"), "threads (default: all cores)")(
      "resume", po::bool_switch(&a.resume), "keep the finished points already in DIR")(
      "no-reuse", po::bool_switch(&a.no_reuse),
      "simulate every point's plants even where another point runs the same plant (a check: "
      "the files are the same bytes)")(
      "report", po::bool_switch(&a.report),
      "draw the figures and a self-contained report.html into DIR/report when the sweep is "
      "whole (needs python3-matplotlib and python3-pandas; docs/plots.md)")(
      "replications,r", po::value(&a.replications)->value_name("N"),
      "replications per point (overrides the sweep file)")(
      "set", po::value(&a.sets)->composing()->value_name("KEY.PATH=VALUE"),
      "edit the base scenario for every point (repeatable)")(
      "shard", po::value(&shard)->value_name("K/N"),
      "run only the K-th of N shares of the points (1-based)")("help,h", "show this help");
  o.hidden.add_options()("file", po::value(&a.file));
  o.positional.add("file", 1);
  return o;
}

Options merge_options(MergeArgs& a) {
  Options o;
  o.shown.add_options()("out,o", po::value(&a.out)->value_name("DIR"), "merged output folder")(
      "help,h", "show this help");
  o.hidden.add_options()("dirs", po::value(&a.dirs));
  o.positional.add("dirs", -1);
  return o;
}

Options capacity_options(CapacityArgs& a) {
  Options o;
  o.shown.add_options()("set", po::value(&a.sets)->composing()->value_name("KEY.PATH=VALUE"),
                        "edit the scenario (repeatable; docs/scenario-format.md)")(
      "format,f", po::value(&a.format)->value_name("text|json"),
      "a table (text) or JSON on stdout")("out,o", po::value(&a.out)->value_name("DIR"),
                                          "also write capacity.csv into DIR")("help,h",
                                                                              "show this help");
  o.hidden.add_options()("file", po::value(&a.file));
  o.positional.add("file", 1);
  return o;
}

Options improve_options(ImproveArgs& a, std::string& kinds) {
  Options o;
  o.shown.add_options()("set", po::value(&a.sets)->composing()->value_name("KEY.PATH=VALUE"),
                        "edit the scenario, for the base and every candidate (repeatable)")(
      "candidates,c", po::value(&a.candidates)->value_name("FILE"),
      "the candidates to try instead of the default list (docs/improve.md)")(
      "kinds", po::value(&kinds)->value_name("K1,K2"),
      "the default list's kinds to try: buffers, repairs, servers, shifts (default: all)")(
      "replications,r", po::value(&a.replications)->value_name("N"),
      "replications per arm (overrides the file)")(
      "seed,s", po::value<std::string>()->value_name("S"), "base random seed (overrides the file)")(
      "top", po::value(&a.top)->value_name("N"), "rows of the table (default: 15)")(
      "list", po::bool_switch(&a.list), "list the candidates with their edits; run nothing")(
      "format,f", po::value(&a.format)->value_name("text|json"),
      "a table (text) or JSON on stdout")("out,o", po::value(&a.out)->value_name("DIR"),
                                          "also write improve.csv into DIR")(
      "jobs,j", po::value(&a.jobs)->value_name("N"), "threads (default: all cores)")(
      "help,h", "show this help");
  o.hidden.add_options()("file", po::value(&a.file));
  o.positional.add("file", 1);
  return o;
}

Options compare_options(CompareArgs& a) {
  Options o;
  add_precision_options(o.shown, " of both arms, in step,");
  o.shown.add_options()("change", po::value(&a.changes)->composing()->value_name("KEY.PATH=VALUE"),
                        "edit arm B only (repeatable); B is A so edited when no B.yaml is given")(
      "set", po::value(&a.sets)->composing()->value_name("KEY.PATH=VALUE"),
      "edit both arms (repeatable)")("replications,r", po::value(&a.replications)->value_name("N"),
                                     "replications of each arm (default: A's)")(
      "seed,s", po::value<std::string>()->value_name("S"), "base random seed (default: A's)")(
      "format,f", po::value(&a.format)->value_name("text|json"),
      "a table (text) or JSON on stdout")("out,o", po::value(&a.out)->value_name("DIR"),
                                          "also write compare.csv into DIR")(
      "jobs,j", po::value(&a.jobs)->value_name("N"), "threads (default: all cores)")(
      "help,h", "show this help");
  o.hidden.add_options()("files", po::value(&a.files));
  o.positional.add("files", -1);
  return o;
}

Options fit_options(FitArgs& a) {
  Options o;
  add_precision_options(o.shown, " of every trial, chosen at the centre of the ranges,",
                        "each observed period's output");
  o.shown.add_options()("observed", po::value(&a.observed)->value_name("FILE.csv"),
                        "what the plants built: plant,period,output (required)")(
      "param", po::value(&a.params)->composing()->value_name("KEY.PATH=LOW..HIGH"),
      "a parameter to fit and its range: numbers, durations (10min..4h) or dates "
      "(repeatable, at most 6)")("set",
                                 po::value(&a.sets)->composing()->value_name("KEY.PATH=VALUE"),
                                 "edit the scenario first (repeatable)")(
      "relative", po::bool_switch(&a.relative), "sum squared relative errors instead")(
      "starts", po::value(&a.starts)->value_name("N"), "Nelder-Mead starts (default 4)")(
      "evaluations", po::value(&a.evaluations)->value_name("N"),
      "trials of the main search (default 120)")(
      "replications,r", po::value(&a.replications)->value_name("N"),
      "replications of every trial (default: the scenario's)")(
      "seed,s", po::value<std::string>()->value_name("S"),
      "base random seed (default: the scenario's)")("format,f",
                                                    po::value(&a.format)->value_name("text|json"),
                                                    "a table (text) or JSON on stdout")(
      "out,o", po::value(&a.out)->value_name("DIR"),
      "also write fit.csv, parameters.csv and manifest.json into DIR")(
      "jobs,j", po::value(&a.jobs)->value_name("N"), "threads (default: all cores)")(
      "help,h", "show this help");
  o.hidden.add_options()("file", po::value(&a.file));
  o.positional.add("file", 1);
  return o;
}

Options sensitivity_options(SensitivityArgs& a) {
  Options o;
  o.shown.add_options()("format,f", po::value(&a.format)->value_name("text|json"),
                        "a table (text) or JSON on stdout")(
      "out,o", po::value(&a.out)->value_name("DIR"), "also write sensitivity.csv into DIR")(
      "help,h", "show this help");
  o.hidden.add_options()("dir", po::value(&a.dir));
  o.positional.add("dir", 1);
  return o;
}

Options version_options() {
  Options o;
  o.shown.add_options()("help,h", "show this help");
  return o;
}

// The options of `command`, made by the same function its parser uses.
std::string options_text(const std::string& command) {
  std::ostringstream out;
  RunArgs run;
  ValidateArgs validate;
  ExactArgs exact;
  ExactText exact_text;
  SweepArgs sweep;
  MergeArgs merge;
  SensitivityArgs sensitivity;
  CapacityArgs capacity;
  ImproveArgs improve;
  CompareArgs compare;
  FitArgs fit;
  std::string shard, kinds;
  if (command == "run") out << run_options(run).shown;
  if (command == "validate") out << validate_options(validate).shown;
  if (command == "exact") out << exact_options(exact, exact_text).shown;
  if (command == "sweep") out << sweep_options(sweep, shard).shown;
  if (command == "merge") out << merge_options(merge).shown;
  if (command == "sensitivity") out << sensitivity_options(sensitivity).shown;
  if (command == "capacity") out << capacity_options(capacity).shown;
  if (command == "improve") out << improve_options(improve, kinds).shown;
  if (command == "compare") out << compare_options(compare).shown;
  if (command == "fit") out << fit_options(fit).shown;
  if (command == "version") out << version_options().shown;
  return out.str();
}

po::variables_map parse(const std::vector<std::string>& args, const Options& o) {
  po::variables_map vm;
  // No guessing: "--replication 2" must not quietly mean --replications.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    po::store(
        po::command_line_parser(args).options(o.all()).positional(o.positional).style(style).run(),
        vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    // As for a misspelt key in a file: name the option meant.
    std::vector<std::string> names;
    for (const auto& option : o.shown.options()) names.push_back("--" + option->long_name());
    const std::string guess = scenario::closest_match(e.get_option_name(), names);
    throw UsageError{std::string(e.what()) +
                     (guess.empty() ? "" : " (did you mean '" + guess + "'?)")};
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return vm;
}

// --shard K/N as a 0-based index and a count.
void parse_shard(const std::string& shard, SweepArgs& a) {
  const auto slash = shard.find('/');
  const auto is_number = [](const std::string& t) {
    return !t.empty() && t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos;
  };
  const std::string k = slash == std::string::npos ? "" : shard.substr(0, slash);
  const std::string n = slash == std::string::npos ? "" : shard.substr(slash + 1);
  if (!is_number(k) || !is_number(n))
    throw UsageError{"--shard: expected K/N like 2/8, got \"" + shard + "\""};
  a.shard_index = std::stoi(k) - 1;
  a.shard_count = std::stoi(n);
  if (a.shard_count < 1 || a.shard_index < 0 || a.shard_index >= a.shard_count) {
    throw UsageError{"--shard: expected 1 <= K <= N, got \"" + shard + "\""};
  }
}

}  // namespace

// --precision SHARE with its optional counts; the counts alone are a mistake, and so is a
// fixed count beside the rule.
std::optional<scenario::PrecisionRule> parse_precision(const po::variables_map& vm) {
  const bool counts = vm.count("min-replications") || vm.count("max-replications");
  if (!vm.count("precision")) {
    if (counts) throw UsageError{"--min-replications and --max-replications go with --precision"};
    return std::nullopt;
  }
  if (vm.count("replications"))
    throw UsageError{"--precision chooses the replications: leave out --replications"};
  const std::string text = vm["precision"].as<std::string>();
  const auto share = scenario::parse_share(text);
  if (!share) {
    throw UsageError{
        "--precision: expected a share above 0 and below 1, like 0.5% or 0.005, got \"" + text +
        "\""};
  }
  if (const std::string w = scenario::share_warning(text); !w.empty())
    std::cerr << "takt: warning: --precision: " << w << "\n";
  scenario::PrecisionRule rule;
  rule.half_width = *share;
  if (vm.count("min-replications")) rule.min = vm["min-replications"].as<int>();
  if (vm.count("max-replications")) rule.max = vm["max-replications"].as<int>();
  if (!vm.count("min-replications")) rule.min = std::min(rule.min, rule.max);
  const auto limit = static_cast<int>(scenario::limits::kReplications);
  if (rule.min < 2 || rule.min > limit || rule.max < 2 || rule.max > limit) {
    throw UsageError{"--min-replications and --max-replications: expected 2 to " +
                     std::to_string(limit)};
  }
  if (rule.min > rule.max)
    throw UsageError{"--min-replications must not be above --max-replications"};
  return rule;
}

RunArgs parse_run(const std::vector<std::string>& args, bool& help) {
  RunArgs a;
  const auto vm = parse(args, run_options(a));
  help = vm.count("help") > 0;
  if (vm.count("seed")) a.seed = parse_seed(vm["seed"].as<std::string>());
  if (vm.count("file") && a.file.empty())
    throw UsageError{"run: the scenario FILE is empty (leave it out for the built-in scenario)"};
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  if (a.report && a.out.empty())
    throw UsageError{"--report draws from the output files: give --out DIR as well"};
  a.precision = parse_precision(vm);
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  if (vm.count("trace") && a.trace.empty()) throw UsageError{"--trace: expected a file, got \"\""};
  if (!vm.count("trace") && (vm.count("trace-window") || vm.count("trace-replication")))
    throw UsageError{"--trace-window and --trace-replication go with --trace FILE"};
  if (a.trace_replication < 0) throw UsageError{"--trace-replication must not be negative"};
  if (a.method != "simulation" && a.method != "analytic")
    throw UsageError{"--method: expected simulation or analytic, got \"" + a.method + "\""};
  if (a.method == "analytic" && (vm.count("trace") || vm.count("replications") ||
                                 vm.count("seed") || vm.count("precision"))) {
    throw UsageError{
        "--method analytic draws no random numbers: leave out --replications, --precision, "
        "--seed and --trace"};
  }
  if (a.method == "analytic" && a.report)
    throw UsageError{"--report draws a simulation's files; --method analytic writes analytic.csv"};
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  return a;
}

ValidateArgs parse_validate(const std::vector<std::string>& args, bool& help) {
  ValidateArgs a;
  const auto vm = parse(args, validate_options(a));
  help = vm.count("help") > 0;
  if (!help && a.files.empty()) throw UsageError{"validate: expected at least one FILE"};
  return a;
}

CapacityArgs parse_capacity(const std::vector<std::string>& args, bool& help) {
  CapacityArgs a;
  const auto vm = parse(args, capacity_options(a));
  help = vm.count("help") > 0;
  if (vm.count("file") && a.file.empty())
    throw UsageError{"capacity: the scenario FILE is empty (leave it out for the built-in one)"};
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  return a;
}

SensitivityArgs parse_sensitivity(const std::vector<std::string>& args, bool& help) {
  SensitivityArgs a;
  const auto vm = parse(args, sensitivity_options(a));
  help = vm.count("help") > 0;
  if (help) return a;
  if (a.dir.empty()) throw UsageError{"sensitivity: expected the folder of a finished sweep"};
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  return a;
}

ImproveArgs parse_improve(const std::vector<std::string>& args, bool& help) {
  ImproveArgs a;
  std::string kinds;
  const auto vm = parse(args, improve_options(a, kinds));
  help = vm.count("help") > 0;
  if (help) return a;
  if (vm.count("seed")) a.seed = parse_seed(vm["seed"].as<std::string>());
  if (vm.count("file") && a.file.empty())
    throw UsageError{"improve: the scenario FILE is empty (leave it out for the built-in one)"};
  if (vm.count("candidates") && a.candidates.empty())
    throw UsageError{"--candidates: expected a file, got \"\""};
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  if (a.top <= 0) throw UsageError{"--top must be positive"};
  // --list runs nothing and prints text: options about results would be dropped without a word.
  if (a.list && (vm.count("out") || a.format != "text")) {
    throw UsageError{std::string("--list prints the candidates as text and runs nothing; leave ") +
                     (vm.count("out") ? "--out" : "--format") + " out"};
  }
  if (vm.count("kinds")) {
    if (!a.candidates.empty())
      throw UsageError{"--kinds chooses from the default list; leave it out with --candidates"};
    std::stringstream ss(kinds);
    std::string k;
    while (std::getline(ss, k, ',')) {
      const auto& known = scenario::kCandidateKinds;
      if (std::find(known.begin(), known.end(), k) == known.end()) {
        throw UsageError{
            "--kinds: expected some of buffers, repairs, servers, shifts separated by "
            "commas, got \"" +
            kinds + "\""};
      }
      a.kinds.push_back(k);
    }
    if (a.kinds.empty() || kinds.back() == ',')
      throw UsageError{
          "--kinds: expected some of buffers, repairs, servers, shifts separated by "
          "commas, got \"" +
          kinds + "\""};
  }
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  return a;
}

CompareArgs parse_compare(const std::vector<std::string>& args, bool& help) {
  CompareArgs a;
  const auto vm = parse(args, compare_options(a));
  help = vm.count("help") > 0;
  if (help) return a;
  if (vm.count("seed")) a.seed = parse_seed(vm["seed"].as<std::string>());
  a.precision = parse_precision(vm);
  if (a.files.size() > 2) throw UsageError{"compare: expected at most two scenario files, A and B"};
  for (const std::string& f : a.files) {
    if (f.empty()) throw UsageError{"compare: a scenario file name is empty"};
  }
  if (a.files.size() < 2 && a.changes.empty())
    throw UsageError{
        "compare: give a second scenario B.yaml, or --change edits that make B from A"};
  if (a.files.size() == 2 && !a.changes.empty())
    throw UsageError{"compare: --change makes B from A; leave it out when B.yaml is given"};
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  return a;
}

FitArgs parse_fit(const std::vector<std::string>& args, bool& help) {
  FitArgs a;
  const auto vm = parse(args, fit_options(a));
  help = vm.count("help") > 0;
  if (help) return a;
  if (vm.count("seed")) a.seed = parse_seed(vm["seed"].as<std::string>());
  if (a.file.empty()) throw UsageError{"fit: expected the scenario file to fit"};
  if (a.observed.empty()) throw UsageError{"fit: --observed FILE.csv is required"};
  if (a.params.empty()) throw UsageError{"fit: give at least one --param KEY.PATH=LOW..HIGH"};
  a.precision = parse_precision(vm);
  if (a.starts < 1 || a.starts > scenario::limits::kFitStarts) {
    throw UsageError{"--starts: expected 1 to " + std::to_string(scenario::limits::kFitStarts) +
                     ", got " + std::to_string(a.starts)};
  }
  if (a.evaluations < 1 || a.evaluations > scenario::limits::kFitEvaluations) {
    throw UsageError{"--evaluations: expected 1 to " +
                     std::to_string(scenario::limits::kFitEvaluations) + ", got " +
                     std::to_string(a.evaluations)};
  }
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  return a;
}

ExactArgs parse_exact(const std::vector<std::string>& args, bool& help) {
  ExactArgs a;
  ExactText t;
  const auto vm = parse(args, exact_options(a, t));
  help = vm.count("help") > 0;
  if (help) return a;
  if (a.format != "text") throw UsageError{"--format: expected text, got \"" + a.format + "\""};
  if (t.rates.empty()) throw UsageError{"exact: --rates is required"};
  a.rates = split_list<double>(t.rates, "rates");
  if (!t.buffers.empty()) a.buffers = split_list<int>(t.buffers, "buffers");
  if (!t.failures.empty()) a.failure_rates = split_list<double>(t.failures, "failure-rates");
  if (!t.repairs.empty()) a.repair_rates = split_list<double>(t.repairs, "repair-rates");
  // One rate per machine, as --buffers has one place count per gap: a short list silently left
  // the last machines never failing, and a long one dropped its extra rates.
  const auto one_per_machine = [&a](const std::vector<double>& list, const char* option) {
    if (list.empty() || list.size() == a.rates.size()) return;
    throw UsageError{std::string("exact: --") + option + " needs one rate per machine (" +
                     std::to_string(a.rates.size()) + "), got " + std::to_string(list.size()) +
                     " (give 0 for a machine that never fails)"};
  };
  one_per_machine(a.failure_rates, "failure-rates");
  one_per_machine(a.repair_rates, "repair-rates");
  // Each needs the other: repairs without failures (or failures without repairs) meant
  // nothing and were accepted without a word.
  if (a.failure_rates.empty() != a.repair_rates.empty()) {
    throw UsageError{a.failure_rates.empty()
                         ? "exact: --repair-rates needs --failure-rates (one per machine)"
                         : "exact: --failure-rates needs --repair-rates (one per machine)"};
  }
  return a;
}

SweepArgs parse_sweep(const std::vector<std::string>& args, bool& help) {
  SweepArgs a;
  std::string shard;
  const auto vm = parse(args, sweep_options(a, shard));
  help = vm.count("help") > 0;
  if (help) return a;
  if (a.file.empty() || a.out.empty()) throw UsageError{"sweep: expected SWEEP.yaml and --out DIR"};
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  a.precision = parse_precision(vm);
  if (!shard.empty()) parse_shard(shard, a);
  return a;
}

MergeArgs parse_merge(const std::vector<std::string>& args, bool& help) {
  MergeArgs a;
  const auto vm = parse(args, merge_options(a));
  help = vm.count("help") > 0;
  if (!help && (a.dirs.empty() || a.out.empty()))
    throw UsageError{"merge: expected DIR... and --out DIR"};
  return a;
}

void parse_version(const std::vector<std::string>& args, bool& help) {
  const auto vm = parse(args, version_options());
  help = vm.count("help") > 0;
}

int usable_jobs(int jobs) {
  const int hardware = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (jobs <= 0) return hardware;
  if (jobs <= hardware) return jobs;
  std::cerr << "takt: note: --jobs " << jobs << " is more than the " << hardware
            << " hardware threads here; using " << hardware << "\n";
  return hardware;
}

std::string usage(const std::string& command) {
  std::ostringstream out;
  if (const Command* c = find_command(command)) {
    out << "Usage: " << c->synopsis << "\n\n" << c->summary << "\n\n" << options_text(command);
    return out.str();
  }
  out << "takt: discrete-event simulation of car plants\n\nUsage: takt COMMAND [options]\n\n"
      << "Commands:\n";
  for (const Command& c : kCommands) out << "  " << c.synopsis << "\n";
  out << "\nRun `takt COMMAND --help` (or `takt help COMMAND`) for a command's options.\n"
         "Exit codes: 0 success, 1 run-time error, 2 bad input, 130 interrupted.\n";
  return out.str();
}

bool is_command(const std::string& name) { return find_command(name) != nullptr; }

}  // namespace takt::cli
