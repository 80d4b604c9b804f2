// The capacity bound: visits per vehicle from the routing (a sparse linear system, Eigen),
// effective rates per built station, and a maximum flow through shops, their parallel line
// copies and the plant's side constraints (push-relabel, Boost Graph).
#include "takt/models/capacity_bound.hpp"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>
#include <queue>

namespace takt::models {

namespace {

constexpr double kUnbounded = 1e18;

// A flow network of node pairs: each bounded element is an edge in -> out.
class FlowNet {
 public:
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<
          boost::edge_capacity_t, double,
          boost::property<boost::edge_residual_capacity_t, double,
                          boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  using Vertex = Traits::vertex_descriptor;

  Vertex node() { return boost::add_vertex(g_); }
  void edge(Vertex u, Vertex v, double capacity) {
    const auto e = boost::add_edge(u, v, g_).first;
    const auto r = boost::add_edge(v, u, g_).first;
    boost::put(boost::edge_capacity, g_, e, capacity);
    boost::put(boost::edge_capacity, g_, r, 0.0);
    boost::put(boost::edge_reverse, g_, e, r);
    boost::put(boost::edge_reverse, g_, r, e);
  }
  double max_flow(Vertex s, Vertex t) {
    flow_ = boost::push_relabel_max_flow(g_, s, t);
    // The source side of the minimum cut: what the residual graph still reaches.
    reached_.assign(boost::num_vertices(g_), false);
    std::queue<Vertex> todo;
    todo.push(s);
    reached_[s] = true;
    const double eps = 1e-9 * std::max(1.0, flow_);
    while (!todo.empty()) {
      const Vertex u = todo.front();
      todo.pop();
      for (const auto e : boost::make_iterator_range(boost::out_edges(u, g_))) {
        const Vertex v = boost::target(e, g_);
        if (reached_[v] || boost::get(boost::edge_residual_capacity, g_, e) <= eps) continue;
        reached_[v] = true;
        todo.push(v);
      }
    }
    return flow_;
  }
  /// Whether the edge in -> out crosses the minimum cut.
  bool in_cut(Vertex in, Vertex out) const { return reached_[in] && !reached_[out]; }

 private:
  Graph g_;
  double flow_ = 0;
  std::vector<bool> reached_;
};

// Whether the plant's orders are by product: release then follows their mix, not `products`.
bool orders_by_product(const PlantSpec& plant) {
  return !plant.orders.empty() && !plant.orders.front().by_product.empty();
}

// Mean work per job at a station: the mix's mean cycle, lots' setups spread over the lot, and
// the expected product changeover where the order of products is random.
// Orders by product set their own mix, month by month: the bound then takes the fastest
// product that has orders, as if it were built alone (and no changeovers).
// `random_order`: whether the products reach the station in random order; a sequencing store
// before it (which takes blocks of one product) or levelled release split over line copies (each
// copy may see one product only) can spare changeovers, so they are not counted there.
double work_seconds(const StationConfig& st, const PlantSpec& plant, bool random_order) {
  double total = 0, cycle = 0;
  for (std::size_t v = 0; v < plant.mix.size(); ++v) total += plant.mix[v];
  if (st.cycle.size() == 1 || total <= 0) {
    cycle = st.cycle.front().mean();
  } else if (orders_by_product(plant)) {
    cycle = -1;
    for (std::size_t v = 0; v < st.cycle.size() && v < plant.mix.size(); ++v) {
      bool ordered = false;
      for (const OrderMonth& o : plant.orders) ordered = ordered || o.by_product.at(v) > 0;
      if (ordered && (cycle < 0 || st.cycle[v].mean() < cycle)) cycle = st.cycle[v].mean();
    }
    if (cycle < 0) cycle = st.cycle.front().mean();
  } else {
    for (std::size_t v = 0; v < st.cycle.size() && v < plant.mix.size(); ++v)
      cycle += plant.mix[v] / total * st.cycle[v].mean();
  }
  double work = cycle;
  if (st.lot_size > 0) work += st.setup.mean() / st.lot_size;
  if (st.has_changeover && total > 0 && random_order && !orders_by_product(plant)) {
    // Random order: a change with probability 1 - sum p^2; levelled: as often as products
    // alternate, 2 (1 - the largest share), at most every job.
    double same = 0, largest = 0;
    for (const double m : plant.mix) {
      same += (m / total) * (m / total);
      largest = std::max(largest, m / total);
    }
    const double change =
        plant.levelled_mix ? std::min(1.0, 2 * (1 - largest)) : std::max(0.0, 1 - same);
    work += change * st.changeover.mean();
  }
  return work;
}

// The share of its shift time that equipment is up: each profile's repairs per unit of work,
// counted in shift time. Repairs that go on off shift hide a part there, counted as the
// calendar's on-shift share of them: right on average for failures at random moments and
// repairs short against the shifts, not for repairs as long as a shift or fixed times lined up
// with the calendar (docs/capacity.md says so; counting none would lose every plant's failures).
// Operating-time clocks stop while the equipment is down, so their repairs never overlap and
// their down time adds up; calendar-time clocks run on, so they are up together as
// independent processes are: the product of their availabilities.
// `longer`: an availability ramp's best factor on the times to failure (at least 1).
double availability(const std::vector<FailureProfile>& profiles, std::size_t clocks_each,
                    double calendar_share, double longer) {
  double down = 0, calendar_up = 1;
  for (const FailureProfile& f : profiles) {
    const double ttf = f.ttf.mean() * longer, ttr = f.ttr.mean();
    if (ttf <= 0) continue;
    const std::size_t clocks = f.positions.empty() ? clocks_each : f.positions.size();
    if (f.calendar_basis) {
      calendar_up *= std::pow(ttf / (ttf + ttr), static_cast<double>(clocks));
      continue;
    }
    const double shown = f.repairs_pause ? 1.0 : calendar_share;
    down += static_cast<double>(clocks) * ttr / ttf * shown;
  }
  return calendar_up / (1.0 + down);
}

struct Position {
  const LineItem* item;
  const ShopSpec* shop;
  std::size_t sequence;  // 0: the main flow; 1 + l: loop l
  std::size_t index;     // within its sequence
};

// The plant's items in their sequences, and the routing between stations by name.
class Routing {
 public:
  explicit Routing(const PlantSpec& plant) {
    for (const ShopSpec& shop : plant.shops) {
      if (shop.is_feeder) continue;
      for (const LineItem& item : shop.line) add(item, shop, 0);
    }
    for (const ShopSpec& shop : plant.shops) {
      if (shop.is_feeder) continue;
      for (const LoopSpec& loop : shop.loops) {
        loops_.push_back(&loop);
        for (const LineItem& item : loop.line) add(item, shop, loops_.size());
      }
    }
  }

  const std::vector<Position>& positions() const { return positions_; }
  /// The first station at or after `index` in `sequence`; a loop's end leads to its target;
  /// -1: the plant's exit.
  int next_station(std::size_t sequence, std::size_t index) const {
    const auto& seq = sequences_.at(sequence);
    for (std::size_t i = index; i < seq.size(); ++i) {
      if (!positions_[seq[i]].item->is_storage()) return static_cast<int>(seq[i]);
    }
    if (sequence == 0) return -1;
    return resolve(loops_.at(sequence - 1)->to);
  }
  /// Where a route or a loop's end to `name` leads: that station, or the first station after
  /// that buffer.
  int resolve(const std::string& name) const {
    for (const Position& p : positions_) {
      if (p.item->name != name) continue;
      if (!p.item->is_storage()) return static_cast<int>(&p - positions_.data());
      return next_station(p.sequence, p.index + 1);
    }
    return -1;
  }

 private:
  void add(const LineItem& item, const ShopSpec& shop, std::size_t sequence) {
    if (sequences_.size() <= sequence) sequences_.resize(sequence + 1);
    sequences_[sequence].push_back(positions_.size());
    positions_.push_back({&item, &shop, sequence, sequences_[sequence].size() - 1});
  }

  std::vector<Position> positions_;
  std::vector<std::vector<std::size_t>> sequences_;
  std::vector<const LoopSpec*> loops_;
};

// A yield ramp sets a station's routes to take 1 - f of its jobs together: at the highest f its
// curve reaches, they may take fewer than the file's shares (a mature yield of 1 takes none),
// and the bound counts the fewest visits it allows. The factor the shares are scaled by.
double route_scale(const Position& p, const PlantSpec& plant) {
  double routed = 0;
  for (const RouteSpec& route : p.item->routes) routed += route.share;
  if (routed <= 0) return 1;
  for (const std::vector<RampUpSpec>* scope :
       {&p.item->ramp_up, &p.shop->ramp_up, &plant.ramp_up}) {
    for (const RampUpSpec& r : *scope) {
      if (r.curve.is_learning() || !r.acts_on(RampTarget::kYield)) continue;
      return std::min(1.0, std::max(0.0, 1 - r.curve.highest()) / routed);
    }
  }
  return 1;
}

// Visits per vehicle of each position: v = first + P^T v over the stations' routing.
std::vector<double> visits(const Routing& r, const PlantSpec& plant) {
  const auto n = static_cast<Eigen::Index>(r.positions().size());
  std::vector<Eigen::Triplet<double>> a;
  for (Eigen::Index i = 0; i < n; ++i) a.emplace_back(i, i, 1.0);
  for (const Position& p : r.positions()) {
    if (p.item->is_storage()) continue;
    const auto from = static_cast<Eigen::Index>(&p - r.positions().data());
    double routed = 0;
    const double scale = route_scale(p, plant);
    for (const RouteSpec& route : p.item->routes) {
      routed += scale * route.share;
      const int to = r.resolve(route.to);
      if (to >= 0) a.emplace_back(to, from, -scale * route.share);
    }
    const int next = r.next_station(p.sequence, p.index + 1);
    if (next >= 0 && routed < 1) a.emplace_back(next, from, -(1 - routed));
  }
  Eigen::SparseMatrix<double> m(n, n);
  m.setFromTriplets(a.begin(), a.end());
  Eigen::VectorXd first = Eigen::VectorXd::Zero(n);
  const int entry = r.next_station(0, 0);
  std::vector<double> out(static_cast<std::size_t>(n), 0.0);
  if (entry < 0) return out;
  first(entry) = 1;
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
  lu.compute(m);
  if (lu.info() != Eigen::Success) return out;
  const Eigen::VectorXd v = lu.solve(first);
  for (Eigen::Index i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = std::max(0.0, v(i));
  return out;
}

const ShiftCalendar* calendar_of(const PlantSpec& plant, const std::string& name) {
  const std::string& wanted = name.empty() ? plant.calendar : name;
  for (const NamedCalendar& c : plant.calendars) {
    if (c.name == wanted) return c.calendar.is_always() ? nullptr : &c.calendar;
  }
  return nullptr;
}

class Bounder {
 public:
  Bounder(const PlantSpec& plant, CalendarDate start, sim::Time from, sim::Time to)
      : plant_(plant),
        start_(start),
        from_(from),
        to_(to),
        routing_(plant),
        visits_(visits(routing_, plant)) {}

  PlantBound run();

 private:
  sim::Time time_of(const CalendarDate& d) const {
    return sim::Time::days(std::max<std::int64_t>(0, d - start_));
  }
  sim::Time start_of_production(const ShopSpec& shop, int copy, int copies) const {
    const std::optional<CalendarDate> day = models::start_of_production(plant_, shop, copy, copies);
    return day ? time_of(*day) : sim::Time::zero();
  }
  // The share of the window an item works: its calendar's time after its start.
  double on_shift(const LineItem& item, sim::Time start) const {
    const double window = (to_ - from_).to_hours();
    if (window <= 0) return 0;
    const sim::Time begin = sim::max(from_, start);
    if (begin >= to_) return 0;
    const ShiftCalendar* c = calendar_of(plant_, item.calendar);
    const sim::Time working = c != nullptr ? c->working_time(begin, to_) : to_ - begin;
    return working.to_hours() / window;
  }
  double calendar_share(const LineItem& item) const {
    const ShiftCalendar* c = calendar_of(plant_, item.calendar);
    if (c == nullptr || to_ <= from_) return 1;
    return c->working_time(from_, to_).to_hours() / (to_ - from_).to_hours();
  }
  void rate(const LineItem& item, const ShopSpec& shop, StationBound& b) const;
  double ramp_up_to(const LineItem& item, const ShopSpec& shop, RampTarget target) const;
  bool random_order(const LineItem& item, const ShopSpec& shop) const;
  StationBound bound(const Position& p, int copy, int copies) const;
  double chain_rate(const ShopSpec& shop) const;

  const PlantSpec& plant_;
  CalendarDate start_;
  sim::Time from_, to_;
  Routing routing_;
  std::vector<double> visits_;
};

// A ramp may also raise the mature rate (a table's factors go up to 10): the most specific
// ramp on `target` (the item's, its shop's, the plant's, as the builder binds them) counts at
// the highest factor it reaches, when that is above 1: for speed, on the rate; for
// availability, on the times to failure.
double Bounder::ramp_up_to(const LineItem& item, const ShopSpec& shop, RampTarget target) const {
  for (const std::vector<RampUpSpec>* scope : {&item.ramp_up, &shop.ramp_up, &plant_.ramp_up}) {
    for (const RampUpSpec& r : *scope) {
      if (!r.curve.is_learning() && r.acts_on(target)) return std::max(1.0, r.curve.highest());
    }
  }
  return 1.0;
}

// Whether products reach the item in the order release gives them, so that its changeovers
// can be counted: not after a store that takes blocks of one product (`take: batch`); and, for
// levelled release, whose order is no random one, only if nothing before the item (line copies,
// several servers, routes) can change the order either.
bool Bounder::random_order(const LineItem& item, const ShopSpec& shop) const {
  for (const ShopSpec& s : plant_.shops) {
    if (s.is_feeder) continue;
    if (plant_.levelled_mix && s.lines > 1) return false;
    for (const LineItem& i : s.line) {
      if (&i == &item) return true;
      const auto* store = i.as<StoreSpec>();
      if (store != nullptr && store->take == StoreSpec::Take::kBatch) return false;
      const auto* st = i.as<StationConfig>();
      const bool reorders = !i.routes.empty() || (st != nullptr && st->servers > 1);
      if (plant_.levelled_mix && reorders) return false;
    }
    if (&s == &shop) break;
  }
  return true;
}

// Jobs per hour while on shift and up, and the share of shift time it is up.
void Bounder::rate(const LineItem& item, const ShopSpec& shop, StationBound& b) const {
  const double share = calendar_share(item);
  const double longer = ramp_up_to(item, shop, RampTarget::kAvailability);
  if (const auto* paced = item.as<PacedLineConfig>()) {
    b.jobs_per_hour = 3600.0 / paced->takt.to_seconds();
    b.availability =
        availability(paced->failures, static_cast<std::size_t>(paced->positions), share, longer);
  } else if (const auto* st = item.as<StationConfig>()) {
    b.jobs_per_hour =
        st->servers * 3600.0 / std::max(work_seconds(*st, plant_, random_order(item, shop)), 1e-9);
    b.availability = availability(st->failures, 1, share, longer);
  }
  b.jobs_per_hour *= ramp_up_to(item, shop, RampTarget::kSpeed);
}

StationBound Bounder::bound(const Position& p, int copy, int copies) const {
  StationBound b;
  b.name = copy_name(p.item->name, copy, copies);
  b.shop = p.shop->name;
  rate(*p.item, *p.shop, b);
  b.on_shift = on_shift(*p.item, start_of_production(*p.shop, copy, copies));
  b.visits = visits_.at(static_cast<std::size_t>(&p - routing_.positions().data()));
  b.vehicles_per_hour =
      b.visits > 0 ? b.jobs_per_hour * b.availability * b.on_shift / b.visits : kUnbounded;
  return b;
}

// A feeder shop's sets per hour: its copies side by side, each as fast as its slowest station.
double Bounder::chain_rate(const ShopSpec& shop) const {
  double total = 0;
  for (int k = 0; k < shop.lines; ++k) {
    double slowest = kUnbounded;
    for (const LineItem& item : shop.line) {
      if (item.is_storage()) continue;
      StationBound b;
      rate(item, shop, b);
      b.on_shift = on_shift(item, start_of_production(shop, k, shop.lines));
      slowest = std::min(slowest, b.jobs_per_hour * b.availability * b.on_shift);
    }
    total += slowest;
  }
  return total;
}

PlantBound Bounder::run() {
  PlantBound out;
  out.name = plant_.name;
  out.capacity = plant_.capacity;
  FlowNet net;
  const auto source = net.node();
  auto tail = source;
  struct Bounded {
    FlowNet::Vertex in, out;
    std::size_t station;  // index into out.stations, or SIZE_MAX for a named side constraint
    std::string name;
  };
  std::vector<Bounded> edges;
  const auto add_bounded = [&](FlowNet::Vertex from, double capacity, std::size_t station,
                               const std::string& name) {
    const auto in = net.node(), o = net.node();
    net.edge(from, in, kUnbounded);
    net.edge(in, o, std::min(capacity, kUnbounded));
    edges.push_back({in, o, station, name});
    return o;
  };
  const auto& positions = routing_.positions();
  // The main flow: shop after shop, each shop's line copies side by side.
  for (const ShopSpec& shop : plant_.shops) {
    if (shop.is_feeder) continue;
    const auto head = net.node();
    net.edge(tail, head, kUnbounded);
    const auto shop_tail = net.node();
    for (int k = 0; k < shop.lines; ++k) {
      auto at = head;
      for (const Position& p : positions) {
        if (p.shop != &shop || p.sequence != 0 || p.item->is_storage()) continue;
        out.stations.push_back(bound(p, k, shop.lines));
        at = add_bounded(at, out.stations.back().vehicles_per_hour, out.stations.size() - 1, "");
      }
      net.edge(at, shop_tail, kUnbounded);
    }
    tail = shop_tail;
  }
  // In series after it: the loops' stations (shared by the copies), the feeders of joins,
  // and timed arrivals.
  for (const Position& p : positions) {
    if (p.sequence == 0 || p.item->is_storage()) continue;
    out.stations.push_back(bound(p, 0, 1));
    tail = add_bounded(tail, out.stations.back().vehicles_per_hour, out.stations.size() - 1, "");
  }
  for (const ShopSpec& feeder : plant_.shops) {
    if (!feeder.is_feeder || feeder.line.empty()) continue;
    const std::string& store = feeder.line.back().name;
    double sets_per_vehicle = 0;
    for (const Position& p : positions) {
      const auto& joins = p.item->joins;
      if (std::find(joins.begin(), joins.end(), store) != joins.end())
        sets_per_vehicle += visits_.at(static_cast<std::size_t>(&p - positions.data()));
    }
    if (sets_per_vehicle <= 0) continue;
    tail =
        add_bounded(tail, chain_rate(feeder) / sets_per_vehicle, SIZE_MAX, "feeder " + feeder.name);
  }
  if (!plant_.unlimited_arrivals && plant_.interarrival.mean() > 0)
    tail = add_bounded(tail, 3600.0 / plant_.interarrival.mean(), SIZE_MAX, "arrivals");
  const auto sink = net.node();
  net.edge(tail, sink, kUnbounded);
  out.per_hour = net.max_flow(source, sink);
  for (const Bounded& e : edges) {
    if (!net.in_cut(e.in, e.out)) continue;
    if (e.station == SIZE_MAX) {
      out.cut.push_back(e.name);
      continue;
    }
    out.stations[e.station].in_cut = true;
    out.cut.push_back(out.stations[e.station].name);
  }
  return out;
}

}  // namespace

PlantBound capacity_bound(const PlantSpec& plant, CalendarDate start, sim::Time from,
                          sim::Time to) {
  return Bounder(plant, start, from, to).run();
}

}  // namespace takt::models
