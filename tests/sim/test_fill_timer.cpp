// FillTimer keeps two edge offsets instead of a state timer over the fill states; it must give
// what a state timer fed the fill state of every size gives, to the last bit.
#include <doctest/doctest.h>

#include <cstdint>

#include "takt/sim/fill_timer.hpp"
#include "takt/sim/stats.hpp"

using takt::sim::FillTimer;
using takt::sim::StateTimer;
using takt::sim::Time;

namespace {

// The fill state of `size` in a store of `capacity` places (0: a hand-off place).
std::size_t fill_of(std::size_t size, std::size_t capacity) {
  if (size == 0) return FillTimer::kEmpty;
  return size >= capacity ? FillTimer::kFull : FillTimer::kPartial;
}

// A random walk of the count, kept by both timers; checks the three shares at every reset and
// at the end.
void walk(std::size_t capacity, unsigned seed) {
  FillTimer timer(capacity);
  StateTimer oracle(3);
  oracle.add(Time::zero(), FillTimer::kEmpty, 1);
  const std::size_t top = capacity == 0 ? 1 : capacity;
  std::size_t size = 0;
  Time now;
  unsigned state = seed;
  const auto check = [&] {
    for (const FillTimer::Fill f : {FillTimer::kEmpty, FillTimer::kPartial, FillTimer::kFull}) {
      CAPTURE(f);
      CHECK(timer.share(now, size, f) == oracle.share(now, f));
    }
  };
  for (int step = 0; step < 20'000; ++step) {
    state = state * 1103515245u + 12345u;
    // Mostly up to a second apart, sometimes at the same instant (a hand-over).
    now += Time::ticks((state >> 9) % 4 == 0 ? 0 : 1 + (state >> 8) % 1'000'000);
    const bool up = size < top && (size == 0 || (state >> 4) % 2 == 0);
    const std::size_t before = size;
    size = up ? size + 1 : size - 1;
    if (up) {
      timer.entered(now, before);
    } else {
      timer.left(now, before);
    }
    oracle.move(now, fill_of(before, capacity), fill_of(size, capacity));
    if (step % 5'000 == 4'999) {
      check();
      timer.reset(now, size);
      oracle.reset(now);
    }
  }
  now += Time::seconds(3);
  check();
}

}  // namespace

TEST_CASE("A fill timer gives the shares a state timer over the fill states gives, exactly") {
  SUBCASE("a buffer of five places") { walk(5, 1); }
  SUBCASE("a buffer of one place") { walk(1, 2); }
  SUBCASE("a hand-off place, full for instants only") { walk(0, 3); }
  SUBCASE("a large buffer, rarely full") { walk(40, 4); }
}

TEST_CASE("A fill timer's shares by hand") {
  FillTimer t(2);
  const Time s = Time::seconds(1);
  t.entered(10 * s, 0);  // empty for 10 s
  t.entered(20 * s, 1);  // partial for 10 s, then full
  t.left(50 * s, 2);     // full for 30 s
  CHECK(t.share(60 * s, 1, FillTimer::kEmpty) == doctest::Approx(10.0 / 60.0));
  CHECK(t.share(60 * s, 1, FillTimer::kPartial) == doctest::Approx(20.0 / 60.0));
  CHECK(t.share(60 * s, 1, FillTimer::kFull) == doctest::Approx(30.0 / 60.0));
  t.reset(60 * s, 1);
  CHECK(t.share(60 * s, 1, FillTimer::kPartial) == 0.0);  // no time yet
  t.left(70 * s, 1);
  CHECK(t.share(80 * s, 0, FillTimer::kEmpty) == doctest::Approx(0.5));
  CHECK(t.share(80 * s, 0, FillTimer::kPartial) == doctest::Approx(0.5));
  CHECK(t.share(80 * s, 0, FillTimer::kFull) == 0.0);
}
