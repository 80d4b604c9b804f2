// A buffer's occupancy statistics come from its jobs' waits (Little's law, in integer ticks)
// rather than from a level tracked job by job: they must equal the job-by-job time average
// exactly, before and after a reset that finds jobs waiting. Its fill shares come from two edge
// offsets (sim::FillTimer) and must equal a state timer fed the fill state job by job.
#include <doctest/doctest.h>

#include "takt/models/buffer.hpp"
#include "takt/sim/stats.hpp"

using takt::models::Buffer;
using takt::models::Job;
using takt::sim::StateTimer;
using takt::sim::Time;
using takt::sim::TimeAverage;

namespace {

const Time kSecond = Time::seconds(1);

// The buffer and, beside it, a time average of its size and a state timer of its fill state,
// both changed job by job.
struct Watched {
  Buffer buffer{"b", 3};
  TimeAverage level;
  StateTimer fill{3};

  Watched() { fill.add(Time::zero(), Buffer::kEmpty, 1); }
  static std::size_t fill_of(std::size_t size) {
    return size == 0 ? Buffer::kEmpty : size == 3 ? Buffer::kFull : Buffer::kPartial;
  }
  void put(Time now) {
    const std::size_t before = buffer.size();
    buffer.put(now, Job{});
    level.set(now, static_cast<std::int64_t>(buffer.size()));
    fill.move(now, fill_of(before), fill_of(buffer.size()));
  }
  void take(Time now) {
    const std::size_t before = buffer.size();
    buffer.take(now);
    level.set(now, static_cast<std::int64_t>(buffer.size()));
    fill.move(now, fill_of(before), fill_of(buffer.size()));
  }
  void reset(Time now) {
    buffer.reset_stats(now);
    level.reset(now);
    fill.reset(now);
  }
};

}  // namespace

TEST_CASE("A buffer's mean occupancy is the time average of its size, exactly, across a reset") {
  Watched w;
  w.put(10 * kSecond);
  w.put(20 * kSecond);
  w.take(30 * kSecond);  // the first job waited 20 s
  // Over [0, 40 s]: one job for 20 s, another for 20 s.
  CHECK(w.buffer.mean_occupancy(40 * kSecond) == doctest::Approx(1.0));
  CHECK(w.buffer.mean_occupancy(40 * kSecond) == w.level.mean(40 * kSecond));
  CHECK(w.buffer.max_occupancy() == 2);

  w.reset(40 * kSecond);  // the second job is still here, 20 s into its wait
  CHECK(w.buffer.mean_occupancy(40 * kSecond) == 1.0);  // no time yet: the current size
  CHECK(w.buffer.max_occupancy() == 1);
  w.put(50 * kSecond);
  w.take(70 * kSecond);  // the second job leaves after 50 s, 30 s of them after the reset
  // Over [40 s, 100 s]: the second job 30 s, the third 50 s so far.
  CHECK(w.buffer.mean_occupancy(100 * kSecond) == doctest::Approx(80.0 / 60.0));
  CHECK(w.buffer.mean_occupancy(100 * kSecond) == w.level.mean(100 * kSecond));
  CHECK(w.buffer.max_occupancy() == 2);
  // The mean wait counts whole waits of the jobs that left since the reset.
  CHECK(w.buffer.total_wait_s() == doctest::Approx(50.0));
}

TEST_CASE("A buffer's occupancy matches the time average over a long irregular run") {
  Watched w;
  Time now;
  unsigned state = 12345;
  for (int step = 0; step < 20'000; ++step) {
    state = state * 1103515245u + 12345u;
    now += Time::ticks(1 + (state >> 8) % 5'000'000);  // up to 5 s apart, to the microsecond
    const bool can_put = w.buffer.size()<3, can_take = w.buffer.size()> 0;
    if (can_put && (!can_take || (state >> 4) % 2 == 0)) {
      w.put(now);
    } else {
      w.take(now);
    }
    if (step == 7'000) w.reset(now);
  }
  CHECK(w.buffer.mean_occupancy(now) == w.level.mean(now));
  CHECK(w.buffer.max_occupancy() == static_cast<double>(w.level.max()));
  for (const Buffer::Fill f : {Buffer::kEmpty, Buffer::kPartial, Buffer::kFull}) {
    CAPTURE(f);
    CHECK(w.buffer.share(now, f) == w.fill.share(now, f));
    CHECK(w.buffer.share(now, f) > 0.05);  // the walk visits every fill state
  }
}

namespace {

// Takes every job offered at once, as a free station does from a hand-off.
struct Taker final : takt::models::Consumer {
  Buffer* from = nullptr;
  int taken = 0;
  bool is_ready_to_take() const override { return true; }
  void on_input_available() override {
    from->take(Time::zero());
    ++taken;
  }
};

}  // namespace

TEST_CASE("A hand-off buffer reports no place ever taken, though jobs pass through it") {
  Buffer handoff{"S2.in", 0};
  Taker taker;
  taker.from = &handoff;
  handoff.add_consumer(taker);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(handoff.can_put());
    handoff.put(Time::zero(), Job{});
  }
  CHECK(taker.taken == 3);
  CHECK(handoff.size() == 0);
  CHECK(handoff.max_occupancy() == 0);  // 1 before: the instant each job passed
  CHECK(handoff.left() == 3);
}
