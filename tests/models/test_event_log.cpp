// The event log of a short line, compared with a log written by hand: a failure, a break and
// a blocking, each at the minute worked out below.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "line_fixture.hpp"
#include "takt/models/plant.hpp"
#include "takt/models/state_observer.hpp"

namespace {

using takt::models::CalendarDate;
using takt::models::StateObserver;
using takt::models::StationState;
using takt::sim::Distribution;
using takt::sim::Time;

struct Log : StateObserver {
  std::vector<std::string> lines;
  void on_state(Time when, const std::string& equipment, int slot, StationState from,
                StationState to, const takt::models::Job* job) override {
    std::ostringstream line;
    line << when.count() / Time::minutes(1).count() << "min " << equipment << "[" << slot << "] "
         << takt::models::kStateNames[from] << " -> " << takt::models::kStateNames[to];
    if (job != nullptr) line << " (job " << job->id << ")";
    lines.push_back(line.str());
  }
};

}  // namespace

TEST_CASE("The event log of a short line is the one worked out by hand") {
  // M1 (1 min) hands straight to M2 (2 min); M2 fails after every 3 min of work, for 1 min;
  // a break from 00:05 to 00:06 stops both.
  auto [spec, run] = takt::test::hand_worked_line();
  Log log;
  run.observer = &log;
  takt::models::Plant plant(spec, run);
  plant.run();
  const std::vector<std::string> expected{
      "0min M1[0] starved -> working (job 0)",
      "1min M2[0] starved -> working (job 0)",  // M1 hands job 0 over and starts job 1
      "2min M1[0] working -> blocked (job 1)",  // M2 is busy with job 0 until 3 min
      "3min M1[0] blocked -> working (job 2)",  // M2 takes job 1; M1 starts job 2
      "4min M2[0] working -> down (job 1)",     // 3 min of work since 1 min: job 1 has 1 min left
      "4min M1[0] working -> blocked (job 2)",
      "5min M2[0] down -> working (job 1)",  // repaired, and at the same instant the break:
      "5min M1[0] blocked -> off_shift (job 2)",
      "5min M2[0] working -> off_shift (job 1)",
      "6min M1[0] off_shift -> blocked (job 2)",
      "6min M2[0] off_shift -> working (job 1)",  // job 1 done at 7 min; 3 min more work: fails at
                                                  // 9
      "7min M1[0] blocked -> working (job 3)",
      "8min M1[0] working -> blocked (job 3)",
      // At 9 min job 2 ends and M2 fails. Events of one instant fire in the order they were
      // scheduled: job 2's end at 7 min; the failure's, re-armed at 8 min (its clock, armed at
      // the repair for 3 min, fired early at 8 with 1 min of work still due). So job 2 leaves
      // first, M2 takes job 3 and M1 starts job 4, and then M2 fails with job 3.
      "9min M1[0] blocked -> working (job 4)",
      "9min M2[0] working -> down (job 3)",
      "10min M1[0] working -> blocked (job 4)",  // job 4 ends before the repair (scheduled later)
      "10min M2[0] down -> working (job 3)",
  };
  CHECK(log.lines == expected);
}

TEST_CASE("Without an observer the line builds exactly what it builds with one") {
  auto spec =
      takt::test::serial_line({Distribution::exponential(60), Distribution::exponential(60)}, {2});
  takt::models::RunSettings run;
  run.horizon = Time::days(2);
  takt::models::Plant quiet(spec, run);
  quiet.run();
  Log log;
  run.observer = &log;
  takt::models::Plant observed(spec, run);
  observed.run();
  CHECK(quiet.kpis().output == observed.kpis().output);
  CHECK(quiet.simulation().events_processed() == observed.simulation().events_processed());
  CHECK(log.lines.size() > 1000);
}
