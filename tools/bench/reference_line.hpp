// A serial line written the hand loop's way, but on takt's own parts: its random streams and
// draws, optionally its event list, optionally its statistics. Two uses:
//  - tools/bench/sl10_floor.cpp times it, layer by layer, to show what each of takt's parts
//    costs against the hand loop (docs/performance.md, "Where the time goes");
//  - tests/models/test_sl10.cpp runs it beside the takt plant built from the same line: with
//    the same seed it draws the same numbers, so the end time and every station's and buffer's
//    statistics must agree exactly. An independent fifty-line model pins the whole stack.
//
// The model: `stations` single-server stations in series, `places` buffer places between
// neighbours (at least one), blocking after service, unlimited supply and sink, zero transfer
// times, start empty; the run stops when the N-th part leaves the last station.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <string>
#include <vector>

#include "fixed_heap.hpp"
#include "takt/models/station_state.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/event_queue.hpp"
#include "takt/sim/fill_timer.hpp"
#include "takt/sim/random_stream.hpp"
#include "takt/sim/stats.hpp"

namespace takt::bench {

/// The hand loop's event list (fixed_heap.hpp) behind the interface of the run loop below: the
/// fired event stays at the root until the first push replaces it. Holds at most kCapacity
/// events and cannot cancel; enough for this line, where each station has at most one pending
/// event.
class HandHeap {
 public:
  static constexpr std::size_t kCapacity = 64;
  struct Fired {
    sim::Time time;
    std::uint32_t tag;
  };

  void push(sim::Time time, std::uint32_t tag) {
    const Entry e{time.count(), seq_++, tag};
    if (fired_) {
      fired_ = false;
      heap_.replace_top(e);
      return;
    }
    heap_.push(e);
  }
  Fired fire() {
    fired_ = true;
    return Fired{sim::Time::ticks(heap_.top().time), heap_.top().tag};
  }
  void retire() {
    if (!fired_) return;
    fired_ = false;
    heap_.pop();
  }

 private:
  struct Entry {
    std::int64_t time;
    std::uint64_t seq;
    std::uint32_t tag;
  };
  FixedHeap<Entry, kCapacity> heap_;
  std::uint64_t seq_ = 0;
  bool fired_ = false;
};

/// takt's event list (sim::EventQueue) behind HandHeap's interface.
class EngineQueue {
 public:
  void push(sim::Time time, std::uint32_t tag) { queue_.push(time, 0, &handler_, tag); }
  sim::EventQueue::Fired fire() { return queue_.fire(); }
  void retire() { queue_.retire(); }

 private:
  struct NoHandler final : sim::EventHandler {
    void on_event(std::uint32_t) override {}
  };
  sim::EventQueue queue_;
  NoHandler handler_;
};

template <class Queue, bool kStatistics>
class ReferenceLine {
 public:
  /// Station i (from 0) draws from takt's stream "<plant>.M<i+1>.cycle" of replication 0, as
  /// the plant builder names a station M<i+1> of plant `plant`.
  ReferenceLine(int stations, std::size_t places, sim::Distribution cycle, std::uint64_t seed,
                const std::string& plant)
      : places_(places),
        cycle_(cycle),
        stations_(static_cast<std::size_t>(stations)),
        buffers_(stations_.size() - 1) {
    assert(stations >= 1 && places >= 1 && places <= kMaxPlaces);
    for (std::size_t i = 0; i < stations_.size(); ++i) {
      stations_[i].rng =
          sim::RandomStream(seed, 0, plant + ".M" + std::to_string(i + 1) + ".cycle");
      stations_[i].states = sim::StateTimer(models::kStateCount);
      stations_[i].states.add(sim::Time::zero(), models::kStarved, 1);
    }
    for (Buffer& b : buffers_) b.fill = sim::FillTimer(places_);
  }

  /// Runs until the `parts`-th part leaves the last station; returns that time.
  sim::Time run(std::uint64_t parts) {
    start(0, now_);
    while (departed_ < parts) {
      const auto fired = queue_.fire();
      now_ = fired.time;
      finish(fired.tag);
      queue_.retire();
    }
    return now_;
  }

  sim::Time now() const { return now_; }
  std::uint64_t departed() const { return departed_; }
  // The statistics (kStatistics only), as takt reports them.
  double share(std::size_t station, models::StationState s) const {
    return stations_[station].states.share(now_, s);
  }
  double mean_occupancy(std::size_t buffer) const { return buffers_[buffer].occupancy.mean(now_); }
  double full_share(std::size_t buffer) const {
    return buffers_[buffer].fill.share(now_, buffers_[buffer].size, sim::FillTimer::kFull);
  }
  double empty_share(std::size_t buffer) const {
    return buffers_[buffer].fill.share(now_, buffers_[buffer].size, sim::FillTimer::kEmpty);
  }
  /// Mean wait of the parts that left, as takt counts them: a part passing an empty buffer
  /// straight to an idle station counts, with a wait of zero.
  double mean_wait_s(std::size_t buffer) const {
    const Buffer& b = buffers_[buffer];
    return b.left == 0 ? 0.0 : b.wait.to_seconds() / static_cast<double>(b.left);
  }
  double mean_wip() const { return wip_.mean(now_); }
  const sim::Tally& lead_time_s() const { return lead_time_s_; }

 private:
  static constexpr std::size_t kMaxPlaces = 16;
  struct Station {
    models::StationState state = models::kStarved;
    sim::Time released;  // of the part inside
    sim::RandomStream rng;
    sim::StateTimer states;
  };
  struct Part {
    sim::Time released, since;
  };
  struct Buffer {
    std::array<Part, kMaxPlaces> ring{};
    std::size_t head = 0, size = 0;
    sim::TimeAverage occupancy;
    sim::FillTimer fill{0};
    sim::Time wait;
    std::uint64_t left = 0;
  };

  void set(Station& s, models::StationState to) {
    if (kStatistics) s.states.move(now_, s.state, to);
    s.state = to;
  }
  void start(std::size_t i, sim::Time released) {
    Station& s = stations_[i];
    if (i == 0 && kStatistics) wip_.add(now_, 1);
    s.released = released;
    set(s, models::kWorking);
    queue_.push(now_ + sim::Time::seconds(cycle_.sample(s.rng)), static_cast<std::uint32_t>(i));
  }
  void put(std::size_t b, sim::Time released) {
    Buffer& buf = buffers_[b];
    std::size_t tail = buf.head + buf.size;
    if (tail >= places_) tail -= places_;
    buf.ring[tail] = Part{released, now_};
    ++buf.size;
    if (!kStatistics) return;
    buf.occupancy.set(now_, static_cast<std::int64_t>(buf.size));
    buf.fill.entered(now_, buf.size - 1);  // as takt does it
  }
  sim::Time take(std::size_t b) {
    Buffer& buf = buffers_[b];
    const Part part = buf.ring[buf.head];
    if (++buf.head == places_) buf.head = 0;
    --buf.size;
    if (kStatistics) {
      buf.wait += now_ - part.since;
      ++buf.left;
      buf.occupancy.set(now_, static_cast<std::int64_t>(buf.size));
      buf.fill.left(now_, buf.size + 1);
    }
    return part.released;
  }

  // Blocking after service: the part moves on if the next station is idle (its buffer is then
  // empty) or its buffer has room; otherwise the station blocks.
  void finish(std::size_t i) {
    Station& s = stations_[i];
    if (i + 1 == stations_.size()) {
      ++departed_;
      if (kStatistics) {
        wip_.add(now_, -1);
        lead_time_s_.add((now_ - s.released).to_seconds());
      }
    } else if (stations_[i + 1].state == models::kStarved) {
      if (kStatistics) ++buffers_[i].left;
      start(i + 1, s.released);
    } else if (buffers_[i].size < places_) {
      put(i, s.released);
    } else {
      set(s, models::kBlocked);
      return;
    }
    release(i);
  }

  // Station i has handed its part on. With zero transfer times the freed place ripples
  // upstream at the same instant: i takes from its buffer, which lets a blocked i - 1 put its
  // part in, and so on.
  void release(std::size_t i) {
    for (;;) {
      if (i == 0) return start(0, now_);
      const std::size_t up = i - 1;
      if (buffers_[up].size == 0) return set(stations_[i], models::kStarved);
      start(i, take(up));
      if (stations_[up].state != models::kBlocked) return;
      put(up, stations_[up].released);
      i = up;
    }
  }

  std::size_t places_;
  sim::Distribution cycle_;
  std::vector<Station> stations_;
  std::vector<Buffer> buffers_;
  Queue queue_;
  sim::Time now_;
  std::uint64_t departed_ = 0;
  sim::TimeAverage wip_;
  sim::Tally lead_time_s_;
};

}  // namespace takt::bench
