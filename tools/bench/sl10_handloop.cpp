// The tuned reference for the SL10-B5 benchmark: a loop written for this one model only, as fast
// as we know how, so takt's per-part cost can be judged against what is possible. It is the
// stricter yardstick beside sl10_plain.cpp, the minimal loop ("binary heap, no generality") that
// issue 6's 80 % target is measured against; docs/performance.md reports both ratios.
//
// SL10-B5: ten single-server stations in series, a FIFO buffer of 5 places between neighbours,
// blocking after service, unlimited supply and sink, zero transfer times, start empty, stop when
// the N-th part leaves station 10. Variants: EXP (exponential processing, mean 1 min), DET
// (constant 1 min; ends at exactly N + 9 min), FAIL (EXP plus busy-time failures: time to failure
// exponential mean 100 min, repair exponential mean 10 min, the interrupted part resumes).
//
// Build: cmake --build build --target takt_bench_sl10_handloop (tools/bench/run.sh times it beside
// takt), or by hand: g++ -std=c++17 -O2 tools/bench/sl10_handloop.cpp -o sl10_handloop
// Usage: sl10_handloop [--variant EXP|DET|FAIL] [--parts N] [--seed S] [--repeat R]

#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "fixed_heap.hpp"

namespace {

constexpr std::size_t kStations = 10;
constexpr std::size_t kLast = kStations - 1;
constexpr int kBufferPlaces = 5;

// Time is an integer count of microseconds, as in takt::sim::Time, so the reference pays the same
// sample-then-round cost the engine pays and DET times are exact.
using Ticks = std::int64_t;
constexpr double kTicksPerMinute = 60.0e6;

constexpr double kMeanProcessMin = 1.0;
constexpr double kMeanTimeToFailureMin = 100.0;
constexpr double kMeanRepairMin = 10.0;

enum class Variant { kExp, kDet, kFail };

const char* variant_name(Variant v) {
  switch (v) {
    case Variant::kExp:
      return "EXP";
    case Variant::kDet:
      return "DET";
    case Variant::kFail:
      return "FAIL";
  }
  return "?";
}

enum class Kind : std::uint32_t { kFinish, kFail, kRepair };

struct Event {
  Ticks time;
  std::uint64_t seq;
  std::uint32_t station;
  Kind kind;
};

// Each station has at most one pending event (finish, failure or repair), so kStations places
// suffice and nothing is allocated while running. (With at most ten pending events a linear
// scan would be faster still; a heap is kept because a general engine needs one, and the
// comparison should measure the engine's overhead, not a better data structure.)
using EventHeap = takt::bench::FixedHeap<Event, kStations>;

enum class State : std::uint8_t { kIdle, kBusy, kDown, kBlocked };

using Engine = boost::random::mt19937_64;
using Exponential = boost::random::exponential_distribution<double>;

// An exponential of mean m is m times one of mean 1, whose division by the rate 1 folds away
// (takt draws the same way).
double unit_exponential(Engine& engine) { return Exponential(1.0)(engine); }

Ticks to_ticks(double minutes) {
  // Draws are non-negative, so adding 0.5 and truncating rounds to nearest without a libm call.
  return static_cast<Ticks>(minutes * kTicksPerMinute + 0.5);
}

struct RunResult {
  Ticks end = 0;
};

// One replication. The variant is a template parameter so the hot loop carries no variant tests.
template <Variant V>
class Line {
 public:
  explicit Line(std::uint64_t seed) {
    // One engine per station and random element, seeded seed + index: 0-9 processing,
    // 10-19 time to failure, 20-29 repair. Streams never share state, so DET/EXP/FAIL differ
    // only where the model does.
    for (std::size_t s = 0; s < kStations; ++s) {
      process_rng_[s].seed(seed + s);
      failure_rng_[s].seed(seed + kStations + s);
      repair_rng_[s].seed(seed + 2 * kStations + s);
    }
  }

  RunResult run(std::uint64_t parts) {
    target_ = parts;
    if constexpr (V == Variant::kFail) {
      for (std::size_t s = 0; s < kStations; ++s) to_failure_[s] = draw_time_to_failure(s);
    }
    start(0);  // the supply is unlimited; every other station starts starved
    while (departed_ < target_) {
      // The current event stays at the heap's root until its handler schedules the first
      // follow-up, which then takes the root's place (see EventHeap::replace_top).
      assert(!events_.is_empty() && "the supply never runs dry, so some station is active");
      const Event e = events_.top();
      top_is_current_ = true;
      now_ = e.time;
      const std::size_t s = e.station;
      switch (e.kind) {
        case Kind::kFinish:
          finish(s);
          break;
        case Kind::kFail:
          fail(s);
          break;
        case Kind::kRepair:
          repair(s);
          break;
      }
      if (top_is_current_) events_.pop();
    }
    return RunResult{now_};
  }

 private:
  void schedule(Ticks at, std::size_t s, Kind kind) {
    const Event e{at, seq_++, static_cast<std::uint32_t>(s), kind};
    if (top_is_current_) {
      events_.replace_top(e);
      top_is_current_ = false;
      return;
    }
    events_.push(e);
  }

  Ticks draw_process(std::size_t s) {
    if constexpr (V == Variant::kDet) {
      (void)s;
      return to_ticks(kMeanProcessMin);
    } else {
      return to_ticks(unit_exponential(process_rng_[s]) * kMeanProcessMin);
    }
  }
  Ticks draw_time_to_failure(std::size_t s) {
    return to_ticks(unit_exponential(failure_rng_[s]) * kMeanTimeToFailureMin);
  }
  Ticks draw_repair(std::size_t s) {
    return to_ticks(unit_exponential(repair_rng_[s]) * kMeanRepairMin);
  }

  void start(std::size_t s) {
    state_[s] = State::kBusy;
    work_left_[s] = draw_process(s);
    resume_work(s);
  }

  // Failures count busy time only, so the clock to failure runs exactly while the part is worked
  // on. The processing time is known up front, so we schedule either the finish or the failure,
  // whichever comes first, and never need to cancel an event.
  void resume_work(std::size_t s) {
    if constexpr (V == Variant::kFail) {
      if (to_failure_[s] < work_left_[s]) {
        work_left_[s] -= to_failure_[s];
        schedule(now_ + to_failure_[s], s, Kind::kFail);
        to_failure_[s] = 0;
        return;
      }
      to_failure_[s] -= work_left_[s];
    }
    schedule(now_ + work_left_[s], s, Kind::kFinish);
    work_left_[s] = 0;
  }

  void fail(std::size_t s) {
    state_[s] = State::kDown;
    schedule(now_ + draw_repair(s), s, Kind::kRepair);
  }

  void repair(std::size_t s) {
    state_[s] = State::kBusy;
    to_failure_[s] = draw_time_to_failure(s);
    resume_work(s);
  }

  // Blocking after service: the finished part leaves only if the downstream station is idle
  // (then the buffer is empty and the part goes straight in) or the buffer has a free place.
  void finish(std::size_t s) {
    if (s == kLast) {
      ++departed_;
      release(s);
      return;
    }
    if (state_[s + 1] == State::kIdle) {
      start(s + 1);
      release(s);
      return;
    }
    if (buffered_[s] < kBufferPlaces) {
      ++buffered_[s];
      release(s);
      return;
    }
    state_[s] = State::kBlocked;
  }

  // Station s has just handed its part on. With zero transfer times the freed place ripples
  // upstream at the same instant: s pulls from its input buffer, which unblocks station s - 1,
  // which pulls from its own input buffer, and so on.
  void release(std::size_t s) {
    for (;;) {
      if (s == 0) {
        start(0);
        return;
      }
      const std::size_t up = s - 1;
      if (buffered_[up] == 0) {
        // A station blocks only on a full buffer, so an empty one has no blocked station above.
        assert(state_[up] != State::kBlocked && "blocked in front of an empty buffer");
        state_[s] = State::kIdle;
        return;
      }
      --buffered_[up];
      start(s);
      if (state_[up] != State::kBlocked) return;
      ++buffered_[up];  // the blocked part takes the place just freed
      s = up;
    }
  }

  // Parts carry no identity in this model, so a FIFO buffer reduces to its occupancy count.
  std::array<int, kStations - 1> buffered_{};
  std::array<State, kStations> state_{};
  std::array<Ticks, kStations> work_left_{};
  std::array<Ticks, kStations> to_failure_{};
  std::array<Engine, kStations> process_rng_;
  std::array<Engine, kStations> failure_rng_;
  std::array<Engine, kStations> repair_rng_;
  EventHeap events_;
  bool top_is_current_ = false;
  Ticks now_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t departed_ = 0;
  std::uint64_t target_ = 0;
};

template <Variant V>
RunResult run_line(std::uint64_t seed, std::uint64_t parts) {
  // Heap-allocated: thirty Mersenne Twisters are 75 KB, too much for a polite stack frame.
  auto line = std::make_unique<Line<V>>(seed);
  return line->run(parts);
}

RunResult run_variant(Variant v, std::uint64_t seed, std::uint64_t parts) {
  switch (v) {
    case Variant::kExp:
      return run_line<Variant::kExp>(seed, parts);
    case Variant::kDet:
      return run_line<Variant::kDet>(seed, parts);
    case Variant::kFail:
      return run_line<Variant::kFail>(seed, parts);
  }
  return RunResult{};
}

struct Options {
  Variant variant = Variant::kExp;
  std::uint64_t parts = 1'000'000;
  std::uint64_t seed = 12345;
  std::uint64_t repeat = 1;
};

constexpr const char* kUsage =
    "usage: sl10_handloop [--variant EXP|DET|FAIL] [--parts N] [--seed S] [--repeat R]\n";

// Bad command lines exit 2, like the takt CLI's input errors.
[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "sl10_handloop: error: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

std::uint64_t parse_count(const char* flag, const char* text, bool allow_zero) {
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (text[0] == '-' || end == text || *end != '\0' || errno == ERANGE ||
      (value == 0 && !allow_zero)) {
    usage_error(std::string(flag) + ": expected a " + (allow_zero ? "non-negative" : "positive") +
                " integer, got \"" + text + "\"");
  }
  return value;
}

Variant parse_variant(const std::string& name) {
  for (Variant v : {Variant::kExp, Variant::kDet, Variant::kFail}) {
    if (name == variant_name(v)) return v;
  }
  usage_error("--variant: expected EXP, DET or FAIL, got \"" + name + "\"");
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) usage_error(flag + ": missing value");
    const char* value = argv[++i];
    if (flag == "--variant") {
      options.variant = parse_variant(value);
    } else if (flag == "--parts") {
      options.parts = parse_count("--parts", value, false);
    } else if (flag == "--seed") {
      options.seed = parse_count("--seed", value, true);
    } else if (flag == "--repeat") {
      options.repeat = parse_count("--repeat", value, false);
    } else {
      usage_error("unknown option \"" + flag + "\"");
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  // Every repeat uses the same seed: the repeats time identical work, so their spread is noise.
  for (std::uint64_t r = 0; r < options.repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult result = run_variant(options.variant, options.seed, options.parts);
    const auto t1 = std::chrono::steady_clock::now();
    const double wall_s = std::chrono::duration<double>(t1 - t0).count();
    const double sim_minutes = static_cast<double>(result.end) / kTicksPerMinute;
    const double parts = static_cast<double>(options.parts);
    std::printf(
        "handloop variant=%s parts=%llu sim_minutes=%.3f throughput=%.4f wall_s=%.3f "
        "parts_per_s=%.0f\n",
        variant_name(options.variant), static_cast<unsigned long long>(options.parts), sim_minutes,
        parts / sim_minutes, wall_s, parts / wall_s);
    std::fflush(stdout);
  }
  return 0;
}
