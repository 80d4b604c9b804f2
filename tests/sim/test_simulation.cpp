// The run loop: clock, run_until boundaries, stop, and stall reports.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "takt/sim/error.hpp"
#include "takt/sim/interrupt.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/test_hook.hpp"

using takt::sim::EventHandle;
using takt::sim::EventHandler;
using takt::sim::Simulation;
using takt::sim::Time;

namespace {

// Records (time, tag) of every event it receives: tests compare the log.
struct Recorder : EventHandler {
  explicit Recorder(Simulation& s) : sim(s) {}
  void on_event(std::uint32_t tag) override {
    log.emplace_back(sim.now().count(), tag);
    if (tag == 99) sim.stop();
    if (tag == 7) sim.schedule(Time::ticks(0), *this, 8);  // same-time follow-up fires after
  }
  Simulation& sim;
  std::vector<std::pair<Time::Rep, std::uint32_t>> log;
};

struct Stuck : takt::sim::StallReporter {
  std::string describe_stall() const override { return "station 'weld' waits for 'paint'"; }
  std::string describe_handler(const takt::sim::EventHandler*) const override {
    return "station 'spin'";
  }
};

// Schedules itself again at once, for ever: work that takes no time.
struct Spinner : takt::sim::EventHandler {
  explicit Spinner(Simulation& s) : sim(s) {}
  void on_event(std::uint32_t) override { sim.schedule(Time::zero(), *this); }
  Simulation& sim;
};

// Ticks forward one second at a time, for ever, and asks for a stop at its `at`-th event, as a
// Ctrl-C would: a model that never reaches a watchdog or a run's end.
struct Ticker : takt::sim::EventHandler {
  Ticker(Simulation& s, std::uint64_t at) : sim(s), stop_at(at) {}
  void on_event(std::uint32_t) override {
    if (++seen == stop_at) takt::sim::request_interrupt();
    sim.schedule(Time::seconds(1), *this);
  }
  Simulation& sim;
  std::uint64_t stop_at, seen = 0;
};

}  // namespace

TEST_CASE("The clock jumps to each event and same-time events keep their order") {
  Simulation sim;
  Recorder r(sim);
  sim.schedule(Time::ticks(10), r, 1);
  sim.schedule(Time::ticks(5), r, 7);
  sim.schedule(Time::ticks(5), r, 2);
  sim.run();
  using Log = std::vector<std::pair<Time::Rep, std::uint32_t>>;
  CHECK(r.log == Log{{5, 7}, {5, 2}, {5, 8}, {10, 1}});
  CHECK(sim.now() == Time::ticks(10));
  CHECK(sim.events_processed() == 4);
}

TEST_CASE("run_until includes events at the boundary and leaves later ones pending") {
  Simulation sim;
  Recorder r(sim);
  sim.schedule(Time::ticks(10), r, 1);
  sim.schedule(Time::ticks(11), r, 2);
  sim.run_until(Time::ticks(10));
  CHECK(r.log.size() == 1);
  CHECK(sim.now() == Time::ticks(10));
  CHECK(sim.pending_events() == 1);
  sim.run_until(Time::ticks(20));
  CHECK(r.log.size() == 2);
  CHECK(sim.now() == Time::ticks(20));  // the clock reaches the end even with nothing to do
}

TEST_CASE("stop() ends the run after the current event") {
  Simulation sim;
  Recorder r(sim);
  sim.schedule(Time::ticks(1), r, 99);
  sim.schedule(Time::ticks(2), r, 1);
  sim.run();
  CHECK(r.log.size() == 1);
  CHECK(sim.is_stopped());
  CHECK(sim.now() == Time::ticks(1));
  sim.run();
  CHECK(r.log.size() == 2);
}

TEST_CASE("A cancelled event does not fire and its handle is nulled") {
  Simulation sim;
  Recorder r(sim);
  EventHandle h = sim.schedule(Time::ticks(3), r, 1);
  CHECK(sim.is_pending(h));
  CHECK(sim.time_of(h) == Time::ticks(3));
  CHECK(sim.cancel(h));
  CHECK(h.is_null());
  sim.run();
  CHECK(r.log.empty());
}

TEST_CASE("An empty event list with work left is reported as a deadlock in the model's words") {
  Simulation sim;
  Stuck stuck;
  sim.set_stall_reporter(&stuck);
  Recorder r(sim);
  sim.schedule(Time::seconds(2), r, 1);
  try {
    sim.run_until(Time::hours(1));
    FAIL("expected a deadlock");
  } catch (const takt::sim::SimulationError& e) {
    CHECK(std::string(e.what()) == "deadlock: station 'weld' waits for 'paint'");
    CHECK(e.when() == Time::seconds(2));
  }
}

TEST_CASE("A model that keeps one instant busy without end is an error naming it") {
  Simulation sim;
  Stuck names;
  sim.set_stall_reporter(&names);
  Spinner spinner(sim);
  sim.schedule(Time::ticks(3), spinner);
  std::string message;
  try {
    sim.run_until(Time::ticks(100));
  } catch (const takt::sim::SimulationError& e) {
    message = e.what();
    CHECK(e.when() == Time::ticks(3));
  }
  CHECK(message ==
        "more than 1000000 events at one instant (station 'spin'): something takes no time and is "
        "fed without limit");
  CHECK(sim.events_processed() == Simulation::kMaxEventsPerInstant + 1);
}

TEST_CASE(
    "A test hook fires at the N-th step it is asked about, once, and never without its variable") {
  ::setenv("TAKT_TEST_HOOK_FOR_THIS_TEST", "2", 1);
  takt::sim::TestHook hook("TAKT_TEST_HOOK_FOR_THIS_TEST");
  CHECK_FALSE(hook.reached());
  CHECK_FALSE(hook.reached());
  CHECK(hook.reached());
  CHECK_FALSE(hook.reached());
  ::unsetenv("TAKT_TEST_HOOK_FOR_THIS_TEST");
  takt::sim::TestHook unset("TAKT_TEST_HOOK_FOR_THIS_TEST");
  for (int i = 0; i < 5; ++i) CHECK_FALSE(unset.reached());
}

TEST_CASE("A stop asked for is honoured within 2^20 events, whatever the model does") {
  Simulation sim;
  Ticker ticker(sim, 1000);
  sim.schedule(Time::zero(), ticker);
  CHECK_THROWS_AS(sim.run(), takt::sim::Interrupted);
  takt::sim::clear_interrupt();
  CHECK(ticker.seen >= 1000);
  CHECK(ticker.seen <= (std::uint64_t{1} << 20));
  CHECK(sim.events_processed() == ticker.seen);
  // Without a request the same model runs on: the check stops only what was asked to stop.
  Simulation free_run;
  Ticker on(free_run, 0);
  free_run.schedule(Time::zero(), on);
  free_run.run_until(Time::seconds(3 << 20));
  CHECK(on.seen == (std::uint64_t{3} << 20) + 1);
}

TEST_CASE("Every error is written one way, from its place and its message") {
  using takt::sim::ErrorPlace;
  using takt::sim::format_error;
  ErrorPlace file;
  file.file = "plant.yaml";
  file.line = 12;
  file.column = 7;
  file.key_path = "plants[p].capacity";
  CHECK(format_error(file, "must be positive") ==
        "plant.yaml:12:7: error: plants[p].capacity: must be positive");
  ErrorPlace set;
  set.file = "--set";
  CHECK(format_error(set, "no '='") == "--set: error: no '='");
  ErrorPlace run;
  run.when = Time::hours(50);
  run.plant = "Liangjiang";
  run.replication = 3;
  CHECK(format_error(run, "deadlock: station 'a' is blocked") ==
        "t=" + takt::sim::format_duration(Time::hours(50)) +
            ": deadlock: station 'a' is blocked (plant 'Liangjiang', replication 3)");
  ErrorPlace model;
  model.plant = "Fenghuang";
  CHECK(format_error(model, "the flow must end with a station") ==
        "plant 'Fenghuang': the flow must end with a station");
  const takt::sim::SimulationError e(Time::seconds(2), "stuck");
  CHECK(std::string(e.what()) == "stuck");
  CHECK(e.when() == Time::seconds(2));
}
