// All wiring happens here, once: names become pointers, parallel lines become copies, and the
// routing graph is checked with Boost.Graph before anything runs. No station ever looks up a
// neighbour by name at run time.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <set>

#include "takt/models/plant.hpp"

namespace takt::models {

class PlantBuilder {
 public:
  PlantBuilder(Plant& plant) : p_(plant), spec_(plant.spec_), run_(plant.run_) {}
  void build();

 private:
  struct Ends {
    Buffer* input;                 // where the next item reads from
    std::vector<Equipment*> open;  // equipment whose default output is not connected yet
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

  Buffer& add_buffer(const std::string& name, std::size_t capacity, const std::string& shop);
  void close(Ends& ends, Buffer& output);
  Ends build_items(const std::vector<LineItem>& items, std::size_t from, std::size_t to, Ends ends,
                   const ShopSpec& shop, int copy, int copies);
  void build_item(const LineItem& item, Ends& ends, const ShopSpec& shop, int copy, int copies);
  Ends build_shop(const ShopSpec& shop, Ends ends);
  void build_feeder(const ShopSpec& shop);
  Buffer& entry(const std::string& name, int copy, int copies, const std::string& context);
  Buffer& rework_input(const std::string& station);
  void resolve_links();
  std::string station_name(const Station& s) const;
  const ShiftCalendar* calendar(const std::string& name, const std::string& who);
  void follow_calendar(const std::string& name, Equipment& e, const std::string& who,
                       sim::Time start_of_production);
  sim::Time start_of_production(const ShopSpec& shop, int copy, int copies) const;
  sim::Time time_of(CalendarDate d) const;
  void check_topology() const;
  // `s`: the same equipment when it is a station (learning curves act on stations only).
  void bind_ramps(const LineItem& item, const ShopSpec& shop, Equipment& e, Station* s);
  RampDriver& ramp_driver(const RampUpSpec& spec);
  void set_demand(Buffer& supply);
  void add_store(Buffer& exit);
  void watch_activity();
  Buffer& plant_entry();
  void set_monthly_schedule();

  Plant& p_;
  const PlantSpec& spec_;
  const RunSettings& run_;
  std::map<std::string, Buffer*> buffers_;
  std::map<std::string, Station*> stations_;  // by the name in the file (a group's first server)
  std::map<std::string, std::vector<Station*>> servers_;  // every station object of a name
  std::map<std::string, PacedLine*> lines_;
  std::map<std::pair<const ShiftCalendar*, sim::Time>, CalendarDriver*> drivers_;
  std::map<const RampUpSpec*, RampDriver*> ramps_;
  struct Pending {
    Station* station;
    const LineItem* item;
    int copy, copies;
  };
  std::vector<Pending> links_;         // routes and joins, resolved once every name exists
  const LineItem* inbound_ = nullptr;  // the plant's first item when it is a store: the entry
  const Buffer* entry_ = nullptr;      // where released jobs enter
  std::set<const Equipment*> fully_routed_;
  std::vector<std::pair<std::size_t, std::size_t>> edges_;
  std::map<const void*, std::size_t> vertex_;
  std::vector<std::string> vertex_name_;
  std::size_t vertex(const void* node, const std::string& name);
  // Graph nodes are keyed by address, equipment always through its Equipment base, so a
  // station is one node whether it is reached as a Station or as Equipment.
  static const void* node(const Equipment* e) { return e; }
  static const void* node(const Buffer* b) { return b; }
  template <class From, class To>
  void edge(const From* from, const std::string& from_name, const To* to,
            const std::string& to_name) {
    edges_.emplace_back(vertex(node(from), from_name), vertex(node(to), to_name));
  }
};

std::size_t PlantBuilder::vertex(const void* node, const std::string& name) {
  const auto it = vertex_.find(node);
  if (it != vertex_.end()) return it->second;
  vertex_name_.push_back(name);
  return vertex_[node] = vertex_name_.size() - 1;
}

Buffer& PlantBuilder::add_buffer(const std::string& name, std::size_t capacity,
                                 const std::string& shop) {
  if (buffers_.count(name) || stations_.count(name) || lines_.count(name)) {
    throw ModelError(spec_.name, "the name '" + name + "' is used twice");
  }
  p_.buffers_.push_back(std::make_unique<Buffer>(name, capacity));
  Buffer& b = *p_.buffers_.back();
  buffers_[name] = &b;
  p_.shop_of_[name] = shop;
  return b;
}

// Connects every open station output to `output` (a shop's merge buffer, or the sink).
void PlantBuilder::close(Ends& ends, Buffer& output) {
  for (Equipment* e : ends.open) {
    e->connect_output(output);
    // A station whose routes take every job never uses its default way out.
    if (fully_routed_.count(e) == 0) edge(e, e->name(), &output, output.name());
  }
  ends.open.clear();
  ends.input = &output;
}

// `copies` names the item ("weld#2"): the shop's line count, or 1 for shared items.
void PlantBuilder::build_item(const LineItem& item, Ends& ends, const ShopSpec& shop, int copy,
                              int copies) {
  if (&item == inbound_) return;  // built as the plant's entry
  const std::string name = copy_name(item.name, copy, copies);
  const bool open = !ends.open.empty();
  if (item.is_storage()) {
    if (!open && ends.input != nullptr) {
      throw ModelError(spec_.name,
                       "buffer '" + name + "' follows '" + ends.input->name() +
                           "' with no station between them to move jobs on",
                       item.name);
    }
    const BufferSpec* plain = item.as<BufferSpec>();
    if (plain != nullptr && plain->lose_when_full) {
      throw ModelError(spec_.name,
                       "buffer '" + name +
                           "': when_full applies to an inbound store, the first item of a plant "
                           "with timed arrivals",
                       item.name);
    }
    Buffer& b = add_buffer(name, item.capacity(), shop.name);
    if (const auto* store = item.as<StoreSpec>()) b.make_sequencing(*store);
    close(ends, b);
    return;
  }
  if (open) {
    // Two stations in a row: a direct hand-off, modelled as a buffer of no places.
    close(ends, add_buffer(name + ".in", 0, shop.name));
  }
  if (ends.input == nullptr) {
    throw ModelError(spec_.name, "'" + name + "' has nothing in front of it", item.name);
  }
  if (buffers_.count(name) || stations_.count(name) || lines_.count(name)) {
    throw ModelError(spec_.name, "the name '" + name + "' is used twice");
  }
  p_.shop_of_[name] = shop.name;
  p_.flow_position_.emplace(name, p_.flow_position_.size());
  if (const auto* paced = item.as<PacedLineConfig>()) {
    PacedLineConfig config = *paced;
    config.name = name;
    config.shop = shop.name;
    auto line = std::make_unique<PacedLine>(p_.sim_, config, run_.seed, run_.replication,
                                            spec_.name + "." + name);
    PacedLine* l = line.get();
    p_.equipment_.push_back(std::move(line));
    lines_[name] = l;
    l->connect_input(*ends.input);
    edge(ends.input, ends.input->name(), l, name);
    follow_calendar(item.calendar, *l, name, start_of_production(shop, copy, copies));
    bind_ramps(item, shop, *l, nullptr);
    ends.open.push_back(l);
    return;
  }
  StationConfig config = std::get<StationConfig>(item.spec);
  config.name = name;
  config.shop = shop.name;
  // Servers that fail on their own are single-server stations side by side ("weld@1",
  // "weld@2"), sharing the input, output, routes and joins; kpis() reports them as one.
  const bool per_server =
      config.servers > 1 && !config.failures.empty() && config.failures.front().per_server;
  const int servers = per_server ? config.servers : 1;
  if (per_server) config.servers = 1;
  for (int k = 0; k < servers; ++k) {
    if (per_server) {
      config.name = name + "@" + std::to_string(k + 1);
      p_.server_of_[config.name] = name;
      p_.shop_of_[config.name] = shop.name;
    }
    auto station = std::make_unique<Station>(p_.sim_, config, run_.seed, run_.replication,
                                             spec_.name + "." + config.name);
    Station* s = station.get();
    p_.equipment_.push_back(std::move(station));
    if (k == 0) stations_[name] = s;
    servers_[name].push_back(s);
    s->connect_input(*ends.input);
    edge(ends.input, ends.input->name(), s, config.name);
    follow_calendar(item.calendar, *s, config.name, start_of_production(shop, copy, copies));
    bind_ramps(item, shop, *s, s);
    if (!item.routes.empty() || !item.joins.empty()) links_.push_back({s, &item, copy, copies});
    double routed = 0;
    for (const RouteSpec& r : item.routes) routed += r.share;
    if (routed >= 1.0 - 1e-12) fully_routed_.insert(s);
    ends.open.push_back(s);
  }
}

PlantBuilder::Ends PlantBuilder::build_items(const std::vector<LineItem>& items, std::size_t from,
                                             std::size_t to, Ends ends, const ShopSpec& shop,
                                             int copy, int copies) {
  for (std::size_t i = from; i < to; ++i) build_item(items[i], ends, shop, copy, copies);
  return ends;
}

// Parallel copies share the shop's leading and trailing buffers (feed and merge stores).
PlantBuilder::Ends PlantBuilder::build_shop(const ShopSpec& shop, Ends ends) {
  const auto& items = shop.line;
  std::size_t first = 0, last = items.size();
  if (shop.lines > 1 && !items.empty() && items.front().is_storage()) {
    build_item(items.front(), ends, shop, 0, 1);
    first = 1;
  }
  const bool shared_tail = shop.lines > 1 && last > first && items.back().is_storage();
  if (shared_tail) --last;
  if (shop.lines > 1 && !ends.open.empty()) {
    close(ends, add_buffer(shop.name + ".feed", 0, shop.name));
  }
  Ends merged{ends.input, {}};
  for (int c = 0; c < shop.lines; ++c) {
    Ends copy_ends = build_items(items, first, last, ends, shop, c, shop.lines);
    if (shop.lines == 1) return copy_ends;
    merged.open.insert(merged.open.end(), copy_ends.open.begin(), copy_ends.open.end());
  }
  if (shared_tail) build_item(items.back(), merged, shop, 0, 1);
  return merged;
}

void PlantBuilder::build_feeder(const ShopSpec& shop) {
  p_.feeders_.push_back(std::make_unique<Source>(
      p_.sim_, std::vector<double>{1.0},
      sim::RandomStream(run_.seed, run_.replication, spec_.name + "." + shop.name + ".mix"),
      nullptr));
  Buffer& supply = add_buffer(shop.name + ".supply", Buffer::kUnlimited, shop.name);
  supply.make_supply(*p_.feeders_.back());
  Ends ends = build_shop(shop, Ends{&supply, {}});
  if (!ends.open.empty()) {
    throw ModelError(spec_.name, "feeder shop '" + shop.name +
                                     "' must end with the store that its consumers join from");
  }
}

Buffer& PlantBuilder::entry(const std::string& name, int copy, int copies,
                            const std::string& context) {
  for (const std::string& n : {copy_name(name, copy, copies), name}) {
    if (buffers_.count(n)) return *buffers_.at(n);
    if (stations_.count(n)) return rework_input(n);
  }
  throw ModelError(spec_.name, context + " refers to unknown '" + name + "'");
}

// Jobs routed to a station (not to a buffer) re-enter through an unlimited input that the
// station serves first, as repainted bodies do in a paint shop (every server of one whose
// servers fail alone).
Buffer& PlantBuilder::rework_input(const std::string& station) {
  const std::string name = station + ".rework";
  if (buffers_.count(name)) return *buffers_.at(name);
  Buffer& b = add_buffer(name, Buffer::kUnlimited, p_.shop_of_.at(station));
  for (Station* s : servers_.at(station)) {
    s->add_priority_input(b);
    edge(&b, name, s, s->name());
  }
  return b;
}

// The name in the file: a server of a station whose servers fail alone goes by its station's.
std::string PlantBuilder::station_name(const Station& s) const {
  const auto group = p_.server_of_.find(s.name());
  return group == p_.server_of_.end() ? s.name() : group->second;
}

void PlantBuilder::resolve_links() {
  for (const Pending& l : links_) {
    for (const RouteSpec& r : l.item->routes) {
      Buffer& target = entry(r.to, l.copy, l.copies, "station '" + station_name(*l.station) + "'");
      l.station->add_route(r.share, target, r.is_rework);
      edge(l.station, l.station->name(), &target, target.name());
    }
    for (const std::string& j : l.item->joins) {
      Buffer& store = entry(j, l.copy, l.copies, "station '" + station_name(*l.station) + "'");
      l.station->add_join(store);
      edge(&store, store.name(), l.station, l.station->name());
    }
  }
}

const ShiftCalendar* PlantBuilder::calendar(const std::string& name, const std::string& who) {
  const std::string& wanted = name.empty() ? spec_.calendar : name;
  if (wanted.empty()) return nullptr;
  for (const NamedCalendar& c : spec_.calendars) {
    if (c.name == wanted) return c.calendar.is_always() ? nullptr : &c.calendar;
  }
  throw ModelError(spec_.name, who + " uses unknown calendar '" + wanted + "'");
}

sim::Time PlantBuilder::time_of(CalendarDate d) const {
  return sim::Time::days(std::max<std::int64_t>(0, d - run_.start));
}

// The most specific date wins: the copy's, the shop's, the plant's. An item shared by the
// copies (copies == 1 in a shop of several lines) starts with the first of them.
sim::Time PlantBuilder::start_of_production(const ShopSpec& shop, int copy, int copies) const {
  const std::optional<CalendarDate> day = models::start_of_production(spec_, shop, copy, copies);
  return day ? time_of(*day) : sim::Time::zero();
}

void PlantBuilder::follow_calendar(const std::string& name, Equipment& e, const std::string& who,
                                   sim::Time start_of_production) {
  const ShiftCalendar* c = calendar(name, who);
  if (c == nullptr && start_of_production == sim::Time::zero()) return;
  // Equipment that works 24/7 from its start of production follows this calendar from then.
  static const ShiftCalendar kAlways;
  const ShiftCalendar& followed = c != nullptr ? *c : kAlways;
  CalendarDriver*& d = drivers_[{&followed, start_of_production}];
  if (d == nullptr) {
    p_.drivers_.push_back(std::make_unique<CalendarDriver>(p_.sim_, followed, start_of_production));
    d = p_.drivers_.back().get();
  }
  d->follow(e);
  if (start_of_production == sim::Time::zero()) return;
  p_.start_of_production_[e.name()] = start_of_production;
  if (run_.observer != nullptr)
    run_.observer->on_start_of_production(e.name(), start_of_production);
}

RampDriver& PlantBuilder::ramp_driver(const RampUpSpec& spec) {
  RampDriver*& d = ramps_[&spec];
  if (d == nullptr) {
    p_.ramps_.push_back(std::make_unique<RampDriver>(p_.sim_, spec, run_.start));
    d = p_.ramps_.back().get();
  }
  return *d;
}

// For each target the most specific ramp wins: the item's, else its shop's, else the plant's.
// Learning curves act per station, on its own count of jobs.
void PlantBuilder::bind_ramps(const LineItem& item, const ShopSpec& shop, Equipment& e,
                              Station* s) {
  using T = RampUpSpec::Target;
  const std::vector<const std::vector<RampUpSpec>*> scopes{&item.ramp_up, &shop.ramp_up,
                                                           &spec_.ramp_up};
  auto find = [&](auto wanted) -> const RampUpSpec* {
    for (const auto* scope : scopes) {
      for (const RampUpSpec& r : *scope) {
        if (wanted(r)) return &r;
      }
    }
    return nullptr;
  };
  // Yield acts on quality routes and availability on failures: a plant's or shop's ramp of one
  // is not bound where there are none, so that no month is said to be limited by a ramp that
  // changes nothing. (An item's own such ramp is refused by the loader.)
  const auto* station = item.as<StationConfig>();
  const auto* paced = item.as<PacedLineConfig>();
  const bool fails = (station != nullptr && !station->failures.empty()) ||
                     (paced != nullptr && !paced->failures.empty());
  for (const T target : {T::kSpeed, T::kAvailability, T::kYield}) {
    if (target == T::kYield && item.routes.empty()) continue;
    if (target == T::kAvailability && !fails) continue;
    const RampUpSpec* r =
        find([&](const RampUpSpec& x) { return !x.curve.is_learning() && x.acts_on(target); });
    if (r != nullptr && e.has_ramp(target)) ramp_driver(*r).bind(e, target);
  }
  const RampUpSpec* learning = find([](const RampUpSpec& x) { return x.curve.is_learning(); });
  if (learning != nullptr && s != nullptr) {
    s->set_learning(learning->curve);
    p_.learners_.push_back(s);
  }
}

// Release caps per calendar month: the order plan's month (0 when it is not in the plan), or
// the demand step in force on the month's first day (none before the first step).
void PlantBuilder::set_demand(Buffer& supply) {
  const std::vector<sim::Time> starts = month_starts(run_.start, run_.horizon);
  std::vector<std::optional<std::uint64_t>> caps;
  for (const sim::Time t : starts) {
    const CalendarDate day = date_at(run_.start, t);
    std::optional<std::uint64_t> cap;
    // A make-to-stock plant builds ahead of its orders: they ship from its store instead.
    if (!spec_.orders.empty() && !spec_.storage) cap = p_.orders_in(day);
    for (const DemandStep& d : spec_.demand) {
      if (d.from <= day) cap = d.per_month;
    }
    caps.push_back(cap);
  }
  if (!spec_.orders.empty() && !spec_.orders.front().by_product.empty() && !spec_.storage) {
    std::vector<std::vector<std::uint64_t>> by_product;
    for (const sim::Time t : starts)
      by_product.push_back(p_.product_orders_in(date_at(run_.start, t)));
    p_.source_->set_product_demand(std::move(by_product));
  }
  p_.source_->set_demand(std::move(caps), !spec_.orders.empty() && !spec_.storage && spec_.backlog,
                         starts, supply);
}

// Every station of the file is a unit of the shifting-bottleneck analysis, numbered in flow
// order (ties between periods as long go to the earlier); the servers of one that fail alone
// are members of its unit.
void PlantBuilder::watch_activity() {
  std::vector<std::pair<std::size_t, std::string>> order;
  for (const auto& [name, position] : p_.flow_position_) order.emplace_back(position, name);
  std::sort(order.begin(), order.end());
  for (const auto& [position, name] : order)
    p_.unit_of_.emplace(name, static_cast<std::uint32_t>(p_.unit_of_.size()));
  p_.activity_ =
      std::make_unique<ActivePeriods>(p_.unit_of_.size(), run_.horizon, p_.sink_->month_starts());
  for (auto& e : p_.equipment_) {
    const auto group = p_.server_of_.find(e->name());
    const std::uint32_t unit =
        p_.unit_of_.at(group == p_.server_of_.end() ? e->name() : group->second);
    const Equipment::ActivityWatch watch = e->watch_activity(p_.activity_.get(), unit);
    for (int m = 0; m < watch.members; ++m)
      p_.activity_->add_member(unit, m >= watch.inactive, sim::Time::zero(), watch.tells_late);
  }
}

// The storage centre between the sink and the orders: each month's orders, as they ship.
void PlantBuilder::add_store(Buffer& exit) {
  std::vector<sim::Time> starts = month_starts(run_.start, run_.horizon);
  std::vector<std::uint64_t> orders;
  for (const sim::Time t : starts) orders.push_back(p_.orders_in(date_at(run_.start, t)));
  p_.store_ =
      std::make_unique<VehicleStore>(p_.sim_, spec_.storage->capacity, spec_.storage->initial,
                                     std::move(orders), spec_.backlog, std::move(starts), exit);
  p_.sink_->set_store(p_.store_.get());
}

// Each month's nameplate is the capacity spread over its calendar year's working hours (the
// plant calendar's), so a month with the Spring Festival asks for less than a full one. A year
// that begins before the run is counted from the run's start for a whole year instead.
void PlantBuilder::set_monthly_schedule() {
  const ShiftCalendar* c = calendar("", "the plant");
  const auto working = [c](sim::Time from, sim::Time to) {
    if (c != nullptr) return c->working_time(from, to);
    return to > from ? to - from : sim::Time::zero();
  };
  const std::vector<sim::Time>& starts = p_.sink_->month_starts();
  // Before its start of production a plant has no nameplate to meet.
  const std::optional<CalendarDate> start = plant_start_of_production(spec_);
  const sim::Time plant_start = start ? time_of(*start) : sim::Time::zero();
  for (std::size_t m = 0; m < starts.size(); ++m) {
    if (starts[m] <= plant_start) p_.first_production_month_ = m;
    const sim::Time end = m + 1 < starts.size() ? starts[m + 1] : run_.horizon;
    const int year = date_at(run_.start, starts[m]).year();
    // The year from the run's start, in the first, partial year: to the same day a year on
    // (2024-03-01 to 2025-02-28 holds no leap day, though 2024 is a leap year), or through
    // the month's last day when it lacks that day (from 2024-02-29 to 2025-02-28).
    const CalendarDate first_day = std::max(*CalendarDate::from_ymd(year, 1, 1), run_.start);
    const int last = CalendarDate::days_in_month(first_day.year() + 1, first_day.month());
    const CalendarDate next_year =
        first_day.day() > last
            ? *CalendarDate::from_ymd(first_day.year() + 1, first_day.month(), last) + 1
            : *CalendarDate::from_ymd(first_day.year() + 1, first_day.month(), first_day.day());
    const sim::Time year_begin = sim::Time::days(first_day - run_.start);
    const sim::Time year_end = sim::Time::days(next_year - run_.start);
    const sim::Time from = sim::max(starts[m], plant_start);
    const double hours = working(from, sim::max(from, end)).to_hours();
    const double year_hours = working(year_begin, year_end).to_hours();
    p_.monthly_scheduled_hours_.push_back(hours);
    p_.monthly_nameplate_.push_back(year_hours > 0 ? spec_.capacity * hours / year_hours : 0.0);
  }
}

// Where released jobs enter: the unlimited supply, an unlimited arrivals buffer, or, when the
// first shop's line starts with a buffer and arrivals are timed, that buffer (an inbound store
// whose capacity holds arrivals back or turns them away).
Buffer& PlantBuilder::plant_entry() {
  for (const ShopSpec& shop : spec_.shops) {
    if (shop.is_feeder) continue;
    if (shop.line.empty() || !shop.line.front().is_storage()) break;
    const LineItem& first = shop.line.front();
    if (spec_.unlimited_arrivals) {
      throw ModelError(spec_.name, "the line starts with '" + first.name +
                                       "': an inbound store needs timed arrivals (with an "
                                       "unlimited supply the first station never starves)");
    }
    if (first.as<BufferSpec>() == nullptr) {
      throw ModelError(spec_.name, "the line starts with the sequencing store '" + first.name +
                                       "': an inbound store is a plain buffer");
    }
    inbound_ = &first;
    return add_buffer(first.name, first.capacity(), shop.name);
  }
  return add_buffer(spec_.unlimited_arrivals ? "supply" : "arrivals", Buffer::kUnlimited, "");
}

void PlantBuilder::build() {
  Plant& p = p_;
  p.source_ = std::make_unique<Source>(
      p.sim_, spec_.mix, sim::RandomStream(run_.seed, run_.replication, spec_.name + ".mix"),
      &p.wip_);
  p.source_->set_levelled(spec_.levelled_mix);
  p.sink_ =
      std::make_unique<Sink>(p.wip_, month_starts(run_.start, run_.horizon), spec_.mix.size());
  if (run_.stop_after > 0) p.sink_->stop_after(run_.stop_after, &p.sim_);
  set_monthly_schedule();
  for (const ShopSpec& shop : spec_.shops) {
    if (shop.is_feeder) build_feeder(shop);
  }
  Buffer& entry_buffer = plant_entry();
  entry_ = &entry_buffer;
  if (spec_.unlimited_arrivals) entry_buffer.make_supply(*p.source_);
  if (spec_.unlimited_arrivals && (!spec_.demand.empty() || !spec_.orders.empty())) {
    set_demand(entry_buffer);
  }
  Ends ends{&entry_buffer, {}};
  for (const ShopSpec& shop : spec_.shops) {
    if (!shop.is_feeder) ends = build_shop(shop, ends);
  }
  if (ends.open.empty()) {
    throw ModelError(spec_.name, "the flow must end with a station, not a buffer");
  }
  Buffer& exit = add_buffer("sink", Buffer::kUnlimited, "");
  exit.make_sink(*p.sink_);
  if (spec_.storage) add_store(exit);
  close(ends, exit);
  for (const ShopSpec& shop : spec_.shops) {
    for (const LoopSpec& loop : shop.loops) {
      // Routed jobs reach a loop that starts with a station through that station's own
      // unlimited input, the same buffer a route to the station's name leads to.
      Ends loop_ends{nullptr, {}};
      if (!loop.line.empty() && !loop.line.front().is_storage()) {
        loop_ends.input =
            &add_buffer(loop.line.front().name + ".rework", Buffer::kUnlimited, shop.name);
      }
      // A loop serves every parallel line of its shop, so it is built once, uncopied.
      loop_ends = build_items(loop.line, 0, loop.line.size(), loop_ends, shop, 0, 1);
      close(loop_ends, entry(loop.to, 0, 1, "a loop of shop '" + shop.name + "'"));
    }
  }
  resolve_links();
  check_topology();
  p.sim_.set_stall_reporter(&p);
  for (auto& d : p.drivers_) d->start();
  for (auto& r : p.ramps_) r->start();
  if (!spec_.unlimited_arrivals) {
    const BufferSpec* inbound = inbound_ != nullptr ? inbound_->as<BufferSpec>() : nullptr;
    p.source_->start_arrivals(
        entry_buffer, spec_.interarrival,
        sim::RandomStream(run_.seed, run_.replication, spec_.name + ".arrivals"),
        inbound != nullptr && inbound->lose_when_full);
  }
  std::stable_sort(p.equipment_.begin(), p.equipment_.end(),
                   [](const auto& a, const auto& b) { return ranks_before(a.get(), b.get()); });
  for (auto& e : p.equipment_) e->set_observer(run_.observer);
  if (run_.bottlenecks) watch_activity();
  for (auto& e : p.equipment_) e->start();
}

// Every station must be reachable from a supply and able to reach the sink; a loop (a strong
// component of more than one node) must have a way out, or jobs would circle for ever.
void PlantBuilder::check_topology() const {
  const std::size_t n = vertex_name_.size();
  Graph g(n);
  for (const auto& [a, b] : edges_) boost::add_edge(a, b, g);
  auto reach = [&](std::vector<std::size_t> starts, bool forward) {
    std::vector<bool> seen(n, false);
    while (!starts.empty()) {
      const std::size_t v = starts.back();
      starts.pop_back();
      if (seen[v]) continue;
      seen[v] = true;
      if (forward) {
        for (auto [e, end] = boost::out_edges(v, g); e != end; ++e)
          starts.push_back(boost::target(*e, g));
      } else {
        for (auto [e, end] = boost::in_edges(v, g); e != end; ++e)
          starts.push_back(boost::source(*e, g));
      }
    }
    return seen;
  };
  std::vector<std::size_t> supplies, sinks;
  for (const auto& [name, b] : buffers_) {
    if (!vertex_.count(b)) continue;
    if (b->role() == Buffer::Role::kSupply || b == entry_) supplies.push_back(vertex_.at(b));
    if (b->role() == Buffer::Role::kSink) sinks.push_back(vertex_.at(b));
  }
  // Loops first: a trapped loop also cannot reach the sink, but this names the real fault.
  std::vector<std::size_t> component(n);
  const auto count = boost::strong_components(
      g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  std::vector<std::size_t> size(static_cast<std::size_t>(count), 0);
  std::vector<bool> has_exit(static_cast<std::size_t>(count), false);
  for (std::size_t v = 0; v < n; ++v) ++size[component[v]];
  for (const auto& [a, b] : edges_) {
    if (component[a] != component[b]) has_exit[component[a]] = true;
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (size[component[v]] > 1 && !has_exit[component[v]]) {
      throw ModelError(spec_.name, "the loop through '" + vertex_name_[v] + "' has no exit");
    }
  }
  const auto from_supply = reach(supplies, true);
  const auto to_sink = reach(sinks, false);
  for (std::size_t v = 0; v < n; ++v) {
    if (!from_supply[v])
      throw ModelError(spec_.name,
                       "'" + vertex_name_[v] + "' is not reachable from the plant's supply");
    if (!to_sink[v])
      throw ModelError(spec_.name, "'" + vertex_name_[v] + "' cannot reach the end of the plant");
  }
}

Plant::Plant(const PlantSpec& spec, const RunSettings& run) : spec_(spec), run_(run) {
  PlantBuilder(*this).build();
}

}  // namespace takt::models
