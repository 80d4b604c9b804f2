// SL10-B5 written the plain way: the minimal hand-written loop the benchmark's definition has in
// mind ("binary heap, no generality"), as a programmer writes it in an afternoon without tuning:
// std::priority_queue, a pop and a push per event, the variant tested at run time. It sits
// beside sl10_handloop.cpp, which is the same model tuned as far as we know how (a fixed heap
// array, the pop and the push fused, the variant compiled in), so takt's speed can be judged
// against both. Same model, seeds and event order as sl10_handloop, hence the same results to the
// last digit: run.sh checks that.
//
// Build: cmake --build build --target takt_bench_sl10_plain
// Usage: sl10_plain [--variant EXP|DET|FAIL] [--parts N] [--seed S]

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kStations = 10;
constexpr int kBufferPlaces = 5;
constexpr double kTicksPerMinute = 60.0e6;  // integer microseconds, as in takt

enum Kind { kFinish, kFail, kRepair };
enum State { kIdle, kBusy, kDown, kBlocked };

struct Event {
  std::int64_t time;
  std::uint64_t seq;
  std::size_t station;
  Kind kind;
};

// std::priority_queue pops the largest, so "larger" means later.
struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

struct Line {
  bool det, fail;
  std::vector<boost::random::mt19937_64> process_rng, failure_rng, repair_rng;
  // Exponentials of mean 1, scaled by each mean (as the hand loop and takt draw them).
  boost::random::exponential_distribution<double> unit{1.0};
  std::vector<State> state = std::vector<State>(kStations, kIdle);
  std::vector<int> buffered = std::vector<int>(kStations - 1, 0);
  std::vector<std::int64_t> work_left = std::vector<std::int64_t>(kStations, 0);
  std::vector<std::int64_t> to_failure = std::vector<std::int64_t>(kStations, 0);
  std::priority_queue<Event, std::vector<Event>, Later> events;
  std::int64_t now = 0;
  std::uint64_t seq = 0, departed = 0;

  // The same streams as sl10_handloop: seed + station for processing, + 10 for failures, + 20
  // for repairs.
  Line(const std::string& variant, std::uint64_t seed)
      : det(variant == "DET"), fail(variant == "FAIL") {
    for (std::size_t s = 0; s < kStations; ++s) {
      process_rng.emplace_back(seed + s);
      failure_rng.emplace_back(seed + kStations + s);
      repair_rng.emplace_back(seed + 2 * kStations + s);
    }
  }

  static std::int64_t ticks(double minutes) {
    return static_cast<std::int64_t>(minutes * kTicksPerMinute + 0.5);
  }

  void schedule(std::int64_t at, std::size_t s, Kind kind) {
    events.push(Event{at, seq++, s, kind});
  }

  void start(std::size_t s) {
    state[s] = kBusy;
    work_left[s] = det ? ticks(1.0) : ticks(unit(process_rng[s]) * 1.0);
    resume(s);
  }

  // Failures count busy time only: schedule the finish or the failure, whichever comes first.
  void resume(std::size_t s) {
    if (fail && to_failure[s] < work_left[s]) {
      work_left[s] -= to_failure[s];
      schedule(now + to_failure[s], s, kFail);
      to_failure[s] = 0;
      return;
    }
    if (fail) to_failure[s] -= work_left[s];
    schedule(now + work_left[s], s, kFinish);
    work_left[s] = 0;
  }

  void finish(std::size_t s) {
    if (s == kStations - 1) {
      ++departed;
      release(s);
    } else if (state[s + 1] == kIdle) {
      start(s + 1);
      release(s);
    } else if (buffered[s] < kBufferPlaces) {
      ++buffered[s];
      release(s);
    } else {
      state[s] = kBlocked;
    }
  }

  // The freed place ripples upstream at the same instant.
  void release(std::size_t s) {
    while (s > 0) {
      if (buffered[s - 1] == 0) {
        state[s] = kIdle;
        return;
      }
      --buffered[s - 1];
      start(s);
      if (state[s - 1] != kBlocked) return;
      ++buffered[s - 1];
      --s;
    }
    start(0);
  }

  std::int64_t run(std::uint64_t parts) {
    if (fail) {
      for (std::size_t s = 0; s < kStations; ++s)
        to_failure[s] = ticks(unit(failure_rng[s]) * 100.0);
    }
    start(0);
    while (departed < parts) {
      const Event e = events.top();
      events.pop();
      now = e.time;
      if (e.kind == kFinish) {
        finish(e.station);
      } else if (e.kind == kFail) {
        state[e.station] = kDown;
        schedule(now + ticks(unit(repair_rng[e.station]) * 10.0), e.station, kRepair);
      } else {
        state[e.station] = kBusy;
        to_failure[e.station] = ticks(unit(failure_rng[e.station]) * 100.0);
        resume(e.station);
      }
    }
    return now;
  }
};

[[noreturn]] void usage() {
  std::fputs("usage: sl10_plain [--variant EXP|DET|FAIL] [--parts N] [--seed S]\n", stderr);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string variant = "EXP";
  std::uint64_t parts = 1'000'000, seed = 12345;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) usage();
    char* end = nullptr;
    if (std::strcmp(argv[i], "--variant") == 0) {
      variant = argv[i + 1];
      if (variant != "EXP" && variant != "DET" && variant != "FAIL") usage();
    } else if (std::strcmp(argv[i], "--parts") == 0) {
      parts = std::strtoull(argv[i + 1], &end, 10);
      if (*end != '\0' || parts == 0) usage();
    } else if (std::strcmp(argv[i], "--seed") == 0) {
      seed = std::strtoull(argv[i + 1], &end, 10);
      if (*end != '\0') usage();
    } else {
      usage();
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  Line line(variant, seed);
  const std::int64_t end_ticks = line.run(parts);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double minutes = static_cast<double>(end_ticks) / kTicksPerMinute;
  std::printf(
      "plainloop variant=%s parts=%llu sim_minutes=%.3f throughput=%.4f wall_s=%.3f "
      "parts_per_s=%.0f\n",
      variant.c_str(), static_cast<unsigned long long>(parts), minutes,
      static_cast<double>(parts) / minutes, wall_s, static_cast<double>(parts) / wall_s);
  return 0;
}
