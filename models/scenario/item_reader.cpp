// Reads one entry of a shop's line: a station, a buffer, an oven or a paced line, with its
// cycle times, failures, press lots, routes and joins.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string_view>

#include "readers.hpp"
#include "takt/models/buffer.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/utf8.hpp"

namespace takt::scenario::detail {
namespace {

using models::LineItem;

// `capacity: 40` or `capacity: unlimited`.
std::optional<std::size_t> read_capacity(const Field& f) {
  if (f.is_scalar() && f.text() == "unlimited") return models::Buffer::kUnlimited;
  const auto n = non_negative(f, f.as_integer());
  if (!n) return std::nullopt;
  if (*n > limits::kBufferCapacity) {
    f.error("must be at most " + std::to_string(limits::kBufferCapacity) + " or unlimited, got " +
            f.text());
    return std::nullopt;
  }
  return static_cast<std::size_t>(*n);
}

// A cycle time must last at least a tick (a microsecond): a station that takes no time,
// fed without limit, would do unbounded work at one instant.
bool takes_time(const Field& f, const sim::Distribution& d) {
  if (d.mean() >= 1e-6) return true;
  f.error(
      "a cycle time must average at least 1 microsecond (takt counts time in microseconds), got " +
      f.text());
  return false;
}

// `cycle: 81s`, `cycle: lognormal(...)` or per product `cycle: {AITO-M5: 81s, AITO-M7: 85s}`.
std::optional<std::vector<sim::Distribution>> read_cycle(const Field& f,
                                                         const std::vector<std::string>& products) {
  if (!f.is_map()) {
    const auto d = f.as_distribution();
    if (!d || !takes_time(f, *d)) return std::nullopt;
    return std::vector<sim::Distribution>{*d};
  }
  std::vector<std::optional<sim::Distribution>> by_product(products.size());
  bool ok = true;
  for (const auto& [name, value] : f.entries()) {
    const auto it = std::find(products.begin(), products.end(), name);
    if (it == products.end()) {
      const std::string guess = closest_match(name, products);
      value.error("unknown product '" + name + "'" +
                  (guess.empty() ? std::string() : " (did you mean '" + guess + "'?)"));
      ok = false;
      continue;
    }
    const auto d = value.as_distribution();
    ok = ok && d.has_value() && takes_time(value, *d);
    by_product[static_cast<std::size_t>(it - products.begin())] = d;
  }
  std::vector<sim::Distribution> cycles;
  for (std::size_t i = 0; i < products.size() && ok; ++i) {
    if (!by_product[i]) {
      f.error("no cycle time for product '" + products[i] + "'");
      ok = false;
      continue;
    }
    cycles.push_back(*by_product[i]);
  }
  if (!ok) return std::nullopt;
  return cycles;
}

// A key of two words: `second` sets `flag`, `first` (or no key) clears it.
bool read_choice(const Field& f, const char* first, const char* second, bool& flag) {
  if (!f.is_defined()) return true;
  const auto v = f.as_string();
  if (v && (*v == first || *v == second)) {
    flag = *v == second;
    return true;
  }
  if (v) f.error(std::string("expected ") + first + " or " + second + ", got \"" + *v + "\"");
  return false;
}

std::optional<models::FailureProfile> read_failure(const Field& f, std::size_t index) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"name", "mtbf", "mttr", "ttf", "ttr", "basis", "repairs", "per", "positions"});
  models::FailureProfile p;
  p.name = "failure" + std::to_string(index + 1);
  if (f.child("name").is_defined()) {
    p.name = f.child("name").as_string().value_or(p.name);
    if (is_blank(p.name)) {
      f.child("name").error("expected a name");
      return std::nullopt;
    }
  }
  bool ok = true;
  const bool by_mean = f.child("mtbf").is_defined() || f.child("mttr").is_defined();
  const bool by_dist = f.child("ttf").is_defined() || f.child("ttr").is_defined();
  if (by_mean && by_dist) {
    f.error("give either mtbf and mttr or ttf and ttr, not both");
    return std::nullopt;
  }
  if (by_dist) {
    const auto ttf = f.require("ttf").as_distribution();
    const auto ttr = f.require("ttr").as_distribution();
    ok = ttf && ttr;
    if (ttf) p.ttf = *ttf;
    if (ttr) p.ttr = *ttr;
  } else {
    const auto mtbf = positive(f.require("mtbf"), f.require("mtbf").as_duration());
    const auto mttr = positive(f.require("mttr"), f.require("mttr").as_duration());
    ok = mtbf && mttr;
    // A mean over the distributions' limit (100 years) is the file's mistake, said where it is.
    try {
      if (mtbf) p.ttf = sim::Distribution::exponential(mtbf->to_seconds());
    } catch (const sim::ParseError& e) {
      f.child("mtbf").error(e.what());
      ok = false;
    }
    try {
      if (mttr) p.ttr = sim::Distribution::exponential(mttr->to_seconds());
    } catch (const sim::ParseError& e) {
      f.child("mttr").error(e.what());
      ok = false;
    }
  }
  if (const Field basis = f.child("basis"); basis.is_defined()) {
    const auto b = basis.as_string();
    if (b && *b != "operating" && *b != "calendar") {
      basis.error("expected operating or calendar, got \"" + *b + "\"");
      ok = false;
    }
    p.calendar_basis = b && *b == "calendar";
  }
  ok = read_choice(f.child("repairs"), "continue", "pause", p.repairs_pause) && ok;
  ok = read_choice(f.child("per"), "station", "server", p.per_server) && ok;
  if (const Field positions = f.child("positions"); positions.is_defined()) {
    bool read = true;
    for (const Field& k : positions.items()) {
      const auto n = read_count(k, limits::kServers);
      read = read && n;
      if (!n) continue;
      if (std::count(p.positions.begin(), p.positions.end(), *n) > 0) {
        k.error("position " + k.text() + " is already given");
        read = false;
      }
      p.positions.push_back(*n);
    }
    if (read && p.positions.empty()) {
      positions.error("expected a list of positions (1, 2, ...)");
      read = false;
    }
    ok = ok && read;
  }
  if (!ok) return std::nullopt;
  return p;
}

std::vector<models::RouteSpec> read_routes(const Field& f, ItemRefs& refs) {
  std::vector<models::RouteSpec> routes;
  double total = 0;
  for (const Field& r : f.items({"to"})) {
    if (!r.expect_map()) continue;
    r.check_keys({"to", "share", "rework"});
    const auto to = r.require("to").as_string();
    const auto share = in_unit_interval(r.require("share"), r.require("share").as_number());
    const auto rework = r.child("rework").is_defined() ? r.child("rework").as_bool() : false;
    if (to) refs.targets.push_back({*to, r.child("to")});
    if (to) refs.routes.push_back({*to, r.child("to")});
    if (!to || !share || !rework) continue;
    total += *share;
    routes.push_back({*to, *share, *rework});
  }
  if (total > 1.0 + 1e-9) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", total);
    f.error(std::string("route shares add up to ") + text + ", more than 1");
  }
  return routes;
}

// A station's failure profiles: no positions (a paced line's), and one rule for all of them
// on whether servers fail alone, since a station is expanded into its servers or not at all.
bool check_station_failures(const Field& f, const models::StationConfig& st) {
  const Field failures = f.child("failures");
  bool ok = true;
  for (const models::FailureProfile& p : st.failures) {
    if (!p.positions.empty()) {
      failures.error("positions apply to a paced line's failures, not a station's");
      ok = false;
    }
    if (p.per_server != st.failures.front().per_server) {
      failures.error("every failure profile of a station takes the same per (station or server)");
      return false;
    }
  }
  const bool per_server = !st.failures.empty() && st.failures.front().per_server;
  if (per_server && (f.child("lot").is_defined() || f.child("changeover").is_defined())) {
    failures.error(
        "per: server needs a station without lots or changeovers (one setup state "
        "for the whole station)");
    ok = false;
  }
  return ok;
}

void read_station(const Field& f, const std::vector<std::string>& products, LineItem& item,
                  ItemRefs& refs, bool& ok) {
  auto& st = item.spec.emplace<models::StationConfig>();
  f.check_keys({"station", "cycle", "servers", "failures", "lot", "changeover", "routes", "joins",
                "calendar", "ramp_up"});
  const auto cycle = read_cycle(f.require("cycle"), products);
  ok = ok && cycle;
  if (cycle) st.cycle = *cycle;
  if (f.child("servers").is_defined()) {
    const auto servers = read_count(f.child("servers"), limits::kServers);
    ok = ok && servers;
    st.servers = servers.value_or(1);
  }
  st.failures = read_failures(f.child("failures"));
  ok = check_station_failures(f, st) && ok;
  if (const Field lot = f.child("lot"); lot.is_defined() && lot.expect_map()) {
    lot.check_keys({"size", "setup"});
    const auto size = read_count(lot.require("size"), limits::kBufferCapacity);
    const auto setup = lot.require("setup").as_distribution();
    ok = ok && size && setup;
    st.lot_size = size.value_or(0);
    if (setup) st.setup = *setup;
    if (st.servers != 1) {
      lot.error("lots need a single-server station (servers: 1)");
      ok = false;
    }
  }
  if (const Field change = f.child("changeover"); change.is_defined()) {
    const auto d = change.as_distribution();
    ok = ok && d;
    if (d) {
      st.has_changeover = true;
      st.changeover = *d;
    }
    if (st.servers != 1) {
      change.error("a changeover needs a single-server station (servers: 1)");
      ok = false;
    }
  }
  item.routes = read_routes(f.child("routes"), refs);
  for (const Field& j : f.child("joins").items()) {
    const auto name = j.as_string();
    if (!name) continue;
    if (std::find(item.joins.begin(), item.joins.end(), *name) != item.joins.end()) {
      j.error("'" + *name + "' is joined twice (a station takes one job from each store it names)");
      ok = false;
      continue;
    }
    item.joins.push_back(*name);
    refs.targets.push_back({*name, j});
    refs.joins.push_back({*name, j});
  }
}

}  // namespace

bool is_blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

std::string name_character_error(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char32_t code = sim::layout_mark_at(name, i);
    if (code == 0) continue;
    char text[128];
    std::snprintf(text, sizeof text,
                  "holds a tab, a line break or a text-direction mark (U+%04X, byte %zu): a name "
                  "is one line of plain text",
                  static_cast<unsigned>(code), i + 1);
    return text;
  }
  return "";
}

std::optional<int> read_count(const Field& f, std::int64_t max) {
  const auto n = positive(f, f.as_integer());
  if (!n) return std::nullopt;
  if (*n > max) {
    f.error("must be at most " + std::to_string(max) + ", got " + f.text());
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

std::string item_name(const Field& f) {
  if (!f.is_map()) return "";
  for (const std::string_view kind : item_kinds()) {
    if (f.child(kind).is_scalar()) return f.child(kind).text();
  }
  return "";
}

std::vector<models::FailureProfile> read_failures(const Field& f) {
  std::vector<models::FailureProfile> profiles;
  if (!f.is_defined()) return profiles;
  if (f.is_map()) {
    if (const auto p = read_failure(f, 0)) profiles.push_back(*p);
    return profiles;
  }
  const auto items = f.items();
  if (items.size() > limits::kFailureProfiles) {
    f.error("at most " + std::to_string(limits::kFailureProfiles) + " failure profiles, got " +
            std::to_string(items.size()));
    return profiles;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto p = read_failure(items[i], i);
    if (!p) continue;
    // The name keys the profile's random stream: two of one name would draw the same numbers.
    const bool repeated =
        std::any_of(profiles.begin(), profiles.end(),
                    [&](const models::FailureProfile& q) { return q.name == p->name; });
    if (repeated) {
      items[i].child("name").error("a failure profile named '" + p->name + "' is already given");
      continue;
    }
    profiles.push_back(*p);
  }
  return profiles;
}

namespace {

void read_buffer(const Field& f, const std::vector<std::string>&, LineItem& item, ItemRefs&,
                 bool& ok) {
  f.check_keys({"buffer", "capacity", "when_full"});
  const auto cap = read_capacity(f.require("capacity"));
  ok = ok && cap;
  bool lose = false;
  if (const Field w = f.child("when_full"); w.is_defined()) {
    const auto v = w.as_string();
    if (v && *v != "hold" && *v != "lose") {
      w.error("expected hold (arrivals wait for a place) or lose (they are turned away), got \"" +
              *v + "\"");
    }
    ok = ok && v && (*v == "hold" || *v == "lose");
    lose = v && *v == "lose";
  }
  item.spec = models::BufferSpec{cap.value_or(0), lose};
}

void read_oven(const Field& f, const std::vector<std::string>&, LineItem& item, ItemRefs&,
               bool& ok) {
  f.check_keys({"oven", "capacity", "time", "calendar", "ramp_up"});
  const auto cap = read_count(f.require("capacity"), limits::kServers);
  const auto time = positive(f.require("time"), f.require("time").as_duration());
  ok = ok && cap && time;
  auto& oven = item.spec.emplace<models::StationConfig>();
  oven.kind = "oven";
  oven.servers = cap.value_or(1);
  oven.cycle = {sim::Distribution::constant(time ? time->to_seconds() : 1.0)};
}

void read_paced(const Field& f, const std::vector<std::string>&, LineItem& item, ItemRefs&,
                bool& ok) {
  f.check_keys({"paced", "positions", "takt", "failures", "calendar", "ramp_up"});
  const auto positions = read_count(f.require("positions"), limits::kServers);
  const auto takt = positive(f.require("takt"), f.require("takt").as_duration());
  ok = ok && positions && takt;
  auto& paced = item.spec.emplace<models::PacedLineConfig>();
  paced.positions = positions.value_or(1);
  paced.takt = takt.value_or(sim::Time::seconds(1));
  paced.failures = read_failures(f.child("failures"));
  for (const auto& p : paced.failures) {
    if (p.calendar_basis) {
      f.child("failures")
          .error("a paced line's positions fail in moving time only (basis: operating)");
      ok = false;
    }
    if (p.per_server) {
      f.child("failures")
          .error(
              "per applies to a station's servers; a paced line's positions "
              "fail on their own and stop the whole line");
      ok = false;
    }
    for (const int k : p.positions) {
      if (k > paced.positions) {
        f.child("failures")
            .error("position " + std::to_string(k) + " is beyond the line's " +
                   std::to_string(paced.positions) + " positions");
        ok = false;
      }
    }
  }
}

// A sequencing store: `lanes` of `lane_capacity` places; `take: fifo` or `batch` with `block`.
void read_store(const Field& f, const std::vector<std::string>&, LineItem& item, ItemRefs&,
                bool& ok) {
  f.check_keys({"store", "lanes", "lane_capacity", "take", "block"});
  const auto lanes = read_count(f.require("lanes"), limits::kStoreLanes);
  const auto lane_capacity = read_count(f.require("lane_capacity"), limits::kBufferCapacity);
  ok = ok && lanes && lane_capacity;
  auto& store = item.spec.emplace<models::StoreSpec>();
  store.lanes = lanes.value_or(1);
  store.lane_capacity = static_cast<std::size_t>(lane_capacity.value_or(1));
  if (lanes && lane_capacity &&
      static_cast<std::int64_t>(*lanes) * *lane_capacity > limits::kBufferCapacity) {
    f.error("lanes x lane_capacity must be at most " + std::to_string(limits::kBufferCapacity) +
            ", got " + std::to_string(static_cast<std::int64_t>(*lanes) * *lane_capacity));
    ok = false;
  }
  const Field take = f.child("take");
  const std::string rule = take.is_defined() ? take.as_string().value_or("") : "fifo";
  if (rule == "batch") {
    store.take = models::StoreSpec::Take::kBatch;
    const auto block = read_count(f.require("block"), limits::kBufferCapacity);
    ok = ok && block;
    store.block = block.value_or(1);
  } else if (rule == "fifo") {
    if (f.child("block").is_defined()) {
      f.child("block").error("'block' goes with 'take: batch'");
      ok = false;
    }
  } else {
    if (take.is_scalar()) take.error("expected fifo or batch, got " + take.text());
    ok = false;
  }
}

// Every kind of line item: its key and its reader, which sets the item's spec. Lists of kinds and
// the error messages that name them are made from this table, so a new kind is one row here.
struct KindEntry {
  std::string_view key;
  void (*read)(const Field&, const std::vector<std::string>&, LineItem&, ItemRefs&, bool&);
};

constexpr KindEntry kKinds[] = {
    {"station", read_station}, {"buffer", read_buffer}, {"oven", read_oven},
    {"paced", read_paced},     {"store", read_store},
};

// "a, b, c or d" from the table, each written by `form`.
template <class Form>
std::string kinds_text(Form form) {
  std::string text;
  const std::size_t n = std::size(kKinds);
  for (std::size_t i = 0; i < n; ++i) {
    text += (i == 0 ? "" : i + 1 == n ? " or " : ", ") + form(kKinds[i].key);
  }
  return text;
}

}  // namespace

const std::vector<std::string_view>& item_kinds() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> k;
    for (const KindEntry& e : kKinds) k.push_back(e.key);
    return k;
  }();
  return keys;
}

std::optional<LineItem> read_item(const Field& f, const std::vector<std::string>& products,
                                  ItemRefs& refs,
                                  const std::optional<models::CalendarDate>& start_of_production) {
  if (!f.expect_map()) return std::nullopt;
  std::vector<const KindEntry*> present;
  for (const KindEntry& e : kKinds) {
    if (f.child(e.key).is_defined()) present.push_back(&e);
  }
  if (present.size() != 1) {
    f.error(present.empty() ? "expected an item like " + kinds_text([](std::string_view k) {
                                return "'- " + std::string(k) + ": NAME'";
                              })
                            : "an item is one of " + kinds_text([](std::string_view k) {
                                return std::string(k);
                              }) + ", not several");
    return std::nullopt;
  }
  LineItem item;
  const Field name_field = f.child(present[0]->key);
  const auto name = name_field.as_string();
  bool ok = name.has_value() && !is_blank(*name) && name->size() <= limits::kNameLength;
  if (name && is_blank(*name)) name_field.error("expected a name");
  if (const std::string problem = name ? name_character_error(*name) : ""; !problem.empty()) {
    name_field.error(problem);
    ok = false;
  }
  if (name && name->size() > limits::kNameLength) {
    name_field.error("a name has at most " + std::to_string(limits::kNameLength) +
                     " characters, got " + std::to_string(name->size()));
  }
  item.name = name.value_or("");
  if (const Field cal = f.child("calendar"); cal.is_defined()) {
    if (const auto c = cal.as_string()) {
      item.calendar = *c;
      refs.calendars.push_back({*c, cal});
    }
  }
  present[0]->read(f, products, item, refs, ok);
  if (!item.is_storage()) {
    item.ramp_up = read_ramp_up(f.child("ramp_up"), start_of_production, "the plant or shop");
  }
  // A yield ramp scales the shares of a station's quality routes and an availability ramp its
  // times to failure: on an item without them it would change nothing, which the planner
  // meant it to. (A plant's or shop's such ramp acts on those of its items that have them.)
  const auto* station = item.as<models::StationConfig>();
  const auto* paced = item.as<models::PacedLineConfig>();
  const bool fails = (station != nullptr && !station->failures.empty()) ||
                     (paced != nullptr && !paced->failures.empty());
  for (const models::RampUpSpec& r : item.ramp_up) {
    const Field targets = f.child("ramp_up").child("applies_to");
    if (r.acts_on(models::RampTarget::kYield) && item.routes.empty()) {
      targets.error("yield scales the shares of a station's quality routes, and '" + item.name +
                    "' has none: give it routes, or ramp its speed or availability");
      ok = false;
    }
    if (r.acts_on(models::RampTarget::kAvailability) && !fails) {
      targets.error("availability scales the times to failure, and '" + item.name +
                    "' has no failures: give it failures, or ramp its speed");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return item;
}

}  // namespace takt::scenario::detail
