// Running a wired plant and reading its KPIs (the KPI recorder: models only count; this turns
// counts into figures, and formatting happens in the scenario layer).
#include "takt/models/plant.hpp"

#include <algorithm>
#include <cmath>

#include "takt/sim/error.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::models {

std::string copy_name(const std::string& name, int copy, int copies) {
  if (copies <= 1) return name;
  return name + "#" + std::to_string(copy + 1);
}

std::optional<CalendarDate> start_of_production(const PlantSpec& plant, const ShopSpec& shop,
                                                int copy, int copies) {
  const auto& dates = shop.start_of_production;
  if (dates.size() == 1) return dates[0];
  if (!dates.empty() && copies > 1) return dates.at(static_cast<std::size_t>(copy));
  if (!dates.empty()) return *std::min_element(dates.begin(), dates.end());
  return plant.start_of_production;
}

// Each shop starts on its own date, which wins over the plant's (also when earlier), else on
// the plant's, else with the run; the plant builds once the last of them has started.
std::optional<CalendarDate> plant_start_of_production(const PlantSpec& plant) {
  std::optional<CalendarDate> latest;
  for (const ShopSpec& shop : plant.shops) {
    if (shop.is_feeder) continue;
    const std::optional<CalendarDate> first =
        shop.start_of_production.empty()
            ? plant.start_of_production
            : *std::min_element(shop.start_of_production.begin(), shop.start_of_production.end());
    if (first && (!latest || *first > *latest)) latest = first;
  }
  return latest;
}

Plant::~Plant() = default;

namespace {
constexpr std::uint32_t kWarmupTag = 0, kWatchdogTag = 1, kLearningTag = 2;
}

// The middle of month m of the run, where month_limits() asks whether a ramp still held it.
sim::Time Plant::month_middle(std::size_t m) const {
  const std::vector<sim::Time>& starts = sink_->month_starts();
  const sim::Time end = m + 1 < starts.size() ? starts[m + 1] : run_.horizon;
  return starts[m] + sim::Time::ticks((end - starts[m]).count() / 2);
}

// Reads state only (like the watchdog), so it changes no result; only plants with a learning
// curve have it.
void Plant::schedule_learning_check(std::size_t m) {
  if (learners_.empty() || m >= sink_->month_starts().size()) return;
  learning_at_middle_.resize(sink_->month_starts().size(), 0);
  sim_.schedule_at(month_middle(m), *this, kLearningTag, 100);
}

void Plant::run() {
  if (run_.warmup > sim::Time::zero()) {
    // After everything else at that instant: what happens at the warm-up's end belongs to the
    // warm-up, so the window is (warm-up, horizon], of exactly its length. Measured from before
    // them, a line finishing a job on the warm-up's end and one on the horizon counted both,
    // one job more than its rate allows (a capacity ratio above 1 at exactly the nameplate).
    sim_.schedule_at(run_.warmup, *this, kWarmupTag, 1000);
  }
  // Calendars, ramps and demand months keep the event list busy, so a plant that locks itself
  // up would never let it run dry; the watchdog notices instead. It only reads state, so it
  // changes no result.
  sim_.schedule(sim::Time::days(1), *this, kWatchdogTag, 100);
  schedule_learning_check(0);
  sim_.run_until(run_.horizon);  // a stop_after stop leaves now() at the stop, as kpis() expects
}

void Plant::on_event(std::uint32_t tag) {
  if (tag == kWarmupTag) {
    begin_measurement();
    return;
  }
  if (tag == kLearningTag) {
    // The month of this middle: the first whose middle is not before now.
    std::size_t m = 0;
    while (month_middle(m) < sim_.now()) ++m;
    // A learner that has begun no job (a line copy not started yet) is not ramping: its first
    // job's multiplier says nothing of the month's output.
    for (const Station* s : learners_) {
      if (s->work_begun() > 0 && s->learning_multiplier() > 1 / 0.99) learning_at_middle_[m] = 1;
    }
    schedule_learning_check(m + 1);
    return;
  }
  watch();
}

std::uint64_t Plant::life() const {
  std::uint64_t n = sink_->completed_total();
  for (const auto& e : equipment_) n += e->work_begun();
  return n;
}

// Deadlocked: vehicles inside, nothing started or indexed since the last look, every station
// and paced line on shift and up (a break, a holiday or a repair is no deadlock), no paced line
// moving, and every station that holds a job holds only finished ones that cannot move on.
Plant::Stall Plant::stall_state() const {
  if (wip_now() == 0) return Stall::kNo;
  // A line held by a full store waits for next month's orders, not for itself.
  if (store_ != nullptr && !store_->has_room()) return Stall::kNo;
  bool any_stuck = false;
  for (const auto& e : equipment_) {
    switch (e->motion()) {
      case Equipment::Motion::kUnavailable:
        return Stall::kNotNow;
      case Equipment::Motion::kIdle:
        break;
      case Equipment::Motion::kMoving:
        return Stall::kNo;
      case Equipment::Motion::kStuck:
        any_stuck = true;
        break;
    }
  }
  return any_stuck ? Stall::kYes : Stall::kNo;
}

// Looks once a period; when nothing has moved but a station is off shift or down, it looks
// again every hour until all are on shift, so a deadlock is found in the next working hour.
void Plant::watch() {
  // A week of simulated time takes milliseconds: soon enough to honour Ctrl-C.
  if (sim::is_interrupt_requested()) throw sim::Interrupted();
  if (run_.on_progress) {
    const auto days = static_cast<std::uint64_t>(sim_.now().count() / sim::Time::days(1).count());
    run_.on_progress(days - days_told_);
    days_told_ = days;
  }
  const std::uint64_t now_life = life();
  if (now_life == last_life_) {
    const Stall stall = stall_state();
    if (stall == Stall::kYes) {
      throw sim::SimulationError(sim_.now(), "deadlock: " + describe_stall() +
                                                 " (nothing has moved for " +
                                                 format_duration(kWatchdogPeriod) + ")");
    }
    if (stall == Stall::kNotNow) {
      sim_.schedule(sim::Time::hours(1), *this, kWatchdogTag, 100);
      return;
    }
  }
  last_life_ = now_life;
  sim_.schedule(kWatchdogPeriod, *this, kWatchdogTag, 100);
}

void Plant::begin_measurement() {
  const sim::Time now = sim_.now();
  measured_from_ = now;
  if (activity_ != nullptr) activity_->start_window(now);
  wip_.reset(now);
  for (auto& b : buffers_) b->reset_stats(now);
  for (auto& e : equipment_) e->reset_stats(now);
  source_->reset_stats();
  sink_->reset_stats();
}

const Station* Plant::find_station(const std::string& name) const {
  for (const auto& e : equipment_) {
    if (e->name() == name) return dynamic_cast<const Station*>(e.get());
  }
  return nullptr;
}

const Buffer* Plant::find_buffer(const std::string& name) const {
  for (const auto& b : buffers_) {
    if (b->name() == name) return b.get();
  }
  return nullptr;
}

const PacedLine* Plant::find_paced_line(const std::string& name) const {
  for (const auto& e : equipment_) {
    if (e->name() == name) return dynamic_cast<const PacedLine*>(e.get());
  }
  return nullptr;
}

std::uint64_t Plant::wip_now() const { return static_cast<std::uint64_t>(wip_.level()); }

std::string Plant::describe_stall() const {
  std::string why;
  for (const auto& e : equipment_) {
    const std::string w = e->stall_reason();
    if (!w.empty()) why += (why.empty() ? "" : "; ") + w;
  }
  if (why.empty()) return "";
  return "in plant '" + spec_.name + "' " + why;
}

std::string Plant::describe_handler(const sim::EventHandler* handler) const {
  for (const auto& e : equipment_) {
    if (e->handles(handler)) return e->label();
  }
  if (handler == source_.get()) return "the arrivals of plant '" + spec_.name + "'";
  if (handler == store_.get()) return "the storage centre of plant '" + spec_.name + "'";
  return "";
}

std::string Plant::broken_invariant() const {
  const sim::Time now = sim_.now();
  const std::uint64_t released = source_->released_total();
  const std::uint64_t left = sink_->completed_total() + wip_now();
  if (released != left) {
    return std::to_string(released) + " vehicles released but " + std::to_string(left) +
           " completed or inside";
  }
  if (wip_.mean(now) < 0 || sink_->lead_time_s().min() < 0) return "a negative WIP or lead time";
  for (const auto& e : equipment_) {
    double total = 0;
    for (std::size_t st = 0; st < kStateCount; ++st)
      total += e->share(now, static_cast<StationState>(st));
    if (now > measured_from_ && std::abs(total - 1.0) > 1e-9)
      return "the state shares of '" + e->name() + "' add up to " + std::to_string(total);
  }
  return "";
}

namespace {}  // namespace

namespace {

// A store's statistics since the warm-up (the supply and the sink have none worth reading).
BufferKpi buffer_kpi(const Buffer& b, sim::Time now, double measured_hours,
                     const std::string& shop) {
  BufferKpi bk;
  bk.name = b.name();
  bk.shop = shop;
  bk.capacity = b.capacity() == Buffer::kUnlimited ? -1.0 : static_cast<double>(b.capacity());
  bk.mean = b.mean_occupancy(now);
  bk.max = b.max_occupancy();
  bk.share_empty = b.share(now, Buffer::kEmpty);
  bk.share_full = b.share(now, Buffer::kFull);
  const auto left = static_cast<double>(b.left());
  bk.throughput_per_hour = measured_hours > 0 ? left / measured_hours : 0;
  bk.mean_wait_hours = left > 0 ? b.total_wait_s() / left / 3600.0 : 0;
  return bk;
}

}  // namespace

// Equipment is held off shift until its start of production; that time, exactly, is reported
// as not started instead.
void Plant::not_started(StationKpi& k, sim::Time start, sim::Time now) const {
  if (now <= measured_from_ || start <= measured_from_) return;
  const double share =
      (sim::min(start, now) - measured_from_).to_hours() / (now - measured_from_).to_hours();
  k.shares[kNotStarted] = share;
  k.shares[kOffShift] = std::max(0.0, k.shares[kOffShift] - share);
}

std::uint64_t Plant::orders_in(CalendarDate day) const {
  for (const OrderMonth& o : spec_.orders) {
    if (o.month.year() == day.year() && o.month.month() == day.month()) return o.vehicles;
  }
  return 0;
}

std::vector<std::uint64_t> Plant::product_orders_in(CalendarDate day) const {
  for (const OrderMonth& o : spec_.orders) {
    if (o.month.year() == day.year() && o.month.month() == day.month()) return o.by_product;
  }
  return std::vector<std::uint64_t>(spec_.products.size(), 0);
}

// Each product's orders, output and backlog or losses, month by month, as month_limits() does
// for the plant's totals.
void Plant::product_months(PlantKpis& k) const {
  if (spec_.orders.empty() || spec_.orders.front().by_product.empty() || store_ != nullptr) return;
  const std::size_t products = spec_.products.size();
  const std::size_t months = k.monthly.size();
  const std::vector<sim::Time>& starts = sink_->month_starts();
  const std::vector<std::vector<std::uint64_t>> unreleased = source_->product_unreleased_by_month();
  const std::vector<std::uint64_t>& by_variant = sink_->monthly_by_variant();
  k.product_months.assign(products, {});
  for (std::size_t v = 0; v < products; ++v) {
    ProductMonths& p = k.product_months[v];
    std::uint64_t ordered = 0, built = 0;
    for (std::size_t m = 0; m < months; ++m) {
      const std::uint64_t orders = product_orders_in(date_at(run_.start, starts[m]))[v];
      const std::uint64_t output = products > 1 ? by_variant[m * products + v] : k.monthly[m];
      ordered += orders;
      built += output;
      p.orders.push_back(orders);
      p.output.push_back(output);
      p.backlog.push_back(spec_.backlog && ordered > built ? ordered - built : 0);
      const bool known = m < unreleased.size() && v < unreleased[m].size();
      p.lost.push_back(!spec_.backlog && known ? unreleased[m][v] : 0);
    }
  }
}

const char* month_limit_name(MonthLimit l) {
  switch (l) {
    case MonthLimit::kNotStarted:
      return "not_started";
    case MonthLimit::kOrders:
      return "orders";
    case MonthLimit::kStorageFull:
      return "storage_full";
    case MonthLimit::kRampUp:
      return "ramp_up";
    case MonthLimit::kCapacity:
      return "capacity";
  }
  return "";
}

// Orders, backlog and what limited each month. Months are events the source and the store
// keep, so the counts are exact: a month is order-limited when release used all that its orders
// allowed and the plant then ran out of work before the month's end (one that used them all
// but still held work built what it could: more orders would have waited), and store-limited
// when a vehicle waited for room in its full store.
void Plant::month_limits(PlantKpis& k) const {
  const std::vector<sim::Time>& starts = sink_->month_starts();
  const std::vector<std::uint64_t> unreleased = source_->unreleased_by_month();
  const std::optional<CalendarDate> start = plant_start_of_production(spec_);
  const sim::Time plant_start =
      start ? sim::Time::days(std::max<std::int64_t>(0, *start - run_.start)) : sim::Time::zero();
  std::uint64_t ordered = 0, built = 0;
  for (std::size_t m = 0; m < starts.size() && m < k.monthly.size(); ++m) {
    const sim::Time end = m + 1 < starts.size() ? starts[m + 1] : run_.horizon;
    const bool orders_limit = source_->ran_dry(m);
    const bool store_full = store_ != nullptr && store_->was_full()[m];
    const sim::Time middle = month_middle(m);
    bool ramping = m < learning_at_middle_.size() && learning_at_middle_[m] != 0;
    for (const auto& r : ramps_) ramping = ramping || r->is_ramping(middle);
    k.monthly_limit.push_back(end <= plant_start ? MonthLimit::kNotStarted
                              : orders_limit     ? MonthLimit::kOrders
                              : store_full       ? MonthLimit::kStorageFull
                              : ramping          ? MonthLimit::kRampUp
                                                 : MonthLimit::kCapacity);
    if (spec_.orders.empty() || store_ != nullptr) continue;
    const std::uint64_t orders = orders_in(date_at(run_.start, starts[m]));
    ordered += orders;
    built += k.monthly[m];
    k.monthly_orders.push_back(orders);
    k.monthly_backlog.push_back(spec_.backlog && ordered > built ? ordered - built : 0);
    k.monthly_lost.push_back(!spec_.backlog && m < unreleased.size() ? unreleased[m] : 0);
  }
  if (store_ == nullptr) return;
  // Make to stock: orders draw on the store, so backlog and losses are orders not shipped.
  const std::size_t months = k.monthly.size();
  for (std::size_t m = 0; m < months; ++m)
    k.monthly_orders.push_back(orders_in(date_at(run_.start, starts[m])));
  const auto first = [months](std::vector<std::uint64_t> v) {
    v.resize(months);
    return v;
  };
  k.monthly_shipped = first(store_->shipped());
  k.monthly_stock = first(store_->stock_at_end());
  k.monthly_backlog = first(store_->backlog_at_end());
  k.monthly_lost = first(store_->lost());
}

// Calendar years from the monthly counts: months never straddle a year. A run stopped early
// (stop_after) reaches only the years up to its stop.
std::vector<YearKpi> Plant::years(const PlantKpis& k) const {
  std::vector<YearKpi> out;
  const std::vector<sim::Time>& starts = sink_->month_starts();
  const sim::Time end = sim::max(sim_.now(), sim::Time::ticks(1));
  const CalendarDate run_last = date_at(run_.start, end - sim::Time::ticks(1));
  for (std::size_t m = 0; m < starts.size() && m < k.monthly.size() && starts[m] < end; ++m) {
    const int year = date_at(run_.start, starts[m]).year();
    if (out.empty() || out.back().year != year) {
      const CalendarDate first = *CalendarDate::from_ymd(year, 1, 1);
      const CalendarDate last = *CalendarDate::from_ymd(year, 12, 31);
      out.push_back({year, 0, 0.0, run_.start <= first && run_last >= last});
    }
    out.back().output += k.monthly[m];
    out.back().nameplate += k.monthly_nameplate[m];
  }
  return out;
}

// A station whose servers fail alone reports as the one station of the file: its shares are
// the servers' mean (shares of position-time, as for any station of several servers) and its
// counts their sums.
void Plant::merge_servers(std::vector<StationKpi>& stations) const {
  if (server_of_.empty()) return;
  std::vector<StationKpi> out;
  std::map<std::string, std::size_t> at;
  std::vector<int> count;
  for (StationKpi& s : stations) {
    const auto group = server_of_.find(s.name);
    if (group == server_of_.end()) {
      out.push_back(std::move(s));
      count.push_back(1);
      continue;
    }
    const auto [it, first] = at.emplace(group->second, out.size());
    if (first) {
      s.name = group->second;
      out.push_back(std::move(s));
      count.push_back(1);
      continue;
    }
    StationKpi& g = out[it->second];
    ++count[it->second];
    for (std::size_t st = 0; st < kStateCount; ++st) g.shares[st] += s.shares[st];
    g.completed += s.completed;
    g.failures += s.failures;
    g.setups += s.setups;
    g.changeovers += s.changeovers;
    for (std::size_t r = 0; r < g.routes.size() && r < s.routes.size(); ++r)
      g.routes[r].jobs += s.routes[r].jobs;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (double& share : out[i].shares) share /= count[i];
  }
  stations = std::move(out);
}

void Plant::add_bottleneck_shares(std::vector<StationKpi>& stations, sim::Time now) const {
  if (activity_ == nullptr) return;  // not asked for (RunSettings::bottlenecks)
  // Edges owed as of now are the equipment's to give, not the report's state to change: the
  // pointers let a const report ask for them.
  for (const auto& e : equipment_) e->settle_activity(now);
  const ActivePeriods::Report report = activity_->report(now);
  const ActivePeriods::Shares& window = report.window;
  const std::vector<ActivePeriods::Shares>& months = report.months;
  for (StationKpi& s : stations) {
    const auto unit = unit_of_.find(s.name);
    if (unit == unit_of_.end()) continue;
    s.bottleneck_sole = window.sole[unit->second];
    s.bottleneck_shifting = window.shifting[unit->second];
    for (const ActivePeriods::Shares& m : months) {
      s.monthly_sole.push_back(m.sole[unit->second]);
      s.monthly_shifting.push_back(m.shifting[unit->second]);
    }
  }
}

PlantKpis Plant::kpis() const {
  const sim::Time now = sim_.now();
  PlantKpis k;
  k.name = spec_.name;
  k.capacity = spec_.capacity;
  k.measured_hours = (now - measured_from_).to_hours();
  k.output = sink_->completed();
  k.throughput_per_hour =
      k.measured_hours > 0 ? static_cast<double>(k.output) / k.measured_hours : 0;
  k.annual_rate = k.throughput_per_hour * 8760.0;
  k.capacity_ratio = k.capacity > 0 ? k.annual_rate / k.capacity : 0;
  k.wip = wip_.mean(now);
  k.lead_time_hours = sink_->lead_time_s().mean() / 3600.0;
  k.released = source_->released();
  k.arrivals_lost = source_->lost();
  k.wip_end = wip_now();
  k.monthly = sink_->monthly();
  k.monthly_scheduled_hours = monthly_scheduled_hours_;
  k.monthly_nameplate = monthly_nameplate_;
  k.years = years(k);
  month_limits(k);
  product_months(k);
  k.rework_visits = sink_->rework_visits();
  k.reworked = sink_->reworked();
  for (std::size_t v = 0; v < spec_.products.size(); ++v) {
    const auto& counts = sink_->by_variant();
    k.products.push_back({spec_.products[v], v < counts.size() ? counts[v] : 0});
  }
  k.events = sim_.events_processed();
  k.first_production_month = first_production_month_;
  for (const auto& e : equipment_) {
    k.stations.push_back(e->kpi(now, shop_of_.at(e->name())));
    const auto sop = start_of_production_.find(e->name());
    if (sop != start_of_production_.end()) not_started(k.stations.back(), sop->second, now);
  }
  merge_servers(k.stations);
  add_bottleneck_shares(k.stations, now);
  // Flow order: equipment as the file lists it, not rank by rank.
  const auto position = [this](const StationKpi& s) {
    const auto it = flow_position_.find(s.name);
    return it == flow_position_.end() ? flow_position_.size() : it->second;
  };
  std::stable_sort(
      k.stations.begin(), k.stations.end(),
      [&](const StationKpi& a, const StationKpi& b) { return position(a) < position(b); });
  for (const auto& b : buffers_) {
    if (b->role() != Buffer::Role::kStore && b->role() != Buffer::Role::kSequence) continue;
    const auto shop = shop_of_.find(b->name());
    k.buffers.push_back(
        buffer_kpi(*b, now, k.measured_hours, shop == shop_of_.end() ? "" : shop->second));
  }
  // The shifting-bottleneck leader; a plant that never had one (nothing active) falls back to
  // the highest active share, which is then none too.
  const StationKpi* best = nullptr;
  for (const StationKpi& st : k.stations) {
    const double share = st.bottleneck_sole + st.bottleneck_shifting;
    if (share > 0 && (best == nullptr || share > best->bottleneck_sole + best->bottleneck_shifting))
      best = &st;
  }
  if (best == nullptr) best = most_active(k.stations);
  if (best != nullptr) k.bottleneck = best->name;
  return k;
}

}  // namespace takt::models
