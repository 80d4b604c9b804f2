// SL10-B5 EXP written the hand loop's way on takt's own parts, one layer at a time, so that
// the gap between the hand loop and takt can be split into what each part costs
// (docs/performance.md, "Where the time goes"):
//   draw   the hand loop's heap and logic, with takt's random streams, exponential draw and
//          rounding to whole microseconds;
//   queue  ... and takt's event list (sim::EventQueue) instead of the hand loop's heap;
//   stats  ... and the statistics takt reports (station states, buffer occupancy, fill shares
//          and waits, WIP, lead times).
// What is left between `stats` and `takt run` is the general station and buffer protocol.
// With the same seed the program draws takt's numbers: at `stats` it prints the figures takt
// prints for the same run (tools/bench/run.sh compares them).
//
// Build: cmake --build build --target takt_bench_sl10_floor
// Usage: sl10_floor [--layers draw|queue|stats] [--parts N] [--seed S]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "reference_line.hpp"

namespace {

using takt::bench::EngineQueue;
using takt::bench::HandHeap;
using takt::bench::ReferenceLine;

constexpr int kStations = 10;
constexpr std::size_t kPlaces = 5;

struct Options {
  std::string layers = "stats";
  std::uint64_t parts = 1'000'000;
  std::uint64_t seed = 12345;
};

[[noreturn]] void usage() {
  std::fputs("usage: sl10_floor [--layers draw|queue|stats] [--parts N] [--seed S]\n", stderr);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 >= argc) usage();
    const std::string flag = argv[i];
    const char* value = argv[++i];
    char* end = nullptr;
    if (flag == "--layers") {
      o.layers = value;
      if (o.layers != "draw" && o.layers != "queue" && o.layers != "stats") usage();
    } else if (flag == "--parts" || flag == "--seed") {
      const unsigned long long n = std::strtoull(value, &end, 10);
      if (value[0] == '-' || end == value || *end != '\0') usage();
      (flag == "--parts" ? o.parts : o.seed) = n;
    } else {
      usage();
    }
  }
  if (o.parts == 0) usage();
  return o;
}

// Prints the figures as takt's summary.json does (10 significant digits).
template <class Line>
void report(const Options& o, const Line& line, double wall_s) {
  const double minutes = line.now().to_seconds() / 60.0;
  const double parts = static_cast<double>(o.parts);
  std::printf(
      "floor layers=%s parts=%llu sim_minutes=%.3f throughput=%.4f wall_s=%.3f parts_per_s=%.0f\n",
      o.layers.c_str(), static_cast<unsigned long long>(o.parts), minutes, parts / minutes, wall_s,
      parts / wall_s);
  if (o.layers != "stats") return;
  std::printf("floor throughput_per_hour=%.10g wip=%.10g", parts / line.now().to_hours(),
              line.mean_wip());
  for (std::size_t s = 0; s < kStations; ++s) {
    std::printf(" M%zu.working=%.10g", s + 1, line.share(s, takt::models::kWorking));
  }
  std::printf("\n");
}

template <class Queue, bool kStatistics>
void run(const Options& o) {
  // On the heap: ten Mersenne Twisters are 25 KB.
  auto line = std::make_unique<ReferenceLine<Queue, kStatistics>>(
      kStations, kPlaces, takt::sim::Distribution::exponential(60.0), o.seed, "sl10");
  const auto t0 = std::chrono::steady_clock::now();
  line->run(o.parts);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  report(o, *line, wall);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.layers == "draw") run<HandHeap, false>(o);
  if (o.layers == "queue") run<EngineQueue, false>(o);
  if (o.layers == "stats") run<EngineQueue, true>(o);
  return 0;
}
