// Boost.Program_options per subcommand; the only place that knows option spellings.
#include "cli_options.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

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

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  // No guessing: "--replication 2" must not quietly mean --replications.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(positional).style(style).run(),
              vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    // As for a misspelt key in a file: name the option meant.
    std::vector<std::string> names;
    for (const auto& option : opts.options()) names.push_back("--" + option->long_name());
    const std::string guess = scenario::closest_match(e.get_option_name(), names);
    throw UsageError{std::string(e.what()) +
                     (guess.empty() ? "" : " (did you mean '" + guess + "'?)")};
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return vm;
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

po::options_description run_options(RunArgs& a) {
  po::options_description o("takt run [FILE] [options]");
  o.add_options()("help,h", "show this help")(
      "out,o", po::value(&a.out),
      "write summary.json, results.csv, monthly.csv, stations.csv and manifest.json into DIR")(
      "replications,r", po::value(&a.replications), "replications (overrides the file)")(
      "seed,s", po::value<std::string>(), "base random seed (overrides the file)")(
      "set", po::value(&a.sets)->composing(),
      "KEY.PATH=VALUE override, e.g. 'plants[Liangjiang].shops[painting].line[pbs].capacity=200' "
      "(repeatable)")("format,f", po::value(&a.format), "text or json (the summary on stdout)")(
      "jobs,j", po::value(&a.jobs), "threads (default: all cores)")(
      "file", po::value(&a.file), "scenario file (default: the built-in SERES scenario)");
  return o;
}

}  // namespace

RunArgs parse_run(const std::vector<std::string>& args, bool& help) {
  RunArgs a;
  const auto opts = run_options(a);
  po::positional_options_description pos;
  pos.add("file", 1);
  const auto vm = parse(args, opts, pos);
  help = vm.count("help") > 0;
  if (vm.count("seed")) a.seed = parse_seed(vm["seed"].as<std::string>());
  if (vm.count("file") && a.file.empty())
    throw UsageError{"run: the scenario FILE is empty (leave it out for the built-in scenario)"};
  if (vm.count("out") && a.out.empty()) throw UsageError{"--out: expected a folder, got \"\""};
  if (a.format != "text" && a.format != "json") {
    throw UsageError{"--format: expected text or json, got \"" + a.format + "\""};
  }
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  return a;
}

ValidateArgs parse_validate(const std::vector<std::string>& args, bool& help) {
  ValidateArgs a;
  po::options_description o("takt validate FILE...");
  o.add_options()("help,h", "show this help")("files", po::value(&a.files), "scenario files");
  po::positional_options_description pos;
  pos.add("files", -1);
  const auto vm = parse(args, o, pos);
  help = vm.count("help") > 0;
  if (!help && a.files.empty()) throw UsageError{"validate: expected at least one FILE"};
  return a;
}

ExactArgs parse_exact(const std::vector<std::string>& args, bool& help) {
  ExactArgs a;
  std::string rates, buffers, failures, repairs;
  po::options_description o("takt exact --rates R1,R2,... --buffers B1,... [options]");
  o.add_options()("help,h", "show this help")("rates", po::value(&rates),
                                              "processing rates of the machines (per time unit)")(
      "buffers", po::value(&buffers), "places between consecutive machines (k-1 values)")(
      "failure-rates", po::value(&failures), "failure rates while processing (k values, optional)")(
      "repair-rates", po::value(&repairs), "repair rates (k values, with --failure-rates)")(
      "format,f", po::value(&a.format), "text or json");
  const auto vm = parse(args, o, {});
  help = vm.count("help") > 0;
  if (help) return a;
  if (rates.empty()) throw UsageError{"exact: --rates is required"};
  a.rates = split_list<double>(rates, "rates");
  if (!buffers.empty()) a.buffers = split_list<int>(buffers, "buffers");
  if (!failures.empty()) a.failure_rates = split_list<double>(failures, "failure-rates");
  if (!repairs.empty()) a.repair_rates = split_list<double>(repairs, "repair-rates");
  return a;
}

SweepArgs parse_sweep(const std::vector<std::string>& args, bool& help) {
  SweepArgs a;
  std::string shard;
  po::options_description o("takt sweep SWEEP.yaml --out DIR [options]");
  o.add_options()("help,h", "show this help")("out,o", po::value(&a.out), "output directory")(
      "jobs,j", po::value(&a.jobs), "threads (default: all cores)")(
      "resume", po::bool_switch(&a.resume), "keep the finished points already in DIR")(
      "replications,r", po::value(&a.replications),
      "replications per point (overrides the sweep file)")(
      "set", po::value(&a.sets)->composing(),
      "KEY.PATH=VALUE edit of the base scenario for every point (repeatable)")(
      "shard", po::value(&shard), "K/N: run only the K-th of N shares of the points (1-based)")(
      "file", po::value(&a.file), "sweep file");
  po::positional_options_description pos;
  pos.add("file", 1);
  const auto vm = parse(args, o, pos);
  help = vm.count("help") > 0;
  if (help) return a;
  if (a.file.empty() || a.out.empty()) throw UsageError{"sweep: expected SWEEP.yaml and --out DIR"};
  check_counts(vm.count("replications") > 0, a.replications, a.jobs);
  if (!shard.empty()) {
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
  return a;
}

MergeArgs parse_merge(const std::vector<std::string>& args, bool& help) {
  MergeArgs a;
  po::options_description o("takt merge DIR... --out DIR");
  o.add_options()("help,h", "show this help")(
      "out,o", po::value(&a.out), "merged output directory")("dirs", po::value(&a.dirs),
                                                             "shard output directories");
  po::positional_options_description pos;
  pos.add("dirs", -1);
  const auto vm = parse(args, o, pos);
  help = vm.count("help") > 0;
  if (!help && (a.dirs.empty() || a.out.empty()))
    throw UsageError{"merge: expected DIR... and --out DIR"};
  return a;
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
  if (command == "run") {
    RunArgs a;
    out << run_options(a);
    return out.str();
  }
  if (command == "sweep") {
    return "takt sweep SWEEP.yaml --out DIR [--jobs N] [--resume] [--shard K/N] [--replications "
           "N]\n"
           "           [--set KEY.PATH=VALUE]...\n"
           "  runs every point of a sweep file; --resume keeps finished points, --shard K/N runs\n"
           "  every N-th point from the K-th (merge the shard directories with `takt merge`);\n"
           "  under `mpirun -np N` (a -DTAKT_MPI=ON build) the ranks share the points.\n";
  }
  if (command == "merge")
    return "takt merge DIR... --out DIR\n  merges shard directories of one sweep\n";
  out << "takt: discrete-event simulation of car plants\n\n"
         "  takt run [FILE] [--out DIR] [--replications N] [--seed S] [--set KEY.PATH=VALUE]...\n"
         "           [--format text|json] [--jobs N]\n"
         "  takt validate FILE...\n"
         "  takt sweep SWEEP.yaml --out DIR [--jobs N] [--resume] [--shard K/N] [--replications "
         "N]\n"
         "           [--set KEY.PATH=VALUE]...\n"
         "  takt merge DIR... --out DIR\n"
         "  takt exact --rates 1,1,1 --buffers 2,2 [--failure-rates ...] [--repair-rates ...]\n"
         "  takt version\n\n"
         "Without FILE, `takt run` runs the built-in SERES scenario (scenarios/seres.yaml).\n"
         "Exit codes: 0 success, 1 run-time error, 2 bad input.\n";
  return out.str();
}

}  // namespace takt::cli
