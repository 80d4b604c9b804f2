// The default candidate list is made from the loaded specs and written back as key paths, so
// that each candidate is an ordinary edit: it goes through the same loader and checks as a
// `--set`, and a planner can repeat any of them by hand.
#include "takt/scenario/candidates.hpp"

#include <algorithm>
#include <optional>

#include "input_file.hpp"
#include "key_path.hpp"
#include "readers.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/scenario/precision_rule.hpp"
#include "yaml_reader.hpp"

namespace takt::scenario {
namespace {

bool wanted(const std::vector<std::string>& kinds, const std::string& kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// `[name]` as a key path selects it; an all-digit name is quoted so it is not read as an index.
std::string bracket(const std::string& name) {
  const bool digits = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
  return digits ? "['" + name + "']" : "[" + name + "]";
}

// A YAML double-quoted scalar.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The selector of list item `index` named `name`: by name where a key path can carry it, by
// index where it cannot (a bracket or a quote in the name), so that no item goes without
// candidates. The loaded specs keep the file's order, so the index is the file's.
std::string selector(const std::string& name, std::size_t index) {
  if (name.find_first_of("[]'\"") == std::string::npos) return bracket(name);
  return "[" + std::to_string(index) + "]";
}

// One item of a shop's line or of one of its loops, with the key path that reaches it.
struct ItemRef {
  const models::LineItem* item;
  std::string path;
  std::string label;  ///< "painting/pbs"
};

std::vector<ItemRef> items_of(const models::ShopSpec& shop, const std::string& shop_path) {
  std::vector<ItemRef> out;
  for (std::size_t n = 0; n < shop.line.size(); ++n) {
    const models::LineItem& i = shop.line[n];
    out.push_back({&i, shop_path + ".line" + selector(i.name, n), shop.name + "/" + i.name});
  }
  for (std::size_t k = 0; k < shop.loops.size(); ++k) {
    const std::vector<models::LineItem>& line = shop.loops[k].line;
    for (std::size_t n = 0; n < line.size(); ++n) {
      out.push_back(
          {&line[n],
           shop_path + ".loops[" + std::to_string(k) + "].line" + selector(line[n].name, n),
           shop.name + "/" + line[n].name});
    }
  }
  return out;
}

Candidate make(const std::string& plant, const std::string& name, const std::string& kind,
               std::vector<std::string> edits) {
  Candidate c{name, kind, {plant}, {}};
  for (std::string& e : edits) c.edits.push_back({std::move(e)});
  return c;
}

std::optional<Candidate> bigger_buffer(const std::string& plant, const ItemRef& r) {
  const std::string label = r.label + ": ";
  if (const auto* b = r.item->as<models::BufferSpec>()) {
    // Unlimited is the largest size_t: no limit to double.
    if (b->capacity > static_cast<std::size_t>(limits::kBufferCapacity)) return std::nullopt;
    const auto places = static_cast<std::int64_t>(b->capacity);
    const std::int64_t doubled = places == 0 ? 1 : 2 * places;
    if (doubled > limits::kBufferCapacity) return std::nullopt;
    return make(plant,
                label + std::to_string(places) + " -> " + std::to_string(doubled) + " places",
                "buffers", {r.path + ".capacity=" + std::to_string(doubled)});
  }
  if (const auto* s = r.item->as<models::StoreSpec>()) {
    const auto lane = static_cast<std::int64_t>(s->lane_capacity);
    if (2 * lane > limits::kBufferCapacity) return std::nullopt;
    return make(plant,
                label + std::to_string(lane) + " -> " + std::to_string(2 * lane) + " places a lane",
                "buffers", {r.path + ".lane_capacity=" + std::to_string(2 * lane)});
  }
  return std::nullopt;
}

// Every profile written out whole with its repair time halved; the names stay, and with them
// each profile's random stream, so the candidate's draws pair with the base's.
std::string halved_repairs(const std::vector<models::FailureProfile>& profiles) {
  std::string list;
  for (const models::FailureProfile& p : profiles) {
    std::string f = "{name: " + quoted(p.name) + ", ttf: " + quoted(p.ttf.to_string()) +
                    ", ttr: " + quoted(p.ttr.scaled(0.5).to_string());
    if (p.calendar_basis) f += ", basis: calendar";
    if (p.repairs_pause) f += ", repairs: pause";
    if (p.per_server) f += ", per: server";
    if (!p.positions.empty()) {
      std::string positions;
      for (const int k : p.positions)
        positions += (positions.empty() ? "" : ", ") + std::to_string(k);
      f += ", positions: [" + positions + "]";
    }
    list += (list.empty() ? "" : ", ") + f + "}";
  }
  return "[" + list + "]";
}

std::optional<Candidate> faster_repairs(const std::string& plant, const ItemRef& r) {
  const std::vector<models::FailureProfile>* profiles = nullptr;
  if (const auto* st = r.item->as<models::StationConfig>()) profiles = &st->failures;
  if (const auto* line = r.item->as<models::PacedLineConfig>()) profiles = &line->failures;
  if (profiles == nullptr || profiles->empty()) return std::nullopt;
  return make(plant, r.label + ": repairs twice as fast", "repairs",
              {r.path + ".failures=" + halved_repairs(*profiles)});
}

std::optional<Candidate> one_more_server(const std::string& plant, const ItemRef& r) {
  const auto* st = r.item->as<models::StationConfig>();
  // Lots and product changeovers need a single server.
  if (st == nullptr || st->has_changeover || st->lot_size > 0 || st->servers + 1 > limits::kServers)
    return std::nullopt;
  const bool oven = std::string(st->kind) == "oven";
  const std::string key = oven ? ".capacity=" : ".servers=";
  const std::string unit = oven ? " places" : (st->servers + 1 == 1 ? " server" : " servers");
  return make(plant,
              r.label + ": " + std::to_string(st->servers) + " -> " +
                  std::to_string(st->servers + 1) + unit,
              "servers", {r.path + key + std::to_string(st->servers + 1)});
}

// Whether the item works to a calendar of its own (buffers and stores have none).
bool has_calendar(const models::LineItem& i) {
  return i.as<models::StationConfig>() != nullptr || i.as<models::PacedLineConfig>() != nullptr;
}

// The scenario's calendars by their working time over the measured window.
struct CalendarHours {
  std::string name;
  std::int64_t ticks;
};

std::vector<CalendarHours> calendar_hours(const Scenario& s, const models::PlantSpec& p) {
  std::vector<CalendarHours> out;
  for (const models::NamedCalendar& c : p.calendars)
    out.push_back({c.name, c.calendar.working_time(s.warmup, s.horizon).count()});
  return out;
}

// The calendar with the least working time above `current`'s; "" when none has more.
std::string next_longer(const std::vector<CalendarHours>& calendars, const std::string& current) {
  const auto now = std::find_if(calendars.begin(), calendars.end(),
                                [&](const CalendarHours& c) { return c.name == current; });
  if (now == calendars.end()) return "";  // 24/7: nothing is longer
  const CalendarHours* best = nullptr;
  for (const CalendarHours& c : calendars) {
    if (c.ticks <= now->ticks) continue;
    if (best == nullptr || c.ticks < best->ticks) best = &c;
  }
  return best == nullptr ? "" : best->name;
}

// A shop's working items on the next longer calendar than each one's own.
std::optional<Candidate> longer_shop_calendar(const std::string& plant_name,
                                              const models::PlantSpec& p,
                                              const models::ShopSpec& shop,
                                              const std::vector<ItemRef>& items,
                                              const std::vector<CalendarHours>& calendars) {
  std::vector<std::string> edits, targets;
  for (const ItemRef& r : items) {
    if (!has_calendar(*r.item)) continue;
    const std::string own = r.item->calendar.empty() ? p.calendar : r.item->calendar;
    const std::string longer = next_longer(calendars, own);
    if (longer.empty()) continue;
    edits.push_back(r.path + ".calendar=" + longer);
    if (std::find(targets.begin(), targets.end(), longer) == targets.end())
      targets.push_back(longer);
  }
  if (edits.empty()) return std::nullopt;
  const std::string to = targets.size() == 1 ? targets[0] : "longer calendars";
  return make(plant_name, "shop " + shop.name + " on " + to, "shifts", std::move(edits));
}

void add(std::vector<Candidate>& out, std::optional<Candidate> c) {
  if (c) out.push_back(std::move(*c));
}

void plant_candidates(const Scenario& s, std::size_t plant, const std::vector<std::string>& kinds,
                      std::vector<Candidate>& out) {
  const models::PlantSpec& p = s.plants[plant];
  const std::string plant_path = "plants" + selector(p.name, plant);
  const std::vector<CalendarHours> calendars = calendar_hours(s, p);
  for (std::size_t k = 0; k < p.shops.size(); ++k) {
    const models::ShopSpec& shop = p.shops[k];
    const std::vector<ItemRef> items =
        items_of(shop, plant_path + ".shops" + selector(shop.name, k));
    for (const ItemRef& r : items) {
      if (wanted(kinds, "buffers")) add(out, bigger_buffer(p.name, r));
      if (wanted(kinds, "repairs")) add(out, faster_repairs(p.name, r));
      if (wanted(kinds, "servers")) add(out, one_more_server(p.name, r));
    }
    if (wanted(kinds, "shifts")) add(out, longer_shop_calendar(p.name, p, shop, items, calendars));
  }
  if (!wanted(kinds, "shifts")) return;
  const std::string longer = next_longer(calendars, p.calendar);
  if (!longer.empty()) {
    out.push_back(
        make(p.name, "plant on " + longer, "shifts", {plant_path + ".calendar=" + longer}));
  }
}

// The plants a key path reaches: `plants[NAME]` or `plants[i]`, else every plant.
std::vector<std::string> plants_touched(const Scenario& s, const std::vector<Edit>& edits) {
  std::vector<std::string> plants;
  for (const Edit& e : edits) {
    Diagnostics ignored;
    const auto o = detail::parse_set_override(e.expression, ignored, e.origin);
    if (!o || o->path.segments.size() < 2 || o->path.segments[0].text != "plants") return {};
    const auto& seg = o->path.segments[1];
    std::string name;
    if (seg.kind == detail::KeyPath::Segment::Kind::kName) name = seg.text;
    if (seg.kind == detail::KeyPath::Segment::Kind::kIndex && seg.index < s.plants.size())
      name = s.plants[seg.index].name;
    if (name.empty()) return {};
    if (std::find(plants.begin(), plants.end(), name) == plants.end()) plants.push_back(name);
  }
  return plants;
}

}  // namespace

std::vector<Candidate> default_candidates(const Scenario& s,
                                          const std::vector<std::string>& kinds) {
  std::vector<Candidate> out;
  for (std::size_t p = 0; p < s.plants.size(); ++p) plant_candidates(s, p, kinds, out);
  return out;
}

std::vector<Candidate> load_candidates_file(const std::filesystem::path& path, const Scenario& s) {
  Diagnostics d;
  const std::string file = path.string();
  const std::optional<std::string> text = detail::read_input_file(path, d, {file, 0, 0});
  d.throw_if_errors();
  const auto root = detail::load_yaml(*text, file, d);
  d.throw_if_errors();
  const detail::Field f(*root, "", &file, &d);
  f.check_keys({"candidates"});
  std::vector<Candidate> out;
  const auto items = f.require("candidates").items({"name"});
  if (items.size() > kMaxCandidates) {
    f.child("candidates")
        .error("at most " + std::to_string(kMaxCandidates) + " candidates, got " +
               std::to_string(items.size()));
    d.throw_if_errors();
  }
  for (const detail::Field& c : items) {
    if (!c.expect_map()) continue;
    c.check_keys({"name", "set"});
    Candidate candidate;
    candidate.kind = "file";
    candidate.name = c.require("name").as_string().value_or("");
    if (c.child("name").is_scalar() && detail::is_blank(candidate.name))
      c.child("name").error("expected a name");
    bool refused = false;
    for (const detail::Field& e : c.require("set").items()) {
      const auto expression = e.as_string();
      refused = refused || !expression;
      if (!expression) continue;
      // Every candidate runs the base's seed and replications (common random numbers), so
      // an edit of them would do nothing and rank as "no effect".
      const std::string key = edit_key(*expression);
      if (key == "seed" || sets_run_count(key)) {
        e.error("sets " + key +
                ", which improve runs alike for the scenario and every candidate (common "
                "random numbers): give -r or --seed instead");
        refused = true;
        continue;
      }
      if (moves_window(key)) {
        e.error("sets " + key +
                ", which moves the measured window: the gain would be the windows', not the "
                "candidate's; give --set for the base and every candidate alike");
        refused = true;
        continue;
      }
      candidate.edits.push_back({*expression, e.location()});
    }
    if (c.child("set").is_defined() && candidate.edits.empty() && !refused)
      c.child("set").error("expected a list of KEY.PATH=VALUE edits");
    const bool repeated = std::any_of(out.begin(), out.end(),
                                      [&](const Candidate& o) { return o.name == candidate.name; });
    if (repeated)
      c.child("name").error("a candidate named '" + candidate.name + "' is already given");
    candidate.plants = plants_touched(s, candidate.edits);
    out.push_back(std::move(candidate));
  }
  d.throw_if_errors();
  return out;
}

std::string read_scenario_text(const std::filesystem::path& path) {
  Diagnostics d;
  const std::optional<std::string> text = detail::read_input_file(path, d, {path.string(), 0, 0});
  d.throw_if_errors();
  return *text;
}

Scenario load_candidate(const std::string& text, const std::string& file,
                        const std::vector<std::string>& sets, const Candidate& candidate) {
  std::vector<Edit> edits;
  for (const std::string& e : sets) edits.push_back({e});
  edits.insert(edits.end(), candidate.edits.begin(), candidate.edits.end());
  return load_scenario_edited(text, file, edits);
}

}  // namespace takt::scenario
