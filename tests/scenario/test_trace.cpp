// The event trace of the short line whose log tests/models/test_event_log.cpp works out by
// hand, as the intervals a Gantt chart draws: one per state and job of each slot.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "../models/line_fixture.hpp"
#include "takt/models/plant.hpp"
#include "takt/run/trace_recorder.hpp"

using takt::models::CalendarDate;
using takt::sim::Distribution;
using takt::sim::Time;

namespace {

std::vector<std::string> trace(Time from, Time to) {
  // The line of test_event_log.cpp, whose history is worked out by hand there.
  auto [spec, run] = takt::test::hand_worked_line();
  takt::run::TraceRecorder recorder(from, to);
  run.observer = &recorder;
  takt::models::Plant plant(spec, run);
  plant.run();
  std::vector<std::string> lines;
  for (const auto& t : recorder.finish(plant.simulation().now())) {
    std::ostringstream line;
    line << t.begin.count() / Time::minutes(1).count() << "-"
         << t.end.count() / Time::minutes(1).count() << " " << t.equipment << "[" << t.slot << "] "
         << takt::models::kStateNames[t.state];
    if (t.has_job) line << " job " << t.job.id;
    lines.push_back(line.str());
  }
  return lines;
}

}  // namespace

TEST_CASE("The trace of a short line has the intervals worked out by hand") {
  // From the hand log: M1 goes straight on to job 1 at 1 min (no change of state, a new bar);
  // M2's repair and the break fall on 5 min, so its working moment there has no length.
  const std::vector<std::string> expected{
      "0-1 M1[0] working job 0",   "0-1 M2[0] starved",         "1-2 M1[0] working job 1",
      "1-3 M2[0] working job 0",   "2-3 M1[0] blocked job 1",   "3-4 M1[0] working job 2",
      "3-4 M2[0] working job 1",   "4-5 M1[0] blocked job 2",   "4-5 M2[0] down job 1",
      "5-6 M1[0] off_shift job 2", "5-6 M2[0] off_shift job 1", "6-7 M1[0] blocked job 2",
      "6-7 M2[0] working job 1",   "7-8 M1[0] working job 3",   "7-9 M2[0] working job 2",
      "8-9 M1[0] blocked job 3",   "9-10 M1[0] working job 4",  "9-10 M2[0] down job 3",
  };
  CHECK(trace(Time::zero(), Time::minutes(10)) == expected);
}

TEST_CASE("A trace window clips the intervals that cross its edges") {
  const std::vector<std::string> expected{
      "4-5 M1[0] blocked job 2",   "4-5 M2[0] down job 1",    "5-6 M1[0] off_shift job 2",
      "5-6 M2[0] off_shift job 1", "6-7 M1[0] blocked job 2", "6-7 M2[0] working job 1",
      "7-7 M1[0] working job 3",
  };
  const auto clipped = trace(Time::minutes(4), Time::seconds(7 * 60 + 30));
  REQUIRE(clipped.size() == 8);
  // The last two run from 7 min to the window's end at 7.5 min (printed in whole minutes).
  CHECK(std::vector<std::string>(clipped.begin(), clipped.begin() + 7) == expected);
  CHECK(clipped[7] == "7-7 M2[0] working job 2");
}
