// `--set KEY.PATH=VALUE` changes exactly the value it names, leaves the file's tree alone and
// reports what it cannot find in the planner's words.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "alias_bomb.hpp"
#include "key_path.hpp"
#include "takt/scenario/scenario.hpp"
#include "yaml_reader.hpp"

using takt::scenario::Diagnostics;
using takt::scenario::detail::apply_set_override;
using takt::scenario::detail::apply_set_overrides;
using takt::scenario::detail::canonical_path;
using takt::scenario::detail::Field;
using takt::scenario::detail::KeyPath;
using takt::scenario::detail::load_yaml;
using takt::scenario::detail::parse_set_override;

namespace {

using Lines = std::vector<std::string>;

const char* const kPlant =
    "plants:\n"
    "  - name: Liangjiang\n"
    "    shops:\n"
    "      - name: body\n"
    "        line:\n"
    "          - station: framing\n"
    "            cycle: 55s\n"
    "      - name: painting\n"
    "        line:\n"
    "          - buffer: pbs\n"
    "            capacity: 120\n"
    "          - station: topcoat\n"
    "            cycle: 60s\n"
    "  - name: Shuangfeng\n"
    "    shops: []\n";

const std::string kFile = "plant.yaml";

YAML::Node load(const char* text) {
  Diagnostics diagnostics;
  std::optional<YAML::Node> root = load_yaml(text, kFile, diagnostics);
  REQUIRE(root.has_value());
  return *root;
}

Lines errors(const Diagnostics& diagnostics) {
  Lines lines;
  for (const auto& d : diagnostics.all()) lines.push_back(d.to_string());
  return lines;
}

// Applies the expressions to a fresh copy of kPlant and returns the result with its errors.
struct Applied {
  explicit Applied(const Lines& expressions)
      : original(load(kPlant)), root(apply_set_overrides(original, expressions, diagnostics)) {}

  Field at(const std::string& path) const {
    Field f(root, "", &kFile, &diagnostics);
    // A tiny walker over "a.b" and "a[i]" for the tests' own lookups.
    std::size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '.') ++i;
      if (path[i] == '[') {
        const std::size_t close = path.find(']', i);
        f = f.items().at(std::stoul(path.substr(i + 1, close - i - 1)));
        i = close + 1;
        continue;
      }
      const std::size_t end = path.find_first_of(".[", i);
      f = f.child(path.substr(i, end - i));
      i = end == std::string::npos ? path.size() : end;
    }
    return f;
  }

  mutable Diagnostics diagnostics;
  YAML::Node original;
  YAML::Node root;
};

}  // namespace

TEST_CASE("A --set selects list items by name and by a line item's first key") {
  const Applied a({"plants[Liangjiang].shops[painting].line[pbs].capacity=200"});
  CHECK(errors(a.diagnostics).empty());
  CHECK(a.at("plants[0].shops[1].line[0].capacity").as_integer() == 200);
  CHECK(a.at("plants[0].shops[1].line[0].buffer").as_string() == "pbs");
  CHECK(a.at("plants[0].shops[1].line[1].cycle").as_duration().has_value());
}

TEST_CASE("A --set selects list items by 0-based index and adds a missing key") {
  const Applied a({"plants[0].shops[0].line[0].setup=exponential(1min)", "plants[1].shops=[]",
                   "plants[Shuangfeng].opened=2024-03-01"});
  CHECK(errors(a.diagnostics).empty());
  CHECK(a.at("plants[0].shops[0].line[0].setup").as_string() == "exponential(1min)");
  CHECK(a.at("plants[1].opened").as_date().has_value());
  // A new key goes after the existing ones, so a line item's first key still names it.
  const YAML::Node framing = a.at("plants[0].shops[0].line[0]").node();
  CHECK(framing.begin()->first.Scalar() == "station");
}

TEST_CASE("A --set value is read as YAML") {
  const Applied a({"plants[0].days=[mon, tue]", "plants[0].failures={mtbf: 8h, mttr: 5min}",
                   "plants[0].mix=empirical(50s: 0.2, 60s: 0.8)", "plants[0].note=~",
                   "plants[0].title=\"a: b\""});
  CHECK(errors(a.diagnostics).empty());
  CHECK(a.at("plants[0].days").items().size() == 2);
  CHECK(a.at("plants[0].days[1]").as_string() == "tue");
  CHECK(a.at("plants[0].failures.mttr").as_duration().has_value());
  CHECK(a.at("plants[0].mix").as_string() == "empirical(50s: 0.2, 60s: 0.8)");
  CHECK(a.at("plants[0].note").is_null());
  CHECK(a.at("plants[0].title").as_string() == "a: b");
}

TEST_CASE("An unknown item name is reported with a suggestion") {
  const Applied a({"plants[Liangjang].shops[body].line[framing].cycle=50s"});
  CHECK(errors(a.diagnostics) ==
        Lines{"--set: error: plants[Liangjang]: no item named 'Liangjang' in plants (did you "
              "mean 'Liangjiang'?)"});
}

TEST_CASE("A --set that names nothing says what is there instead") {
  const Applied a({"plants[Liangjiang].shop[body].x=1", "plantz[0].name=x", "plants[7].name=x",
                   "plants[0].name.first=x", "plants[0].shops.x=1",
                   "plants[0].shops[body].line[topcoat].cycle=1s"});
  CHECK(errors(a.diagnostics) ==
        Lines{"--set: error: plants[Liangjiang].shop: no key 'shop' in plants[Liangjiang] (did "
              "you mean 'shops'?)",
              "--set: error: plantz: no key 'plantz' at the top level (did you mean 'plants'?)",
              "--set: error: plants[7]: index 7 is out of range: plants has 2 items (counting "
              "from 0)",
              "--set: error: plants[0].name.first: plants[0].name is \"Liangjiang\", not a "
              "mapping",
              "--set: error: plants[0].shops.x: plants[0].shops is a list, not a mapping",
              "--set: error: plants[0].shops[body].line[topcoat]: no item named 'topcoat' in "
              "plants[0].shops[body].line"});
}

TEST_CASE("A name shared by two items is refused rather than guessed") {
  const YAML::Node root = load("line:\n  - station: pbs\n  - buffer: pbs\n");
  Diagnostics diagnostics;
  apply_set_overrides(root, {"line[pbs].capacity=3"}, diagnostics);
  CHECK(errors(diagnostics) == Lines{"--set: error: line[pbs]: 2 items are named 'pbs' in line; "
                                     "select one by index, e.g. line[0]"});
}

TEST_CASE("Malformed --set expressions are reported with the whole expression") {
  Diagnostics diagnostics;
  for (const char* bad : {"plants[0].capacity", "plants..capacity=1", "plants[0=1", "plants[]=1",
                          "plants[0]x=1", "=5", ".a=1", "a.=1", "plants[0].capacity=  "}) {
    CHECK_FALSE(parse_set_override(bad, diagnostics).has_value());
  }
  CHECK(errors(diagnostics) ==
        Lines{"--set: error: plants[0].capacity: missing '=' (expected KEY.PATH=VALUE)",
              "--set: error: plants..capacity=1: empty key after 'plants.'",
              "--set: error: plants[0=1: unclosed '[' after 'plants'",
              "--set: error: plants[]=1: empty brackets after 'plants'",
              "--set: error: plants[0]x=1: unexpected 'x' after 'plants[0]'",
              "--set: error: =5: empty key path before '='",
              "--set: error: .a=1: the key path must start with a key",
              "--set: error: a.=1: empty key after 'a.'",
              "--set: error: plants[0].capacity=  : missing value after '=' (write ~ for an "
              "empty value)"});
}

TEST_CASE("A --set that is not UTF-8 is refused without echoing its bytes") {
  // Names and values go into summary.json as they are: a stray 0xFF would make it unreadable.
  Diagnostics diagnostics;
  CHECK_FALSE(parse_set_override("plants[0].name=Fo\xffo", diagnostics).has_value());
  CHECK_FALSE(parse_set_override("plants[\xC0\xAF].name=x", diagnostics).has_value());
  CHECK(parse_set_override("plants[0].name=\xE9\x87\x8D\xE5\xBA\x86", diagnostics).has_value());
  CHECK(errors(diagnostics) ==
        Lines{"--set: error: not UTF-8 text (byte 18 of the edit): write it in UTF-8",
              "--set: error: not UTF-8 text (byte 8 of the edit): write it in UTF-8"});
}

TEST_CASE("A key path parses into keys, names and indexes and prints back") {
  Diagnostics diagnostics;
  const auto set = parse_set_override(
      "plants[Liangjiang].shops[3].line['10'].dist=lognormal(mean=90s, cv=0.15)", diagnostics);
  REQUIRE(set.has_value());
  using Kind = KeyPath::Segment::Kind;
  REQUIRE(set->path.segments.size() == 7);
  CHECK(set->path.segments[1].kind == Kind::kName);
  CHECK(set->path.segments[3].kind == Kind::kIndex);
  CHECK(set->path.segments[3].index == 3);
  CHECK(set->path.segments[5].text == "10");
  CHECK(set->path.segments[5].kind == Kind::kName);
  CHECK(set->value == "lognormal(mean=90s, cv=0.15)");
  CHECK(set->path.to_string(2) == "plants[Liangjiang]");
  CHECK(set->path.to_string(99) == "plants[Liangjiang].shops[3].line['10'].dist");
}

TEST_CASE("A bad flow value in --set is reported as not valid YAML") {
  const Applied a({"plants[0].days=[mon, tue"});
  CHECK(errors(a.diagnostics) ==
        Lines{"--set: error: plants[0].days: value is not valid YAML: end of sequence flow not "
              "found"});
}

TEST_CASE("Text after a quoted or bracketed --set value is an error, not dropped") {
  // YAML::Load reads one node and stops: "30d" 60d would have run as 30d, while the run's
  // header echoed the whole edit. In a file the same text is a syntax error.
  const Applied a({"plants[0].name=\"Fo\" o", "plants[0].shops=[] x", "plants[1].x={a: 1} b",
                   "plants[1].note='ok' # a comment"});
  CHECK(errors(a.diagnostics) ==
        Lines{"--set: error: plants[0].name: value is not valid YAML: text follows the quoted or "
              "bracketed value (got \"Fo\" o)",
              "--set: error: plants[0].shops: value is not valid YAML: text follows the quoted or "
              "bracketed value (got [] x)",
              "--set: error: plants[1].x: value is not valid YAML: text follows the quoted or "
              "bracketed value (got {a: 1} b)"});
  CHECK(a.at("plants[1].note").as_string() == "ok");
  // The fuzzer's input that made YAML::LoadAll run for ever: it ends, one way or the other.
  Diagnostics d;
  const auto set = parse_set_override(std::string("plants=,i\0orizoln=", 19), d);
  if (set) apply_set_override(load(kPlant), *set, d);
  const Applied lists(
      {"plants[1].shops=[a, b] # two", "plants[1].x=[1, [2, 3]]", "plants[1].y=\"a\" , \"b\""});
  CHECK(errors(lists.diagnostics) ==
        Lines{"--set: error: plants[1].y: value is not valid YAML: text follows the quoted or "
              "bracketed value (got \"a\" , \"b\")"});
  CHECK(lists.at("plants[1].shops").items().size() == 2);
}

TEST_CASE("The original tree is left unchanged, aliases included") {
  const char* text =
      "defaults: &d {mtbf: 8h}\n"
      "stations:\n"
      "  - name: a\n"
      "    failures: *d\n"
      "  - name: b\n"
      "    failures: *d\n";
  const YAML::Node root = load(text);
  Diagnostics diagnostics;
  const YAML::Node changed = apply_set_overrides(
      root, {"stations[a].failures.mtbf=1h", "stations[b].name=B"}, diagnostics);
  CHECK(errors(diagnostics).empty());
  CHECK(changed["stations"][0]["failures"]["mtbf"].Scalar() == "1h");
  CHECK(changed["stations"][1]["failures"]["mtbf"].Scalar() == "8h");
  CHECK(changed["defaults"]["mtbf"].Scalar() == "8h");
  CHECK(changed["stations"][1]["name"].Scalar() == "B");
  CHECK(root["stations"][0]["failures"]["mtbf"].Scalar() == "8h");
  CHECK(root["stations"][1]["name"].Scalar() == "b");
}

TEST_CASE("Positions in the file survive a --set, and the set value is placed at --set") {
  const char* text =
      "stations:\n"
      "  - name: framing\n"
      "    cycle: 55s\n";
  const YAML::Node root = load(text);
  Diagnostics diagnostics;
  const YAML::Node changed = apply_set_overrides(
      root, {"stations[framing].cycle=-5s", "stations[framing].capacty=2"}, diagnostics);
  REQUIRE(errors(diagnostics).empty());
  const Field framing = Field(changed, "", &kFile, &diagnostics).child("stations").items().at(0);
  framing.check_keys({"name", "cycle", "capacity"});
  framing.require("setup");
  takt::scenario::detail::positive(framing.child("cycle"), framing.child("cycle").as_duration());
  CHECK(errors(diagnostics) ==
        Lines{"--set: error: stations[framing]: unknown key 'capacty' (did you mean "
              "'capacity'?)",
              "plant.yaml:2:5: error: stations[framing]: missing required key 'setup'",
              "--set: error: stations[framing].cycle: must be positive, got -5s"});
}

TEST_CASE("A failing --set does not stop the others") {
  const Applied a({"plants[9].name=x", "plants[0].name=Chongqing", "nonsense"});
  CHECK(errors(a.diagnostics) ==
        Lines{"--set: error: plants[9]: index 9 is out of range: plants has 2 items (counting "
              "from 0)",
              "--set: error: nonsense: missing '=' (expected KEY.PATH=VALUE)"});
  CHECK(a.at("plants[0].name").as_string() == "Chongqing");
  CHECK(Field(a.original, "", &kFile, &a.diagnostics).child("plants").items().at(0).path() ==
        "plants[Liangjiang]");
}

TEST_CASE("A --set can replace a whole list item") {
  const YAML::Node root = load("days: [mon, tue, wed]\n");
  Diagnostics diagnostics;
  const auto set = parse_set_override("days[1]=thu", diagnostics);
  REQUIRE(set.has_value());
  const auto changed = apply_set_override(root, *set, diagnostics);
  REQUIRE(changed.has_value());
  CHECK((*changed)["days"][1].Scalar() == "thu");
  CHECK(root["days"][1].Scalar() == "tue");
}

TEST_CASE("An alias bomb in a --set value is refused, not expanded") {
  // Twelve levels of ten aliases: 10^12 leaves if walked alias by alias (it hung before).
  const Applied applied(
      {"plants[Liangjiang].shops[body].line[framing].cycle=" + takt::test::alias_bomb(12)});
  const auto told = errors(applied.diagnostics);
  REQUIRE(told.size() == 1);
  CHECK(told[0].find("its aliases expand to more than 1000000 values") != std::string::npos);
}

TEST_CASE("One value named by index or by name has one canonical path") {
  const YAML::Node root = load(kPlant);
  const auto canonical = [&](const char* key) {
    Diagnostics d;
    const auto set = parse_set_override(std::string(key) + "=0", d);
    REQUIRE(set.has_value());
    return canonical_path(root, set->path);
  };
  CHECK(canonical("plants[Liangjiang].shops[painting].line[pbs].capacity") ==
        "plants[0].shops[1].line[0].capacity");
  CHECK(canonical("plants[0].shops[painting].line[0].capacity") ==
        "plants[0].shops[1].line[0].capacity");
  CHECK(canonical("plants[Shuangfeng]") == "plants[1]");
  // From what names nothing on, the path stays as written: a key an edit would add, an
  // unknown name, an index out of range.
  CHECK(canonical("plants[Liangjiang].opened") == "plants[0].opened");
  CHECK(canonical("plants[Liangjang].shops[0]") == "plants[Liangjang].shops[0]");
  CHECK(canonical("plants[7].shops[body]") == "plants[7].shops[body]");
  // The tree is read, not rebound: the walk leaves it as it was.
  CHECK(load(kPlant)["plants"].size() == root["plants"].size());
  CHECK(root["plants"][0]["name"].Scalar() == "Liangjiang");
}

TEST_CASE("An edit replaces an earlier one of the same value or of a value inside it") {
  using takt::scenario::replaces;
  CHECK(replaces("plants[0].shops[1]", "plants[0].shops[1]"));
  CHECK(replaces("plants[0].shops[1]", "plants[0].shops[1].line[0].capacity"));
  CHECK(replaces("plants[0]", "plants[0].name"));
  CHECK_FALSE(replaces("plants[0].shops[1].line[0].capacity", "plants[0].shops[1]"));
  // A prefix of the text is not a prefix of the path.
  CHECK_FALSE(replaces("plants[0].shops[1", "plants[0].shops[10]"));
  CHECK_FALSE(replaces("plants[0].cap", "plants[0].capacity"));
  CHECK_FALSE(replaces("plants[1]", "plants[10]"));
}
