// Reads a scenario file into plain specs: the top-level settings, calendars and plants, then
// checks every cross-reference (calendars, route targets, joins) with a suggestion for typos,
// and finally wires each plant once so that layout faults are reported before any run.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "holiday_files.hpp"
#include "input_file.hpp"
#include "key_path.hpp"
#include "readers.hpp"
#include "takt/models/plant.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/scenario/observed.hpp"
#include "takt/scenario/scenario.hpp"
#include "takt/sim/hash.hpp"
#include "takt/sim/interrupt.hpp"

namespace takt::scenario {
namespace {

using detail::Field;
using detail::ItemRefs;
using detail::NameUse;
using limits::equipment_count;
using limits::estimated_events;

void check_names(const std::vector<NameUse>& uses, const std::vector<std::string>& known,
                 const char* what) {
  for (const NameUse& use : uses) {
    if (std::find(known.begin(), known.end(), use.name) != known.end()) continue;
    // Past the errors kept only the count is told: no guess to work out (5,000 stations each
    // joining a name of 5,000 unknown took 18 s).
    const std::string guess = use.where.errors_full() ? "" : closest_match(use.name, known);
    use.where.error(std::string("unknown ") + what + " '" + use.name + "'" +
                    (guess.empty() ? std::string() : " (did you mean '" + guess + "'?)"));
  }
}

// For each join and route read, the index of the shop it was written in.
struct FlowUses {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> join_shop, route_shop;
};

// The flow an item belongs to: -1 for the vehicles' main flow, else its feeder shop's index
// (not its name, which may be missing). Items not found (a typo, told by check_names) have none.
std::optional<long> flow_of(const models::PlantSpec& plant, const std::string& item) {
  for (std::size_t k = 0; k < plant.shops.size(); ++k) {
    const models::ShopSpec& shop = plant.shops[k];
    const auto in = [&item](const std::vector<models::LineItem>& line) {
      return std::any_of(line.begin(), line.end(),
                         [&item](const models::LineItem& i) { return i.name == item; });
    };
    bool found = in(shop.line);
    for (const models::LoopSpec& loop : shop.loops) found = found || in(loop.line);
    if (found) return shop.is_feeder ? static_cast<long>(k) : -1L;
  }
  return std::nullopt;
}

std::string flow_text(const models::PlantSpec& plant, long flow) {
  if (flow < 0) return "the vehicles' flow";
  const std::string& name = plant.shops[static_cast<std::size_t>(flow)].name;
  return name.empty() ? "the feeder shop shops[" + std::to_string(flow) + "]"
                      : "feeder shop '" + name + "'";
}

// A feeder shop's parts reach the vehicles only as a join takes one from the feeder's store
// per job started; a route carries a job on within its own flow. A join of any other buffer
// took vehicles as parts (a negative WIP, or a line that never ran), and a route across
// flows turned parts into vehicles or back (a WIP of 701 with a lead time of 0).
void check_flows(const models::PlantSpec& plant, const ItemRefs& refs, const FlowUses& uses) {
  for (std::size_t j = 0; j < refs.joins.size() && j < uses.join_shop.size(); ++j) {
    if (uses.join_shop[j] == FlowUses::kNone) continue;
    const NameUse& use = refs.joins[j];
    const auto target = flow_of(plant, use.name);
    if (!target) continue;
    const auto& feeder_line = plant.shops[static_cast<std::size_t>(std::max(*target, 0L))].line;
    const bool is_store =
        *target >= 0 && !feeder_line.empty() && feeder_line.back().name == use.name;
    if (!is_store) {
      use.where.error("'" + use.name +
                      "' is not a feeder shop's store: a station joins the store "
                      "at the end of a feeder shop (feeder: true), taking one part per job");
    } else if (static_cast<std::size_t>(*target) == uses.join_shop[j]) {
      use.where.error("'" + use.name +
                      "' is its own feeder shop's store: it is joined from "
                      "another shop");
    }
  }
  for (std::size_t r = 0; r < refs.routes.size() && r < uses.route_shop.size(); ++r) {
    if (uses.route_shop[r] == FlowUses::kNone) continue;
    const NameUse& use = refs.routes[r];
    const std::size_t in = uses.route_shop[r];
    const long from = plant.shops[in].is_feeder ? static_cast<long>(in) : -1L;
    const auto target = flow_of(plant, use.name);
    if (!target || *target == from) continue;
    use.where.error("'" + use.name + "' is in " + flow_text(plant, *target) + ", this route in " +
                    flow_text(plant, from) + ": a route carries a job on within its own flow");
  }
}

// A plant's or a shop's name: text of at most limits::kNameLength characters.
std::string read_name(const Field& f) {
  const std::optional<std::string> text = f.as_string();
  const std::string name = text.value_or("");
  if (text && detail::is_blank(name)) f.error("expected a name");
  if (const std::string problem = detail::name_character_error(name); !problem.empty())
    f.error(problem);
  if (name.size() <= limits::kNameLength) return name;
  f.error("a name has at most " + std::to_string(limits::kNameLength) + " characters, got " +
          std::to_string(name.size()));
  return name.substr(0, limits::kNameLength);
}

// `products: {NAME: SHARE, ...}` (one product "vehicle" when absent) and `product_order`.
void read_products(const Field& f, models::PlantSpec& plant) {
  if (const Field products = f.child("products"); products.is_defined() && products.expect_map()) {
    for (const auto& [name, share] : products.entries()) {
      const auto v = detail::positive(share, share.as_number());
      if (v && *v > limits::kShare) share.error("a product's share is at most 1e9");
      if (detail::is_blank(name)) share.error("a product needs a name, got a blank one");
      if (const std::string problem = detail::name_character_error(name); !problem.empty())
        share.error("the product's name " + problem);
      plant.products.push_back(name);
      plant.mix.push_back(v.value_or(1.0));
    }
    if (plant.products.size() > limits::kProducts) {
      products.error("at most " + std::to_string(limits::kProducts) + " products, got " +
                     std::to_string(plant.products.size()));
    }
  }
  if (plant.products.empty()) {
    plant.products = {"vehicle"};
    plant.mix = {1.0};
  }
  // `random`: each vehicle's product is drawn by the shares; `levelled`: a fixed, evenly
  // spread order by the shares (1:1 gives A, B, A, B, ...), as a levelled schedule releases.
  if (const Field order = f.child("product_order"); order.is_defined()) {
    const std::string rule = order.as_string().value_or("");
    if (rule == "levelled") plant.levelled_mix = true;
    if (rule != "levelled" && rule != "random" && order.is_scalar())
      order.error("expected random or levelled, got " + order.text());
  }
}

// `arrivals`: `unlimited`, a release plan `{per_day: N}` or a distribution of the gaps.
void read_arrivals(const Field& a, models::PlantSpec& plant) {
  if (!a.is_defined() || (a.is_scalar() && a.text() == "unlimited")) return;
  if (!a.is_map()) {
    const auto d = a.as_distribution();
    if (!d) return;
    if (d->mean() < 1e-6) {
      a.error("the time between arrivals must average at least 1 microsecond, got " + a.text());
      return;
    }
    plant.unlimited_arrivals = false;
    plant.interarrival = *d;
    return;
  }
  // A release plan: so many vehicles a day, evenly spaced over the 24 hours.
  a.check_keys({"per_day"});
  const Field per_day = a.require("per_day");
  const auto n = detail::positive(per_day, per_day.as_number());
  if (!n) return;
  // Within these bounds the gap between releases is a whole number of microseconds from one
  // per 100 years down to one per millisecond.
  if (*n < 1.0 / 36500 || *n > 86400000) {
    per_day.error(
        "must be between 0.0000274 (one per 100 years) and 86400000 (one per millisecond), got " +
        per_day.text());
    return;
  }
  plant.unlimited_arrivals = false;
  plant.interarrival = sim::Distribution::constant(86400.0 / *n);
}

// Item names are unique in a plant (routes and joins find items by name): each second use is
// an error. Returns the names, in the order first used.
std::vector<std::string> unique_item_names(const std::vector<NameUse>& names) {
  std::map<std::string, const NameUse*> first_use;
  std::vector<std::string> known;
  for (const NameUse& n : names) {
    const auto [it, fresh] = first_use.emplace(n.name, &n);
    if (fresh) {
      known.push_back(n.name);
      continue;
    }
    const Location first = it->second->where.location(), here = n.where.location();
    // A name an edit gave has no line of its own ("line 0"), and one from another file (a
    // file this one extends) is told with that file's name.
    const std::string at = first.line <= 0 ? "by " + first.file
                           : first.file == here.file
                               ? "at line " + std::to_string(first.line)
                               : "at " + first.file + ":" + std::to_string(first.line);
    n.where.error("the name '" + n.name + "' is already used " + at);
  }
  return known;
}

// `end: 2024-12-31`: the run's last day, inclusive.
std::optional<sim::Time> read_end(const Field& f, models::CalendarDate start) {
  const auto end = f.as_date();
  if (!end) return std::nullopt;
  if (*end < start) {
    f.error("the last day " + end->to_string() + " is before the start " + start.to_string());
    return std::nullopt;
  }
  return sim::Time::days(*end - start + 1);
}

// A whole number of years ("2y") or months ("18mo") is a calendar span: 2y from 2023-01-01
// ends on 2024-12-31, leap day included. Anything else is a duration (a fractional year is
// 365 days).
// `months` calendar months from `start`: the same day of the month later on, or that month's
// last day (31 January + 1mo); nothing past 9999-12-31.
std::optional<sim::Time> calendar_span(models::CalendarDate start, int months) {
  const int index = start.month() - 1 + months;
  const int year = start.year() + index / 12, month = index % 12 + 1;
  if (year > 9999) {
    // Ending on 9999-12-31 itself: the span's day after (10000-01-01) is no date of ours.
    if (year > 10000 || month > 1 || start.day() > 1) return std::nullopt;
    return sim::Time::days((*models::CalendarDate::from_ymd(9999, 12, 31) - start) + 1);
  }
  const int last = models::CalendarDate::days_in_month(year, month);
  // The span ends the day before the same day of the month; where the month has no such day
  // (a month from the 31st into April), it ends on the month's last day, which it includes.
  if (start.day() > last) {
    return sim::Time::days(*models::CalendarDate::from_ymd(year, month, last) + 1 - start);
  }
  return sim::Time::days(*models::CalendarDate::from_ymd(year, month, start.day()) - start);
}

// "2y" or "18mo": a whole number of calendar years or months, whose length depends on the start.
bool is_calendar_span(const Field& f) {
  if (!f.is_scalar()) return false;
  const std::string text = f.text();
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  return digits > 0 && digits <= 4 && (unit == "y" || unit == "mo");
}

std::optional<sim::Time> read_horizon(const Field& f, models::CalendarDate start) {
  const std::string text = f.text();
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  const bool months = text.size() > 2 && text.compare(text.size() - 2, 2, "mo") == 0;
  if (f.is_scalar() && months && text.front() == '-') {
    f.error("must be positive, got " + text);
    return std::nullopt;
  }
  if (f.is_scalar() && months && unit == "mo" && digits > 4) {
    f.error("must be at most " + std::to_string(limits::kHorizonYears) + "y, got " + text);
    return std::nullopt;
  }
  if (f.is_scalar() && months && (digits == 0 || unit != "mo")) {
    // Durations know no months (their length varies): say what the horizon takes instead of
    // listing the units of a duration, which leave months out.
    f.error("a horizon in months is a whole number of them, like 18mo, got " + text +
            "; give part of a month in days, like 45d");
    return std::nullopt;
  }
  if (!is_calendar_span(f)) return detail::positive(f, f.as_duration());
  const int n = std::stoi(text.substr(0, digits));
  if (n == 0) {
    f.error("must be positive, got " + text);
    return std::nullopt;
  }
  const std::optional<sim::Time> span = calendar_span(start, unit == "y" ? 12 * n : n);
  if (!span) f.error("the run would end after 9999-12-31");
  return span;
}

// A shop's start of production: one date, or a list of one date per line copy.
std::vector<models::CalendarDate> read_start_of_production(const Field& f, int lines) {
  std::vector<models::CalendarDate> dates;
  if (!f.is_defined()) return dates;
  if (!f.is_list()) {
    if (const auto d = f.as_date()) dates.push_back(*d);
    return dates;
  }
  for (const Field& d : f.items()) {
    if (const auto date = d.as_date()) dates.push_back(*date);
  }
  if (f.node().size() != static_cast<std::size_t>(lines)) {
    f.error("give one date for the shop or one per line copy (" + std::to_string(lines) +
            "), got " + std::to_string(f.node().size()));
    return {};
  }
  return dates;
}

class Loader {
 public:
  Loader(const std::string& file, Diagnostics& diagnostics, detail::HolidayFiles& holidays)
      : file_(file), diag_(diagnostics), holidays_(holidays) {}

  void read(const Field& root, Scenario& s);

 private:
  void read_settings(const Field& root, Scenario& s);
  void warn_cut_order_months(const Field& root, Scenario& s);
  void warn_orders_outside_run(const Field& root, Scenario& s);
  void read_run_counts(const Field& root, Scenario& s);
  void read_prices(const Field& f, const Field& plants, Scenario& s);
  std::optional<models::PlantSpec> read_plant(const Field& f, const Scenario& s);
  std::optional<models::ShopSpec> read_shop(const Field& f, const models::PlantSpec& plant,
                                            ItemRefs& refs, std::vector<NameUse>& names);
  std::vector<models::LineItem> read_line(const Field& f, const models::PlantSpec& plant,
                                          ItemRefs& refs, std::vector<NameUse>& names,
                                          const std::optional<models::CalendarDate>& start);
  void check_layout(const Field& f, const models::PlantSpec& plant, const Scenario& s,
                    const std::vector<NameUse>& names);
  bool check_size(const Field& f, const models::PlantSpec& plant, const Scenario& s);

  const std::string& file_;
  Diagnostics& diag_;
  detail::HolidayFiles& holidays_;
  std::vector<std::string> calendar_names_{"none"};
  std::vector<models::NamedCalendar> calendars_;
  // The horizon was read without error, and its length does not depend on a start that
  // failed to read. Only then are the warm-up and the events a replication needs judged
  // against it: against the default horizon they would report mistakes nobody made.
  bool horizon_known_ = false;
};

void Loader::read(const Field& root, Scenario& s) {
  root.check_keys({"scenario", "description", "start", "horizon", "end", "warmup", "replications",
                   "precision", "seed", "stop_after", "calendars", "prices", "plants"});
  read_settings(root, s);
  std::vector<Diagnostic> warnings;
  const detail::CalendarContext context{s.start, s.last_day(), holidays_, warnings};
  if (const Field cals = root.child("calendars"); cals.is_defined() && cals.expect_map()) {
    for (const auto& [name, value] : cals.entries()) {
      calendar_names_.push_back(name);
      if (const std::string problem = detail::name_character_error(name); !problem.empty())
        value.error("the calendar's name " + problem);
      auto c = detail::read_calendar(value, context);
      if (!c) continue;
      // A run inside a holiday is fine; a calendar that works on no day of a whole year has no
      // workdays or no shifts, and every station that follows it would build nothing.
      if (c->working_time(sim::Time::zero(), sim::max(s.horizon, sim::Time::days(366))) ==
          sim::Time::zero()) {
        value.error(
            "never works (no shift starts on any day of a year): give it workdays and shifts");
      }
      calendars_.push_back({name, std::move(*c)});
    }
  }
  for (const Diagnostic& w : warnings) s.warnings.push_back(w.to_warning());
  std::set<std::string> plant_names;
  for (const Field& p : root.require("plants").items()) {
    // The name as written, checked for a repeat even when the plant has errors of its own:
    // else the repeat would be told only in a second round, once they are fixed.
    const Field name = p.child("name");
    const std::string written = p.is_map() && name.is_scalar() ? name.node().Scalar() : "";
    const bool repeated = !written.empty() && !plant_names.insert(written).second;
    if (repeated) name.error("a plant named '" + written + "' is already defined");
    const auto plant = read_plant(p, s);
    if (!plant || repeated) continue;
    if (plant->name == kAllPlants) {
      p.child("name").error("'" + kAllPlants +
                            "' is reserved: observed files and fit.csv use it for every plant "
                            "together; give the plant another name");
      continue;
    }
    s.plants.push_back(*plant);
  }
  if (root.child("plants").is_list() && root.child("plants").node().size() == 0) {
    root.child("plants").error("expected at least one plant");
  }
  if (s.plants.size() > limits::kPlants) {
    root.child("plants").error("at most " + std::to_string(limits::kPlants) + " plants, got " +
                               std::to_string(s.plants.size()));
  }
  read_prices(root.child("prices"), root.child("plants"), s);
  warn_cut_order_months(root, s);
  warn_orders_outside_run(root, s);
  // Under a precision rule the most it may run is its maximum, which must fit as a count does.
  const Field rule = root.child("precision");
  const int most = s.precision ? s.precision->max : s.replications;
  if (const std::string too_big = check_run_size(s, most); !too_big.empty()) {
    if (!s.precision) {
      (root.child("replications").is_defined() ? root.child("replications") : root).error(too_big);
    } else {
      (rule.child("max").is_defined() ? rule.child("max")
       : rule.is_defined()            ? rule
                                      : root)
          .error("the maximum count: " + too_big);
    }
  }
}

// A month the run starts or ends inside counts its output, nameplate and hours to the run's
// edge, but its orders whole: its backlog (or lost orders) then holds orders for days outside
// the run. Told once for each edge that cuts a month with orders.
void Loader::warn_cut_order_months(const Field& root, Scenario& s) {
  const models::CalendarDate last = s.last_day();
  const auto same_month = [](models::CalendarDate a, models::CalendarDate b) {
    return a.year() == b.year() && a.month() == b.month();
  };
  for (const bool at_end : {false, true}) {
    const models::CalendarDate day = at_end ? last : s.start;
    const bool cut = at_end
                         ? day.day() != models::CalendarDate::days_in_month(day.year(), day.month())
                         : day.day() != 1;
    if (!cut) continue;
    std::string ordered;
    for (const models::PlantSpec& plant : s.plants) {
      for (const models::OrderMonth& o : plant.orders) {
        if (o.vehicles == 0 || !same_month(o.month, day)) continue;
        ordered += (ordered.empty() ? "" : ", ") + plant.name + " " + std::to_string(o.vehicles);
      }
    }
    if (ordered.empty()) continue;
    const Field edge = !at_end                          ? root.child("start")
                       : root.child("end").is_defined() ? root.child("end")
                                                        : root.child("horizon");
    s.warnings.push_back(Diagnostic{
        edge.location(), edge.path(),
        std::string("the run ") + (at_end ? "ends" : "starts") + " inside " +
            day.to_string().substr(0, 7) + ", a month with orders (" + ordered +
            "): its output counts only its days in the run, its orders whole, so "
            "its backlog and lost orders include orders for days outside the run; " +
            (at_end ? "end the run at a month's end" : "start the run on a month's first day")}
                             .to_warning());
  }
}

// Orders for months before the run count nowhere: the run's backlog starts empty, so a plan's
// earlier months are not carried into it. A planner who starts the run after a plan's first
// months is told how many vehicles that leaves out rather than seeing them vanish; and one whose
// plan the run does not reach at all (every month after it) is told so too.
void Loader::warn_orders_outside_run(const Field& root, Scenario& s) {
  const auto month_index = [](models::CalendarDate d) { return d.year() * 12 + d.month(); };
  const int first = month_index(s.start), last = month_index(s.last_day());
  for (const Field& p : root.child("plants").items()) {
    const std::string name = p.child("name").as_string().value_or("");
    const auto plant = std::find_if(s.plants.begin(), s.plants.end(),
                                    [&](const models::PlantSpec& x) { return x.name == name; });
    if (plant == s.plants.end() || !p.child("orders").is_defined()) continue;
    std::uint64_t before = 0, after = 0;
    bool inside = false;  // some month of the plan (even one of 0 vehicles) is in the run
    for (const models::OrderMonth& o : plant->orders) {
      const int m = month_index(o.month);
      if (m < first) before += o.vehicles;
      if (m > last) after += o.vehicles;
      inside = inside || (m >= first && m <= last);
    }
    // Later months are only news when the run reaches none of the plan: a run of the plan's
    // first months is the usual way to look at them.
    if (inside) after = 0;
    const auto tell = [&](std::uint64_t n, const std::string& what) {
      if (n == 0) return;
      s.warnings.push_back(
          Diagnostic{p.child("orders").location(), p.child("orders").path(),
                     std::to_string(n) + " vehicles are ordered for months " + what}
              .to_warning());
    };
    tell(before, "before the run starts in " + s.start.to_string().substr(0, 7) +
                     ": the run counts none of them, not even as backlog, which starts empty");
    tell(after, "after the run ends in " + s.last_day().to_string().substr(0, 7) +
                    ": the run does not reach them");
  }
}

void Loader::read_settings(const Field& root, Scenario& s) {
  s.name = read_name(root.require("scenario"));
  s.description = root.child("description").as_string().value_or("");
  const std::optional<models::CalendarDate> start = root.require("start").as_date();
  if (start) s.start = *start;
  // An edit of either replaces the other (key_path.cpp); a file that extends another may give
  // one where the other gave the other, and the file's own wins; both in one place is a
  // mistake.
  const Field end = root.child("end"), horizon = root.child("horizon");
  bool by_end = end.is_defined();
  if (by_end && horizon.is_defined()) {
    const bool end_edited = end.location().file != file_;
    if (end_edited == (horizon.location().file != file_)) {
      end.error("give the run's length as horizon or its last day as end, not both");
    }
    by_end = end_edited;
  }
  const Field length = by_end ? end : root.require("horizon");
  // Without a start, a last day or a span of calendar months has no known length.
  horizon_known_ = start || (!by_end && !is_calendar_span(length));
  if (by_end && !start) {
    // Measured from the default start, a good last day would be called too far off or too
    // early. Only its being a date is checked.
    end.as_date();
    return read_run_counts(root, s);
  }
  const auto h = by_end ? read_end(end, s.start) : read_horizon(length, s.start);
  if (!h) {
    horizon_known_ = false;
    return read_run_counts(root, s);
  }
  s.horizon = *h;
  // The limit is 100 calendar years from the start, as `horizon: 100y` reads: 36,600 days
  // was once let through although it is more.
  const std::optional<sim::Time> limit = calendar_span(s.start, 12 * limits::kHorizonYears);
  if (limit && *h > *limit) {
    length.error("must be at most " + std::to_string(limits::kHorizonYears) + "y, got " +
                 length.text());
  } else if (s.last_day() > *models::CalendarDate::from_ymd(9999, 12, 31)) {
    length.error("the run would end after 9999-12-31");
  }
  read_run_counts(root, s);
}

void Loader::read_run_counts(const Field& root, Scenario& s) {
  if (const Field w = root.child("warmup"); w.is_defined()) {
    if (const auto warmup = detail::non_negative(w, w.as_duration())) {
      s.warmup = *warmup;
      if (horizon_known_ && s.warmup >= s.horizon) w.error("must be shorter than the horizon");
    }
  }
  if (const Field r = root.child("replications"); r.is_defined()) {
    if (const auto n = detail::positive(r, r.as_integer())) {
      if (*n > limits::kReplications)
        r.error("must be at most " + std::to_string(limits::kReplications) + ", got " + r.text());
      s.replications = static_cast<int>(std::min<std::int64_t>(*n, limits::kReplications));
    }
  }
  if (const Field p = root.child("precision"); p.is_defined()) {
    s.precision = detail::read_precision(p);
    s.precision_warning = detail::precision_warning(p);
    if (!s.precision_warning.empty()) s.warnings.push_back(s.precision_warning);
  }
  if (const Field stop = root.child("stop_after"); stop.is_defined()) {
    s.stop_after =
        static_cast<std::uint64_t>(detail::positive(stop, stop.as_integer()).value_or(0));
  }
  if (const Field seed = root.child("seed"); seed.is_defined()) {
    if (const auto v = detail::non_negative(seed, seed.as_integer()))
      s.seed = static_cast<std::uint64_t>(*v);
  }
}

// A vehicle storage centre: make to stock against the plant's order plan.
std::optional<models::StorageSpec> read_storage(const Field& f, bool has_orders) {
  if (!f.is_defined() || !f.expect_map()) return std::nullopt;
  f.check_keys({"capacity", "initial"});
  models::StorageSpec store;
  const Field cap = f.require("capacity");
  const auto capacity = detail::positive(cap, cap.as_integer());
  if (capacity && *capacity > limits::kOrderedPerMonth) {
    cap.error("must be at most " + std::to_string(limits::kOrderedPerMonth) + ", got " +
              cap.text());
  }
  store.capacity = static_cast<std::uint64_t>(capacity.value_or(1));
  if (const Field initial = f.child("initial"); initial.is_defined()) {
    store.initial =
        static_cast<std::uint64_t>(detail::non_negative(initial, initial.as_integer()).value_or(0));
    if (capacity && store.initial > store.capacity) {
      initial.error("the opening stock (" + initial.text() + ") exceeds the capacity (" +
                    cap.text() + ")");
    }
  }
  if (!has_orders) {
    f.error(
        "a storage centre ships against an order plan: give the plant orders (without them "
        "nothing ships, and the full store stops the line)");
  }
  return store;
}

bool uses_calendar(const models::PlantSpec& plant, const std::string& name) {
  for (const models::ShopSpec& shop : plant.shops) {
    for (const models::LineItem& i : shop.line) {
      if (i.calendar == name) return true;
    }
    for (const models::LoopSpec& loop : shop.loops) {
      for (const models::LineItem& i : loop.line) {
        if (i.calendar == name) return true;
      }
    }
  }
  return false;
}

// `prices: {PRODUCT: yuan, ...}` for every product any plant builds, or for none.
void Loader::read_prices(const Field& f, const Field& plants, Scenario& s) {
  if (!f.is_defined() || !f.expect_map()) return;
  // From the file, so that a plant with an error elsewhere still names its products.
  std::vector<std::string> built;
  for (const Field& p : plants.items()) {
    std::vector<std::string> names;
    if (p.child("products").is_map()) {
      for (const auto& entry : p.child("products").entries()) names.push_back(entry.first);
    }
    if (names.empty()) names.push_back("vehicle");
    for (const std::string& product : names) {
      if (std::find(built.begin(), built.end(), product) == built.end()) built.push_back(product);
    }
  }
  std::map<std::string, double> price;
  for (const auto& [product, value] : f.entries()) {
    if (std::find(built.begin(), built.end(), product) == built.end()) {
      const std::string guess = closest_match(product, built);
      value.error("no plant builds a product '" + product + "'" +
                  (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
      continue;
    }
    const auto yuan = detail::positive(value, value.as_number());
    if (yuan && *yuan > limits::kPrice) {
      value.error("a price is at most 1e9 yuan");
      continue;
    }
    if (yuan) price[product] = *yuan;
  }
  for (models::PlantSpec& p : s.plants) {
    for (const std::string& product : p.products) {
      if (price.count(product) == 0) {
        if (std::find(built.begin(), built.end(), product) != built.end() && !diag_.has_errors())
          f.error("no price for " + product + " (built by " + p.name + "): give every product one");
        p.prices.clear();
        break;
      }
      p.prices.push_back(price[product]);
    }
  }
}

std::optional<models::PlantSpec> Loader::read_plant(const Field& f, const Scenario& s) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"name", "capacity", "calendar", "products", "product_order", "arrivals", "demand",
                "ramp_up", "shops", "start_of_production", "orders", "backlog", "storage",
                "investment"});
  const std::size_t errors_before = diag_.count();
  models::PlantSpec plant;
  plant.name = read_name(f.require("name"));
  plant.capacity =
      detail::positive(f.require("capacity"), f.require("capacity").as_number()).value_or(0);
  if (plant.capacity > 0 &&
      (plant.capacity < limits::kMinCapacity || plant.capacity > limits::kMaxCapacity))
    f.require("capacity").error("a plant's capacity is 1 to 1e9 vehicles a year");
  ItemRefs refs;
  if (const Field cal = f.child("calendar"); cal.is_defined()) {
    plant.calendar = cal.as_string().value_or("");
    refs.calendars.push_back({plant.calendar, cal});
  }
  read_products(f, plant);
  if (const Field inv = f.child("investment"); inv.is_defined()) {
    plant.investment = detail::positive(inv, inv.as_number());
    if (plant.investment && *plant.investment > limits::kInvestment) {
      inv.error("an investment is at most 1e14 yuan");
      plant.investment.reset();
    }
  }
  read_arrivals(f.child("arrivals"), plant);
  if (const Field sop = f.child("start_of_production"); sop.is_defined()) {
    plant.start_of_production = sop.as_date();
  }
  // A shop's own start does not start the plant's ramp: that one counts from the plant's.
  plant.ramp_up = detail::read_ramp_up(f.child("ramp_up"), plant.start_of_production, "the plant");
  plant.demand = detail::read_demand(f.child("demand"));
  plant.orders = detail::read_orders(f.child("orders"), plant.products, diag_);
  if (const Field b = f.child("backlog"); b.is_defined()) {
    plant.backlog = b.as_bool().value_or(true);
    if (!f.child("orders").is_defined()) b.error("backlog applies to an order plan: give orders");
  }
  plant.storage = read_storage(f.child("storage"), !plant.orders.empty());
  if (plant.storage && !plant.orders.empty() && !plant.orders.front().by_product.empty()) {
    f.child("storage").error(
        "a storage centre ships against orders as totals: orders by "
        "product are for a plant that makes to order");
  }
  if (!plant.orders.empty() && !plant.demand.empty()) {
    f.child("orders").error("give an order plan or a demand cap, not both");
  }
  if (!plant.orders.empty() && !plant.unlimited_arrivals) {
    f.child("orders").error(
        "an order plan paces an unlimited supply; with timed arrivals, set their rate instead");
  }
  if (!plant.demand.empty() && !plant.unlimited_arrivals) {
    f.child("demand").error(
        "a demand cap limits an unlimited supply; with timed arrivals, set their rate instead");
  }
  std::vector<NameUse> names;
  std::set<std::string> shop_names;
  FlowUses flows;
  for (const Field& shop : f.require("shops").items()) {
    auto spec = read_shop(shop, plant, refs, names);
    // The joins and routes just read are this shop's (none, if it could not be read).
    const std::size_t shop_index = spec ? plant.shops.size() : FlowUses::kNone;
    flows.join_shop.resize(refs.joins.size(), shop_index);
    flows.route_shop.resize(refs.routes.size(), shop_index);
    if (!spec) continue;
    if (!shop_names.insert(spec->name).second) {
      shop.child("name").error("a shop named '" + spec->name + "' is already defined");
    }
    plant.shops.push_back(std::move(*spec));
  }
  check_names(refs.targets, unique_item_names(names), "station or buffer");
  check_flows(plant, refs, flows);
  check_names(refs.calendars, calendar_names_, "calendar");
  for (const models::NamedCalendar& c : calendars_) plant.calendars.push_back(c);
  if (plant.calendar == "none") plant.calendar.clear();
  // An item's `calendar: none` (24/7 on a plant with a calendar) names a calendar too.
  if (uses_calendar(plant, "none"))
    plant.calendars.push_back({"none", models::ShiftCalendar::always()});
  if (diag_.count() != errors_before) return std::nullopt;
  if (!check_size(f, plant, s)) return std::nullopt;
  // An error in the settings, a calendar or another plant is no reason to leave this one's
  // layout unchecked: its fault would come in a second round (check_layout stands in for what
  // is missing).
  check_layout(f, plant, s, names);
  return plant;
}

std::optional<models::ShopSpec> Loader::read_shop(const Field& f, const models::PlantSpec& plant,
                                                  ItemRefs& refs, std::vector<NameUse>& names) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"name", "lines", "feeder", "line", "loops", "ramp_up", "start_of_production"});
  models::ShopSpec shop;
  shop.name = read_name(f.require("name"));
  if (const Field lines = f.child("lines"); lines.is_defined()) {
    shop.lines = detail::read_count(lines, limits::kLinesPerShop).value_or(1);
  }
  if (const Field feeder = f.child("feeder"); feeder.is_defined()) {
    shop.is_feeder = feeder.as_bool().value_or(false);
  }
  shop.start_of_production = read_start_of_production(f.child("start_of_production"), shop.lines);
  std::optional<models::CalendarDate> first = plant.start_of_production;
  if (!shop.start_of_production.empty()) {
    first = *std::min_element(shop.start_of_production.begin(), shop.start_of_production.end());
  }
  shop.ramp_up = detail::read_ramp_up(f.child("ramp_up"), first, "the plant or shop");
  shop.line = read_line(f.require("line"), plant, refs, names, first);
  if (f.child("line").is_list() && f.child("line").node().size() == 0) {
    f.child("line").error("expected at least one station");
  }
  for (const Field& loop : f.child("loops").items({"to"})) {
    if (!loop.expect_map()) continue;
    loop.check_keys({"line", "to"});
    models::LoopSpec spec;
    spec.line = read_line(loop.require("line"), plant, refs, names, first);
    const bool has_station = std::any_of(spec.line.begin(), spec.line.end(),
                                         [](const models::LineItem& i) { return !i.is_storage(); });
    if (loop.child("line").is_list() && !has_station)
      loop.child("line").error("a loop needs at least one station");
    if (const auto to = loop.require("to").as_string()) {
      spec.to = *to;
      refs.targets.push_back({*to, loop.child("to")});
      refs.routes.push_back({*to, loop.child("to")});
    }
    shop.loops.push_back(std::move(spec));
  }
  return shop;
}

std::vector<models::LineItem> Loader::read_line(const Field& f, const models::PlantSpec& plant,
                                                ItemRefs& refs, std::vector<NameUse>& names,
                                                const std::optional<models::CalendarDate>& start) {
  std::vector<models::LineItem> items;
  for (const Field& item : f.items(detail::item_kinds())) {
    // Reading the largest files takes minutes: Ctrl-C stops it here, as it stops a run.
    if (sim::is_interrupt_requested()) throw sim::Interrupted();
    auto spec = detail::read_item(item, plant.products, refs, start);
    if (!spec) continue;
    for (const std::string_view kind : detail::item_kinds()) {
      if (item.child(kind).is_defined()) names.push_back({spec->name, item.child(kind)});
    }
    items.push_back(std::move(*spec));
  }
  return items;
}

// Before anything is built: the equipment a plant would hold (parallel copies counted) and
// the events a replication would need, each against its limit.
bool Loader::check_size(const Field& f, const models::PlantSpec& plant, const Scenario& s) {
  const std::size_t items = equipment_count(plant);
  if (items > limits::kEquipmentPerPlant) {
    f.error(
        "has " + std::to_string(items) +
        " stations, ovens, paced lines and buffers (parallel copies and servers that fail alone "
        "counted); the limit is " +
        std::to_string(limits::kEquipmentPerPlant));
    return false;
  }
  const double events = estimated_events(plant, s.horizon);
  if (horizon_known_ && events > limits::kEventsPerReplication) {
    char text[160];
    std::snprintf(
        text, sizeof text,
        "would need about %.2g events per replication (the limit is %.0g, about half an hour); "
        "lengthen its cycle times or shorten the horizon",
        events, limits::kEventsPerReplication);
    f.error(text);
    return false;
  }
  return true;
}

// Wires the plant once with a zero horizon: the builder's topology checks (a buffer with no
// station to empty it, a loop without an exit) are reported at the item at fault where the
// builder names one, else at the plant. A calendar with some errors of its own is left out
// of calendars_: the wiring gets a stand-in that always works, so that it tells the layout's
// faults and not that calendar's again in other words. (A start with an error has kept its
// default, a date like any other.)
void Loader::check_layout(const Field& f, const models::PlantSpec& plant, const Scenario& s,
                          const std::vector<NameUse>& names) {
  std::optional<models::PlantSpec> stood_in;
  for (const std::string& name : calendar_names_) {
    const auto& have = plant.calendars;
    const auto named = [&](const models::NamedCalendar& c) { return c.name == name; };
    // ("none" is there if the plant uses it: read_plant added it.)
    if (name == "none" || std::any_of(have.begin(), have.end(), named)) continue;
    if (!stood_in) stood_in = plant;
    stood_in->calendars.push_back({name, models::ShiftCalendar::always()});
  }
  try {
    models::RunSettings run;
    run.start = s.start;
    run.horizon = sim::Time::ticks(1);
    models::Plant wired(stood_in ? *stood_in : plant, run);
  } catch (const models::ModelError& e) {
    for (const NameUse& use : names) {
      if (e.item().empty() || use.name != e.item()) continue;
      use.where.error(e.what());
      return;
    }
    f.error(e.what());  // the message alone: the plant is the field's own
  }
}

}  // namespace

namespace {

std::string read_text(const std::filesystem::path& path) {
  Diagnostics d;
  const std::optional<std::string> text = detail::read_input_file(path, d, {path.string(), 0, 0});
  d.throw_if_errors();
  return *text;
}

Scenario load(const std::string& text, const std::string& file, const std::vector<Edit>& edits,
              int depth);

// `extends: base.yaml` with `overrides: [KEY.PATH=VALUE, ...]`: a variant of another scenario
// file (a third shift, a bigger PBS) without copying it. The base path is relative to `file`.
Scenario load_variant(const Field& root, const std::string& text, const std::string& file,
                      const std::vector<Edit>& edits, int depth, Diagnostics& d) {
  root.check_keys({"extends", "scenario", "description", "overrides"});
  const auto base = root.require("extends").as_string();
  std::vector<Edit> all;
  for (const Field& o : root.child("overrides").items()) {
    if (const auto expression = o.as_string()) all.push_back({*expression, o.location()});
  }
  if (depth > 8) root.child("extends").error("more than 8 levels of extends (a cycle?)");
  d.throw_if_errors();
  all.insert(all.end(), edits.begin(), edits.end());
  const auto base_path = std::filesystem::path(file).parent_path() / *base;
  const std::optional<std::string> base_text =
      detail::read_input_file(base_path, d, root.child("extends").location(), "extends");
  d.throw_if_errors();
  Scenario s = load(*base_text, base_path.string(), all, depth + 1);
  s.file = file;
  s.hash = sim::fnv1a_hex(text + "\n" + s.hash);
  if (const auto name = root.child("scenario").as_string()) s.name = *name;
  if (const auto about = root.child("description").as_string()) s.description = *about;
  return s;
}

// Each plant's node written out, with what outside it a plant may name or use: the
// calendars, the prices, the holiday files' texts and the start; and its order plan as read,
// since an order file named by the same path may hold other orders in another folder.
// An override written in a file tags the nodes it made with that file's path and its line,
// for errors (detail::set_tag); the hashes must not see those, or a run id would change with
// the folder takt runs from and with a comment added above an override. Each such tag becomes
// the plain one a command-line edit leaves.
void forget_origins(YAML::Node node) {
  if (node.Tag() != detail::kSetTag && detail::set_origin(node.Tag())) node.SetTag(detail::kSetTag);
  if (node.IsSequence()) {
    for (YAML::Node item : node) forget_origins(item);
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      forget_origins(it->first);
      forget_origins(it->second);
    }
  }
}

// `tree` as the hashes read it: a copy without the origins of file-written overrides.
YAML::Node hashable(const YAML::Node& tree) {
  YAML::Node copy = YAML::Clone(tree);
  forget_origins(copy);
  return copy;
}

std::vector<std::string> plant_hashes(const YAML::Node& tree, const std::string& holidays,
                                      const Scenario& s) {
  std::vector<std::string> out;
  const YAML::Node plants = tree["plants"];
  if (!plants || !plants.IsSequence()) return out;
  YAML::Emitter shared;
  shared << YAML::BeginSeq << tree["calendars"] << tree["prices"] << YAML::EndSeq;
  const std::string common =
      std::string(shared.c_str()) + "\n" + holidays + "\nstart " + s.start.to_string();
  std::size_t index = 0;
  for (const YAML::Node& plant : plants) {
    YAML::Emitter e;
    e << plant;
    std::string orders;
    if (index < s.plants.size()) {
      for (const models::OrderMonth& m : s.plants[index].orders) {
        orders += m.month.to_string() + " " + std::to_string(m.vehicles);
        for (const std::uint64_t n : m.by_product) orders += " " + std::to_string(n);
        orders += "\n";
      }
    }
    out.push_back(sim::fnv1a_hex(std::string(e.c_str()) + "\n" + common + "\norders\n" + orders));
    ++index;
  }
  return out;
}

// The tree load() reads, without reading it: a variant's base with the variant's overrides
// and then `edits` made.
std::optional<YAML::Node> resolved_tree(const std::string& text, const std::string& file,
                                        const std::vector<Edit>& edits, int depth, Diagnostics& d) {
  const auto root = detail::load_yaml(text, file, d);
  if (!root) return std::nullopt;
  if (!(*root)["extends"]) return detail::apply_edits(*root, edits, d);
  const Field f(*root, "", &file, &d);
  const auto base = f.require("extends").as_string();
  std::vector<Edit> all;
  for (const Field& o : f.child("overrides").items()) {
    if (const auto expression = o.as_string()) all.push_back({*expression, o.location()});
  }
  if (!base || depth > 8) return std::nullopt;
  all.insert(all.end(), edits.begin(), edits.end());
  const auto base_path = std::filesystem::path(file).parent_path() / *base;
  const auto base_text = detail::read_input_file(base_path, d, f.child("extends").location());
  if (!base_text) return std::nullopt;
  return resolved_tree(*base_text, base_path.string(), all, depth + 1, d);
}

Scenario load(const std::string& text, const std::string& file, const std::vector<Edit>& edits,
              int depth) {
  Diagnostics diagnostics;
  Scenario s;
  s.file = file;
  std::string hashed = text;
  for (const Edit& e : edits) hashed += "\n--set " + e.expression;
  s.hash = sim::fnv1a_hex(hashed);
  auto root = detail::load_yaml(text, file, diagnostics);
  if (root && (*root)["extends"]) {
    return load_variant(Field(*root, "", &file, &diagnostics), text, file, edits, depth,
                        diagnostics);
  }
  if (root) {
    const YAML::Node tree = detail::apply_edits(*root, edits, diagnostics);
    detail::HolidayFiles holidays(diagnostics);
    Loader(file, diagnostics, holidays).read(Field(tree, "", &file, &diagnostics), s);
    // The tree as edited, written out again: comments and layout no longer count; the holiday
    // files it names do.
    const YAML::Node hashed_tree = hashable(tree);
    YAML::Emitter resolved;
    resolved << hashed_tree;
    s.resolved_hash = sim::fnv1a_hex(std::string(resolved.c_str()) + holidays.texts());
    s.plant_hashes = plant_hashes(hashed_tree, holidays.texts(), s);
  }
  diagnostics.throw_if_errors();
  return s;
}

}  // namespace

Scenario load_scenario(const std::string& text, const std::string& file,
                       const std::vector<std::string>& overrides) {
  std::vector<Edit> edits;
  for (const std::string& o : overrides) edits.push_back({o});
  return load_scenario_edited(text, file, edits);
}

Scenario load_scenario_edited(const std::string& text, const std::string& file,
                              const std::vector<Edit>& edits) {
  Scenario s = load(text, file, edits, 0);
  for (const Edit& e : edits) s.edits.push_back(e.expression);
  return s;
}

std::string plant_run_key(const Scenario& s, std::size_t plant, std::size_t replication) {
  if (plant >= s.plant_hashes.size()) return "";  // not read from a file: never alike
  return s.plant_hashes[plant] + " plant " + std::to_string(plant) + " horizon " +
         std::to_string(s.horizon.count()) + " warmup " + std::to_string(s.warmup.count()) +
         " seed " + std::to_string(s.seed) + " stop " + std::to_string(s.stop_after) + " rep " +
         std::to_string(replication);
}

std::optional<std::string> value_at(const std::string& text, const std::string& file,
                                    const std::vector<Edit>& edits, const std::string& key) {
  Diagnostics d;
  const auto set = detail::parse_set_override(key + "=0", d);
  const auto tree = resolved_tree(text, file, edits, 0, d);
  d.throw_if_errors();
  if (!set || !tree) return std::string();
  const auto node = detail::node_at(*tree, set->path);
  if (!node || node->IsNull()) return std::string();
  if (!node->IsScalar()) return std::nullopt;
  return node->Scalar();
}

std::vector<std::string> canonical_keys(const std::string& text, const std::string& file,
                                        const std::vector<Edit>& edits,
                                        const std::vector<std::string>& keys) {
  Diagnostics d;
  const auto tree = resolved_tree(text, file, edits, 0, d);
  d.throw_if_errors();
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    Diagnostics ignored;  // a key that does not parse stays as written; its own check says why
    const auto set = detail::parse_set_override(key + "=0", ignored);
    std::string canonical = set && tree ? detail::canonical_path(*tree, set->path) : key;
    // The run's length, however it is given: an edit of one replaces the other.
    if (canonical == "end") canonical = "horizon";
    out.push_back(canonical);
  }
  return out;
}

bool replaces(const std::string& later, const std::string& earlier) {
  if (earlier.compare(0, later.size(), later) != 0) return false;
  if (earlier.size() == later.size()) return true;
  const char next = earlier[later.size()];
  return next == '.' || next == '[';
}

Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides) {
  return load_scenario(read_text(path), path.string(), overrides);
}

}  // namespace takt::scenario
