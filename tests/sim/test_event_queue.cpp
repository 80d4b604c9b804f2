// The event list orders events totally and cancels cleanly.
#include <doctest/doctest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "takt/sim/event_queue.hpp"
#include "takt/sim/random_stream.hpp"

using takt::sim::EventHandle;
using takt::sim::EventHandler;
using takt::sim::EventQueue;
using takt::sim::Time;

namespace {
struct Null : EventHandler {
  void on_event(std::uint32_t) override {}
};
}  // namespace

TEST_CASE("Events pop by time, then priority, then scheduling order") {
  EventQueue q;
  Null h;
  q.push(Time::seconds(2), 0, &h, 1);
  q.push(Time::seconds(1), 5, &h, 2);
  q.push(Time::seconds(1), -1, &h, 3);
  q.push(Time::seconds(1), 5, &h, 4);
  q.push(Time::seconds(1), 0, &h, 5);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().tag);
  CHECK(order == std::vector<std::uint32_t>{3, 5, 2, 4, 1});
}

TEST_CASE("A cancelled event never fires and its handle goes stale") {
  EventQueue q;
  Null h;
  const EventHandle a = q.push(Time::seconds(1), 0, &h, 1);
  const EventHandle b = q.push(Time::seconds(2), 0, &h, 2);
  CHECK(q.is_pending(a));
  CHECK(q.cancel(a));
  CHECK_FALSE(q.is_pending(a));
  CHECK_FALSE(q.cancel(a));
  // The slot is reused by the next push, yet the old handle must not cancel the new event.
  const EventHandle c = q.push(Time::seconds(3), 0, &h, 3);
  CHECK(c.slot == a.slot);
  CHECK_FALSE(q.cancel(a));
  CHECK(q.pop().tag == 2);
  CHECK_FALSE(q.is_pending(b));
  CHECK(q.pop().tag == 3);
  CHECK(q.empty());
  CHECK(q.next_time() == Time::max());
}

TEST_CASE("Random pushes and cancellations keep the heap ordered") {
  EventQueue q;
  Null h;
  takt::sim::RandomStream rng(7);
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    handles.push_back(q.push(Time::ticks(static_cast<Time::Rep>(rng() % 1000)), 0, &h, i));
    if (rng() % 3 == 0) q.cancel(handles[rng() % handles.size()]);
  }
  Time last = Time::zero();
  std::size_t popped = 0;
  while (!q.empty()) {
    const auto e = q.pop();
    CHECK(e.time >= last);
    last = e.time;
    ++popped;
  }
  CHECK(popped > 3000);
  CHECK(popped < 5000);
}

TEST_CASE("Cancelled entries are compacted away and the rest still pop in order") {
  EventQueue q;
  Null h;
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    // Times repeat, so the scheduling order decides between equal times.
    handles.push_back(q.push(Time::ticks(static_cast<Time::Rep>((i * 37) % 200)), 0, &h, i));
  }
  for (std::uint32_t i = 0; i < 1000; ++i) {
    if (i % 10 != 3) CHECK(q.cancel(handles[i]));
  }
  CHECK(q.size() == 100);
  CHECK(q.is_pending(handles[3]));
  CHECK(q.time_of(handles[13]) == Time::ticks((13 * 37) % 200));
  std::vector<std::pair<Time::Rep, std::uint32_t>> expected;
  for (std::uint32_t i = 3; i < 1000; i += 10) expected.emplace_back((i * 37) % 200, i);
  std::sort(expected.begin(), expected.end());
  std::vector<std::pair<Time::Rep, std::uint32_t>> popped;
  while (!q.empty()) {
    const auto e = q.pop();
    popped.emplace_back(e.time.count(), e.tag);
  }
  CHECK(popped == expected);
}

TEST_CASE(
    "The fired event's slot passes to the handler's first schedule, or back to the free list") {
  EventQueue q;
  Null h;
  const EventHandle a = q.push(Time::seconds(1), 0, &h, 1);
  const EventHandle b = q.push(Time::seconds(2), 0, &h, 2);
  CHECK(q.fire().tag == 1);
  CHECK_FALSE(q.is_pending(a));
  CHECK_FALSE(q.cancel(a));
  CHECK(q.size() == 1);
  // Scheduled from a's handler: takes a's slot, under a new generation.
  const EventHandle c = q.push(Time::seconds(3), 0, &h, 3);
  CHECK(c.slot == a.slot);
  CHECK(q.is_pending(c));
  CHECK_FALSE(q.cancel(a));
  q.retire();
  CHECK(q.size() == 2);

  // A handler that schedules nothing: retire() frees the slot for the next push.
  CHECK(q.fire().tag == 2);
  q.retire();
  const EventHandle d = q.push(Time::seconds(4), 0, &h, 4);
  CHECK(d.slot == b.slot);
  CHECK_FALSE(q.is_pending(b));

  // clear() between fire() and retire() frees the fired slot too: two events need no new one.
  CHECK(q.fire().tag == 3);
  q.clear();
  CHECK(q.empty());
  const EventHandle e = q.push(Time::seconds(5), 0, &h, 5);
  const EventHandle f = q.push(Time::seconds(6), 0, &h, 6);
  CHECK(std::max(e.slot, f.slot) <= 1);
  CHECK_FALSE(q.is_pending(c));
  CHECK_FALSE(q.is_pending(d));
  CHECK(q.pop().tag == 5);
  CHECK(q.pop().tag == 6);
}
