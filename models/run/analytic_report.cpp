// A plant is read as a serial line item by item; everything the decomposition cannot represent
// is collected as a reason instead of being approximated away, so that the method refuses a
// plant rather than guessing.
#include "takt/run/analytic_report.hpp"

#include <algorithm>
#include <sstream>

#include "json_writer.hpp"
#include "takt/models/buffer.hpp"
#include "takt/run/report_writer.hpp"
#include "text_format.hpp"

namespace takt::run {

using detail::fixed;
using detail::pad;
using detail::thousands;

namespace {

using Kind = sim::Distribution::Kind;

// Reads one plant into a line, or records why it cannot.
class LineReader {
 public:
  explicit LineReader(AnalyticPlant& plant) : plant_(plant) {}

  std::vector<std::string> reasons;

  void read(const models::PlantSpec& p) {
    if (!p.unlimited_arrivals) reasons.push_back("timed arrivals");
    if (!p.calendar.empty()) reasons.push_back("a shift calendar (" + p.calendar + ")");
    if (!p.ramp_up.empty()) reasons.push_back("a ramp-up");
    if (!p.demand.empty() || !p.orders.empty()) reasons.push_back("demand or orders");
    if (p.storage) reasons.push_back("a storage centre");
    if (p.start_of_production) reasons.push_back("a start of production");
    for (const models::ShopSpec& shop : p.shops) read_shop(shop);
    if (plant_.stations.empty()) reasons.push_back("no stations");
  }

 private:
  void read_shop(const models::ShopSpec& shop) {
    const std::string where = "shop " + shop.name;
    if (shop.is_feeder) reasons.push_back(where + " is a feeder");
    if (shop.lines > 1) reasons.push_back(where + " has parallel line copies");
    if (!shop.loops.empty()) reasons.push_back(where + " has loops");
    if (!shop.ramp_up.empty()) reasons.push_back(where + " has a ramp-up");
    if (!shop.start_of_production.empty()) reasons.push_back(where + " has a start of production");
    for (const models::LineItem& item : shop.line) read_item(item);
  }

  void read_item(const models::LineItem& item) {
    const std::string what = item.name;
    if (!item.routes.empty() || !item.joins.empty())
      reasons.push_back(what + " has routes or joins");
    if (!item.calendar.empty()) reasons.push_back(what + " has a calendar (" + item.calendar + ")");
    if (!item.ramp_up.empty()) reasons.push_back(what + " has a ramp-up");
    if (item.as<models::PacedLineConfig>()) reasons.push_back(what + " is a paced line");
    if (item.as<models::StoreSpec>()) reasons.push_back(what + " is a sequencing store");
    if (const auto* b = item.as<models::BufferSpec>()) read_buffer(item.name, *b);
    if (const auto* st = item.as<models::StationConfig>()) read_station(item.name, *st);
  }

  void read_buffer(const std::string& name, const models::BufferSpec& b) {
    if (b.lose_when_full) reasons.push_back(name + " turns arrivals away");
    // A buffer before the first station comes with timed arrivals, which are refused; the
    // loader refuses two buffers in a row and one after the last station.
    if (plant_.stations.empty()) return;
    if (b.capacity + static_cast<std::size_t>(pending_) >
        static_cast<std::size_t>(models::kDecompositionMaxBuffer)) {
      pending_name_ = name;  // refused unless it comes after the last station
    } else {
      pending_ += static_cast<int>(b.capacity);
    }
    plant_.buffers.back() = name;
  }

  void read_station(const std::string& what, const models::StationConfig& st) {
    if (std::string(st.kind) == "oven") reasons.push_back(what + " is an oven (a fixed time)");
    if (st.lot_size > 0) reasons.push_back(what + " works in lots");
    if (st.has_changeover) reasons.push_back(what + " has product changeovers");
    // The equivalent machine is measured for one and two servers (docs/analytic.md); with a
    // hundred it was 12 % low.
    if (st.servers > 2)
      reasons.push_back(what + " has " + std::to_string(st.servers) + " servers (at most 2)");
    for (const sim::Distribution& c : st.cycle) {
      if (c.kind() != Kind::kExponential)
        reasons.push_back(what + "'s cycle " + c.to_string() + " is not exponential");
      if (c.mean() != st.cycle.front().mean()) reasons.push_back(what + " has a cycle per product");
    }
    models::ExactMachine m;
    m.rate = st.servers * 3600.0 / st.cycle.front().mean();
    double repair_hours = 0;
    for (const models::FailureProfile& f : st.failures) {
      if (f.ttf.kind() != Kind::kExponential || f.ttr.kind() != Kind::kExponential)
        reasons.push_back(what + "'s failure " + f.name + " is not exponential");
      if (f.calendar_basis)
        reasons.push_back(what + "'s failure " + f.name + " counts calendar time");
      if (f.per_server && st.servers > 1) reasons.push_back(what + "'s servers fail one by one");
      const double rate = 3600.0 / f.ttf.mean();
      m.failure_rate += rate;
      repair_hours += rate * f.ttr.mean() / 3600.0;
    }
    if (m.failure_rate > 0) m.repair_rate = m.failure_rate / repair_hours;
    if (!plant_.stations.empty()) {
      if (!pending_name_.empty()) reasons.push_back(pending_name_ + " is unlimited or too large");
      plant_.line.buffers.push_back(pending_);
    }
    // c servers are one machine c times as fast, whose c - 1 other servers, while one holds a
    // finished part that cannot move on, go on working: c - 1 more places after it.
    pending_ = st.servers - 1;
    pending_name_.clear();
    plant_.stations.push_back(what);
    plant_.buffers.emplace_back();
    plant_.line.machines.push_back(m);
  }

  AnalyticPlant& plant_;
  int pending_ = 0;           // places since the last station (its extra servers included)
  std::string pending_name_;  // a buffer too large for the method, if one was seen
};

std::string reasons_text(std::vector<std::string> reasons) {
  // Several variants can repeat one reason: each is said once, in the order first given.
  std::vector<std::string> once;
  for (std::string& r : reasons) {
    if (std::find(once.begin(), once.end(), r) == once.end()) once.push_back(std::move(r));
  }
  reasons = std::move(once);
  std::string out;
  const std::size_t shown = std::min<std::size_t>(reasons.size(), 6);
  for (std::size_t i = 0; i < shown; ++i) out += (i ? "; " : "") + reasons[i];
  if (reasons.size() > shown) out += "; and " + std::to_string(reasons.size() - shown) + " more";
  return out;
}

}  // namespace

std::vector<AnalyticPlant> analyze_lines(const scenario::Scenario& s) {
  std::vector<AnalyticPlant> out;
  std::string refused;
  for (const models::PlantSpec& p : s.plants) {
    AnalyticPlant plant;
    plant.name = p.name;
    plant.capacity = p.capacity;
    LineReader reader(plant);
    reader.read(p);
    if (!reader.reasons.empty()) {
      refused += "\n  " + p.name + ": " + reasons_text(reader.reasons);
      continue;
    }
    plant.buffers.pop_back();  // after the last station: nothing
    try {
      plant.result = models::decompose_line(plant.line);
    } catch (const models::NotConverged& e) {
      refused += "\n  " + p.name + ": " + e.what();
      continue;
    }
    out.push_back(std::move(plant));
  }
  if (!refused.empty()) {
    throw AnalyticRefusal(
        "--method analytic handles serial lines of stations with exponential cycle times and "
        "failures, 24/7, with unlimited arrivals (docs/analytic.md); simulate instead (leave "
        "out --method) for" +
        refused);
  }
  return out;
}

std::string analytic_text(const scenario::Scenario& s, const std::vector<AnalyticPlant>& plants) {
  std::ostringstream out;
  out << "takt " << program_version() << ": analytic answer (line decomposition) for scenario "
      << s.name << " (" << s.file << ")\n"
      << "steady state, no random numbers; its error is measured in docs/analytic.md\n\n"
      << pad("plant", 14, true) << pad("capacity/yr", 12) << pad("annual rate", 13)
      << pad("of capacity", 13) << pad("vehicles/h", 12) << pad("WIP", 9) << pad("passes", 8)
      << "\n";
  for (const AnalyticPlant& p : plants) {
    const double per_hour = p.result.throughput;
    out << pad(p.name, 14, true) << pad(thousands(p.capacity), 12)
        << pad(thousands(per_hour * 8760), 13)
        << pad(p.capacity > 0 ? fixed(100 * per_hour * 8760 / p.capacity, 1) + "%" : "", 13)
        << pad(fixed(per_hour, 2), 12) << pad(fixed(p.result.wip, 1), 9)
        << pad(std::to_string(p.result.iterations), 8) << "\n";
  }
  for (const AnalyticPlant& p : plants) {
    out << "\n"
        << p.name << ": " << pad("station", 20, true) << pad("working", 9) << pad("blocked", 9)
        << pad("starved", 9) << pad("down", 9) << "   buffer after it (mean parts)\n";
    for (std::size_t i = 0; i < p.stations.size(); ++i) {
      const auto& r = p.result;
      out << std::string(p.name.size() + 2, ' ') << pad(p.stations[i], 20, true)
          << pad(fixed(r.working[i], 3), 9) << pad(fixed(r.blocked[i], 3), 9)
          << pad(fixed(r.starved[i], 3), 9) << pad(fixed(r.down[i], 3), 9);
      if (i < r.buffer_level.size()) {
        out << "   " << (p.buffers[i].empty() ? "(direct)" : p.buffers[i]) << " "
            << fixed(r.buffer_level[i], 2) << " of " << p.line.buffers[i];
      }
      out << "\n";
    }
  }
  return out.str();
}

std::string analytic_json(const scenario::Scenario& s, const std::vector<AnalyticPlant>& plants) {
  detail::JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("scenario", s.name)
      .value("method", "analytic")
      .begin_array("plants");
  for (const AnalyticPlant& p : plants) {
    const auto& r = p.result;
    j.begin_object()
        .value("name", p.name)
        .value("capacity", p.capacity)
        .value("throughput_per_hour", r.throughput)
        .value("annual_rate", r.throughput * 8760)
        .value("capacity_ratio", p.capacity > 0 ? r.throughput * 8760 / p.capacity : 0)
        .value("wip", r.wip)
        .integer("passes", r.iterations)
        .begin_array("stations");
    for (std::size_t i = 0; i < p.stations.size(); ++i) {
      j.begin_object()
          .value("name", p.stations[i])
          .value("rate_per_hour", p.line.machines[i].rate)
          .value("working", r.working[i])
          .value("blocked", r.blocked[i])
          .value("starved", r.starved[i])
          .value("down", r.down[i])
          .end_object();
    }
    j.end_array().begin_array("buffers");
    for (std::size_t i = 0; i < r.buffer_level.size(); ++i) {
      j.begin_object()
          .value("name", p.buffers[i])
          .integer("capacity", p.line.buffers[i])
          .value("mean_level", r.buffer_level[i])
          .end_object();
    }
    j.end_array().end_object();
  }
  j.end_array().end_object();
  return j.str();
}

std::string analytic_csv(const std::vector<AnalyticPlant>& plants) {
  std::ostringstream out;
  out << "plant,entity,metric,value,unit\n";
  for (const AnalyticPlant& p : plants) {
    const std::string plant = detail::csv_field(p.name) + ",";
    const auto& r = p.result;
    const auto row = [&](const std::string& entity, const char* metric, double v,
                         const char* unit) {
      out << plant << detail::csv_field(entity) << "," << metric << "," << detail::json_number(v)
          << "," << unit << "\n";
    };
    row("", "throughput_per_hour", r.throughput, "vehicles/h");
    row("", "annual_rate", r.throughput * 8760, "vehicles/yr");
    row("", "wip", r.wip, "vehicles");
    for (std::size_t i = 0; i < p.stations.size(); ++i) {
      row(p.stations[i], "working", r.working[i], "share");
      row(p.stations[i], "blocked", r.blocked[i], "share");
      row(p.stations[i], "starved", r.starved[i], "share");
      row(p.stations[i], "down", r.down[i], "share");
    }
    for (std::size_t i = 0; i < r.buffer_level.size(); ++i) {
      if (!p.buffers[i].empty()) row(p.buffers[i], "mean_level", r.buffer_level[i], "jobs");
    }
  }
  return out.str();
}

}  // namespace takt::run
