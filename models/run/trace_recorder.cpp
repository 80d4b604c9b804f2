// Intervals are made when a state ends, so the recorder keeps one open state per slot.
#include "takt/run/trace_recorder.hpp"

#include <algorithm>
#include <tuple>

namespace takt::run {

void TraceRecorder::close(const std::string& equipment, int slot, const Open& open,
                          sim::Time until) {
  sim::Time begin = std::max(open.since, from_);
  const sim::Time end = std::min(until, to_);
  if (end <= begin) return;  // outside the window, or several changes at one instant
  // Equipment held off shift before its start of production: that part is not started.
  const auto sop = start_of_production_.find(equipment);
  if (open.state == models::kOffShift && sop != start_of_production_.end() && begin < sop->second) {
    const sim::Time split = std::min(end, sop->second);
    intervals_.push_back({equipment, slot, begin, split, models::kNotStarted, false, {}});
    begin = split;
    if (end <= begin) return;
  }
  intervals_.push_back({equipment, slot, begin, end, open.state, open.has_job, open.job});
}

void TraceRecorder::on_state(sim::Time when, const std::string& equipment, int slot,
                             models::StationState from, models::StationState to,
                             const models::Job* job) {
  const auto key = std::make_pair(&equipment, slot);
  auto it = open_.find(key);
  if (it == open_.end()) {
    it = open_.emplace(key, Open{sim::Time::zero(), from, false, {}, false}).first;
    names_.emplace(&equipment, equipment);
  }
  if (it->second.done) return;
  close(equipment, slot, it->second, when);
  // Past the window's end the slot's last interval in it is written: nothing more to keep.
  it->second = Open{when, to, job != nullptr, job != nullptr ? *job : models::Job{}, when >= to_};
}

void TraceRecorder::on_job_start(sim::Time when, const std::string& equipment, int slot,
                                 const models::Job& job) {
  const auto it = open_.find(std::make_pair(&equipment, slot));
  if (it == open_.end() || it->second.done) return;  // on_state saw the slot first, or past
  Open& open = it->second;
  if (open.has_job && open.job.id == job.id) return;  // on_state opened this job's interval
  close(equipment, slot, open, when);
  open = Open{when, open.state, true, job, when >= to_};
}

std::vector<TraceInterval> TraceRecorder::finish(sim::Time now) {
  for (const auto& [key, open] : open_) {
    if (!open.done) close(names_.at(key.first), key.second, open, now);
  }
  open_.clear();
  std::sort(
      intervals_.begin(), intervals_.end(), [](const TraceInterval& a, const TraceInterval& b) {
        return std::tie(a.begin, a.equipment, a.slot) < std::tie(b.begin, b.equipment, b.slot);
      });
  return std::move(intervals_);
}

}  // namespace takt::run
