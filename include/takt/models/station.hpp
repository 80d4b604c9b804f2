// A station: `servers` identical slots with a cycle-time distribution (per product variant if
// given), failures, shift pauses and optional lot setups (a press line's die changes).
// Blocking after service: a finished job stays in its slot until its destination has room.
// Every state change goes through refresh(), so the statistics see every edge.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "takt/models/buffer.hpp"
#include "takt/models/equipment.hpp"
#include "takt/models/failure_clocks.hpp"
#include "takt/models/failure_profile.hpp"
#include "takt/models/in_order_ring.hpp"
#include "takt/models/item_spec.hpp"
#include "takt/models/job.hpp"
#include "takt/models/kpi.hpp"
#include "takt/models/route_table.hpp"
#include "takt/models/setup_plan.hpp"
#include "takt/models/state_observer.hpp"
#include "takt/models/station_state.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/stats.hpp"

namespace takt::models {

class Station final : public sim::EventHandler, public Consumer, public Producer, public Equipment {
 public:
  /// Random streams are named `stream_key` + ".cycle", ".route", ".setup", ".failure.NAME".
  Station(sim::Simulation& sim, StationConfig config, std::uint64_t seed, std::uint64_t replication,
          const std::string& stream_key);

  void connect_input(Buffer& input);
  /// An input served before the main one (rework re-entering ahead of the queue), so a
  /// quality loop can never lock itself up behind new work.
  void add_priority_input(Buffer& input);
  /// A join: one job from `store` is consumed per job started (a panel set per body).
  void add_join(Buffer& store);
  /// The default destination; routes below take their shares first.
  void connect_output(Buffer& output) override { output_ = &output; }
  const Buffer* output() const override { return output_; }
  /// Sends a share (0..1) of finished jobs to `target` (quality branches, rework loops).
  void add_route(double share, Buffer& target, bool is_rework);

  /// Schedules calendar-time failures and starts work; call once when the plant is wired.
  void start() override;
  /// Tells `observer` of every state change from now on (nullptr: nobody).
  void set_observer(StateObserver* observer) override {
    observer_ = observer;
    settle();
  }
  /// The shift calendar opened or closed.
  void set_on_shift(bool on_shift) override;
  /// One member: its slots, active while none is starved, blocked, off shift or not started.
  /// A station of several places is two: its slots off shift or not started, and its pace
  /// (see pace_due_), inactive while a place stands free or blocked after the pace ran out.
  ActivityWatch watch_activity(sim::EdgeListener* listener, std::uint32_t unit) override;
  void settle_activity(sim::Time now) override {
    if (pace_listener_ != nullptr) pace_owed(now);
  }
  void set_ramp(RampTarget target, double factor) override;
  /// Ramp-up speed: work progresses at `factor` times the nominal rate from now on, jobs in
  /// progress included (their remaining work is stretched or shrunk). Factors below 1e-6
  /// count as 1e-6, so a station at a ramp's floor of zero still finishes eventually.
  void set_speed(double factor);
  /// Ramp-up availability: times to failure are `factor` times their nominal draws (the
  /// current ones rescaled), so MTBF follows the ramp.
  void set_availability(double factor);
  /// Ramp-up quality: the routes together take 1 - first_pass_yield of the finished jobs, in
  /// the proportions the routes were given.
  void set_first_pass_yield(double yield);
  /// Wright's learning: the n-th job started takes curve.multiplier(n) times its cycle time.
  void set_learning(const class RampUpCurve& curve);
  /// The learning curve's time multiplier of the next job (1 without a curve, and when mature).
  double learning_multiplier() const;

  void on_event(std::uint32_t tag) override;
  bool is_ready_to_take() const override;
  void on_input_available() override {
    // Asked at every job put into the input; the station is usually busy, so check first.
    if (idle_.empty() || !can_start()) return;
    if (starting_) {  // a job put while we take one: our try_start() looks again
      start_again_ = true;
      return;
    }
    if (plain_) {
      try_start_as<true>();
    } else {
      try_start_as<false>();
    }
    sync_operating();
  }
  void on_output_space(std::uint32_t slot) override;

  const StationConfig& config() const { return config_; }
  Buffer* input() const { return input_; }
  const std::string& name() const override { return config_.name; }
  const char* kind() const override { return config_.kind; }
  std::string label() const override { return "station '" + config_.name + "'"; }
  void reset_stats(sim::Time now) override;
  double share(sim::Time now, StationState s) const override { return states_.share(now, s); }
  std::uint64_t completed() const override { return completed_; }
  /// Jobs started since time zero (never reset): the deadlock watchdog's sign of life.
  std::uint64_t work_begun() const override { return started_total_; }
  Motion motion() const override;
  std::string stall_reason() const override;
  bool handles(const sim::EventHandler* handler) const override { return handler == this; }
  /// Holds finished jobs and works on nothing, so only room downstream can move it on.
  bool is_stuck() const { return busy_ == 0 && !in_setup_ && jobs_inside() > 0; }
  /// On shift, up and not changing over: free to take work the moment it comes.
  bool is_available() const { return can_start(); }
  std::uint64_t failures() const override { return failure_count_; }
  std::uint64_t setups() const override { return setups_.lot_setups(); }
  std::uint64_t changeovers() const override { return setups_.changeovers(); }
  /// The jobs each route took since the last reset_stats, in the order the routes were added.
  std::vector<RouteKpi> route_counts() const override;
  /// Jobs inside (in process, interrupted or blocked).
  int jobs_inside() const;
  /// Why the station is not moving, in a planner's words ("" when it is not stuck).
  std::string describe_wait() const;

 private:
  enum class Phase { kIdle, kBusy, kBlocked };
  struct Slot {
    Phase phase = Phase::kIdle;
    Job job;
    sim::Time remaining;    // work left when paused
    sim::EventHandle done;  // the completion event (stations finishing in order: head only)
    sim::Time due;          // stations finishing in order: when the job is done, while progressing
    Buffer* destination = nullptr;
    StationState reported = kStarved;
  };
  static constexpr std::uint32_t kFailureTag = FailureClocks::kFailureTag;
  static constexpr std::uint32_t kRepairTag = FailureClocks::kRepairTag;
  static constexpr std::uint32_t kSetupTag = 1u << 22;

  // On shift and up (a die change may be under way).
  bool can_progress() const { return interruption_ == kStateCount || interruption_ == kSetup; }
  // On shift, up and set up.
  bool can_start() const { return interruption_ == kStateCount; }
  /// Call after every change of on_shift_, down_ or in_setup_.
  void update_interruption() { interruption_ = derived_interruption(); }
  StationState derived_interruption() const {
    return !on_shift_ ? kOffShift : down_ > 0 ? kDown : in_setup_ ? kSetup : kStateCount;
  }
  /// Settles every flag derived from the station's make-up (its inputs, routes, lots,
  /// changeovers, learning, speed, observer, and the oven ring start() decides) after any
  /// change of it: the one place that says which path a job takes.
  void settle() {
    main_input_only_ = priority_inputs_.empty() && joins_.empty();
    plain_finish_ = config_.lot_size <= 0 && routes_.empty();
    plain_start_ = config_.cycle.size() == 1 && learning_ == nullptr && speed_ == 1.0 &&
                   !config_.has_changeover;
    watched_report_ = observer_ != nullptr || pace_listener_ != nullptr;
    plain_ = plain_start_ && plain_finish_ && main_input_only_ && !in_order_ && !watched_report_;
  }
  // What settle() made plain_, for the hot paths' asserts.
  bool plain_holds() const {
    return plain_start_ && plain_finish_ && main_input_only_ && !in_order_ &&
           observer_ == nullptr && pace_listener_ == nullptr;
  }
  double cycle_seconds(const Job& job);
  // One test for the common case of a station fed by its main input alone, instead of a loop
  // over no priority inputs and two over no joins at every start (2.5 % of SL10-B5).
  bool joins_ready() const { return main_input_only_ || all_joins_ready(); }
  Buffer* next_input() const { return main_input_only_ ? input_ : priority_or_main_input(); }
  bool all_joins_ready() const;
  // The first priority input holding a job, else the main input (which may be empty).
  Buffer* priority_or_main_input() const;
  StationState state_of(const Slot& s) const;
  void refresh(Slot& s) { report(s, state_of(s)); }
  void report(Slot& s, StationState state) {
    if (state == s.reported) return;
    if (watched_report_) {
      report_watched(s, state);
      return;
    }
    states_.move(sim_.now(), s.reported, state);
    s.reported = state;
  }
  // report() with an observer or a pace to tell.
  void report_watched(Slot& s, StationState state);
  void tell_observer(const Slot& s, StationState state) const;
  // The pace (see pace_due_): the edge it owes as of `now`, if it ran out while a place stood
  // free; its member's state after a change.
  void pace_owed(sim::Time now);
  void pace_settle(sim::Time now);
  void pace_start(sim::Time duration);
  // Places starved or blocked: what the pace may cover.
  int waiting_places() const { return states_.count(kStarved) + states_.count(kBlocked); }
  void refresh_all();

  // A job's way through the station, compiled twice: with kPlain (the station is plain_) the
  // tests for ovens, routes, lots, variant or stretched cycle times, priority inputs and joins
  // fold away. The same code either way, so the two cannot drift apart.
  void try_start() { plain_ ? try_start_as<true>() : try_start_as<false>(); }
  template <bool kPlain>
  void try_start_as();
  template <bool kPlain>
  [[gnu::always_inline]] inline void begin(Slot& s, const Job& job);
  template <bool kPlain>
  void finish(std::uint32_t index);
  template <bool kPlain>
  void push_out(std::uint32_t index);
  Buffer* choose_destination(Job& job);
  Job take_kit(Buffer& in);
  void after_completion();
  bool change_over_for(const Job& job);
  void begin_setup(sim::Time duration);

  void pause_work();
  void resume_work();
  bool finishes_in_order() const;
  /// The k-th oldest busy slot of a station finishing in order.
  Slot& in_order_slot(std::size_t k) { return slots_[in_order_ring_.at(k)]; }
  void schedule_head();
  // Runs after every event and every start, and the answer rarely changes: inline the test.
  // Only operating-basis failure clocks care whether the station is operating.
  void sync_operating() {
    if (clocks_.any_operating_basis() && (busy_ > 0 && can_progress()) != clocks_.operating())
      clocks_.set_operating(!clocks_.operating(), sim_, *this);
  }
  void failure_due(std::size_t clock);
  void fail(std::size_t clock);
  void repair(std::size_t clock);
  void end_setup();

  sim::Simulation& sim_;
  StationConfig config_;
  StateObserver* observer_ = nullptr;
  sim::EdgeListener* pace_listener_ = nullptr;  // the bottleneck analysis, for several places
  std::vector<Slot> slots_;
  // Idle slots, the last freed on top: starting a job and asking for room are O(1) even for an
  // oven of fifty places.
  std::vector<std::uint32_t> idle_;
  Buffer* input_ = nullptr;
  std::vector<Buffer*> priority_inputs_;
  Buffer* output_ = nullptr;
  std::vector<Buffer*> joins_;
  RouteTable routes_;
  FailureClocks clocks_;
  double speed_ = 1.0, availability_ = 1.0;
  const RampUpCurve* learning_ = nullptr;
  std::uint64_t started_total_ = 0;  // jobs started since time zero, for learning curves
  bool on_shift_ = true;
  int down_ = 0;
  // What holds the whole station (kOffShift, kDown or kSetup, in that precedence), or
  // kStateCount when nothing does: the one test that every start and every state refresh
  // needs, kept up to date instead of being derived from three fields each time.
  StationState interruption_ = kStateCount;
  // A job's cycle time is one draw of the single distribution: no variants, no learning
  // curve, nominal speed. The common case, taken with one test.
  bool plain_start_ = false;
  // No priority inputs and no joins: jobs come from input_ only.
  bool main_input_only_ = true;
  // No routes and no lots: a finished job goes to output_, with nothing to count.
  bool plain_finish_ = true;
  // All of plain_start_, plain_finish_ and main_input_only_, no oven (in_order_) and no
  // observer: the common station, which takes the hot path compiled without those tests
  // (try_start_as<true> and the rest): SL10-B5 3.7 % faster. Failure clocks of either basis
  // may run (sync_operating follows every path). False until start() has settled in_order_
  // and plain_start_.
  bool plain_ = false;
  // An observer or a pace to tell of state changes: report() takes its longer way.
  bool watched_report_ = false;
  int busy_ = 0;
  bool in_setup_ = false;
  sim::Time setup_remaining_;
  sim::EventHandle setup_event_;
  bool starting_ = false, start_again_ = false;
  sim::StateTimer states_;
  // A station with several places and one fixed cycle time (an oven) finishes its jobs in the
  // order it started them, whatever the pauses and speed changes, since they stretch every
  // job alike. Only the oldest job then has a completion event: an oven of fifty bodies puts
  // one event on the event list instead of fifty (in_order_ring.hpp holds the busy slots).
  bool in_order_ = false;
  InOrderRing in_order_ring_;
  std::uint64_t completed_ = 0, failure_count_ = 0;
  // The one cycle time of a station without variant times, kept here rather than behind the
  // config's vector: read at every job start, it then shares the station's cache lines.
  sim::Distribution cycle_;
  // Last: a stream is 2.5 KB of Mersenne Twister state, which would push the hot fields above
  // apart into different cache lines. The route and setup streams exist only where there are
  // routes or lots: three streams in every station made each 8 KB, and stations 8 KB apart
  // put their hot fields into the same few sets of the processor's cache.
  sim::RandomStream cycle_rng_;
  // Lots and changeovers (cold: read at the end of a lot and at a start of a changeover
  // station only, after the config's own test).
  SetupPlan setups_;
  // The pace of a station of several places, for the active-period method: each start puts
  // it a cycle over the places later (max(pace_due_, now) + cycle / servers), as if one
  // server did the station's work in turn. A free place counts as a wait only once the pace
  // has run out: an oven takes each body into a free place at once, so after a slow spell of
  // its feeder its places refill one by one while it keeps its own pace, and counting every
  // free place as starving named the feeder the bottleneck of a line that the oven held
  // back (doubling the oven gained six times what doubling the feeder did). A blocked place
  // likewise: one body held by a short stop downstream while nine places work at the pace
  // is no wait of the station's (it named the feeder, which gained nothing when doubled).
  sim::Time pace_due_;
  sim::Time pace_left_;  // while the work is paused (down, off shift): the pace still to run
  std::uint32_t pace_unit_ = 0;
  bool pace_inactive_ = false;  // as last told
  bool pace_owing_ = false;  // a place is free, and pace_due_ is the edge's time if none fills it
};

}  // namespace takt::models
