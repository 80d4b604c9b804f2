// The YAML reader turns every problem in a scenario file into a positioned diagnostic, all of
// them in one pass, with the exact words a planner will read.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "alias_bomb.hpp"
#include "input_file.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/time.hpp"
#include "yaml_reader.hpp"

using takt::scenario::Diagnostics;
using takt::scenario::ScenarioError;
using takt::scenario::detail::Field;
using takt::scenario::detail::in_unit_interval;
using takt::scenario::detail::load_yaml;
using takt::scenario::detail::non_negative;
using takt::scenario::detail::positive;
using takt::sim::Time;

namespace {

// A document loaded from text as "plant.yaml", with its diagnostics.
struct Document {
  explicit Document(std::string_view text) : root(load_yaml(text, file, diagnostics)) {}

  Field top() const {
    REQUIRE(root.has_value());
    return Field(*root, "", &file, &diagnostics);
  }
  std::vector<std::string> errors() const {
    std::vector<std::string> lines;
    for (const auto& d : diagnostics.all()) lines.push_back(d.to_string());
    return lines;
  }

  std::string file = "plant.yaml";
  mutable Diagnostics diagnostics;
  std::optional<YAML::Node> root;
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("Lines and columns in diagnostics are 1-based") {
  const Document doc("name: body\ncycle: abc\n");
  CHECK_FALSE(doc.top().child("cycle").as_number().has_value());
  CHECK(doc.errors() == Lines{"plant.yaml:2:8: error: cycle: expected a number, got \"abc\""});
  CHECK(doc.top().child("cycle").location().line == 2);
  CHECK(doc.top().child("cycle").location().column == 8);
}

TEST_CASE("An unknown key is reported at the key, with a suggestion when one is close") {
  const Document doc(
      "stations:\n"
      "  - name: framing\n"
      "    cycel: 55s\n"
      "    colour: red\n");
  const std::vector<Field> stations = doc.top().child("stations").items();
  REQUIRE(stations.size() == 1);
  CHECK_FALSE(stations[0].check_keys({"name", "cycle", "capacity"}));
  CHECK(doc.errors() ==
        Lines{"plant.yaml:3:5: error: stations[framing]: unknown key 'cycel' (did you mean "
              "'cycle'?)",
              "plant.yaml:4:5: error: stations[framing]: unknown key 'colour'"});
}

TEST_CASE("A duplicate key is reported at the repeat with the line of the first") {
  const Document doc(
      "buffers:\n"
      "  - name: wbs\n"
      "    capacity: 40\n"
      "    kind: fifo\n"
      "    capacity: 60\n");
  const Field wbs = doc.top().child("buffers").items().at(0);
  CHECK_FALSE(wbs.check_keys({"name", "capacity", "kind"}));
  CHECK(doc.errors() == Lines{"plant.yaml:5:5: error: buffers[wbs]: duplicate key 'capacity' "
                              "(first given at line 3)"});
  CHECK(wbs.child("capacity").as_integer() == 40);  // the first one is what child() reads
}

TEST_CASE("Known keys without repeats pass the key check silently") {
  const Document doc("name: a\ncycle: 55s\n");
  CHECK(doc.top().check_keys({"name", "cycle", "capacity"}));
  CHECK(doc.top().child("absent").check_keys({"x"}));
  CHECK(doc.errors().empty());
}

TEST_CASE("A missing required key is reported at the parent mapping") {
  const Document doc(
      "stations:\n"
      "  - name: framing\n"
      "    capacity: 2\n");
  const Field framing = doc.top().child("stations").items().at(0);
  const Field cycle = framing.require("cycle");
  CHECK_FALSE(cycle.is_defined());
  CHECK_FALSE(cycle.as_duration().has_value());  // absent: nothing more to say
  CHECK(cycle.path() == "stations[framing].cycle");
  CHECK(doc.errors() ==
        Lines{"plant.yaml:2:5: error: stations[framing]: missing required key 'cycle'"});
}

TEST_CASE("A missing key at the top level is reported at the top mapping") {
  const Document doc("# SERES Liangjiang\nname: body\n");
  doc.top().require("stations");
  CHECK(doc.errors() == Lines{"plant.yaml:2:1: error: missing required key 'stations'"});
}

TEST_CASE("Values of the wrong kind say what was expected and what was found") {
  const Document doc(
      "stations: {framing: 1}\n"
      "failures: often\n"
      "capacity: [1, 2]\n"
      "name: {first: a}\n"
      "enabled: yes\n"
      "count: 1.5\n"
      "weight:\n"
      "shifts: 3\n");
  const Field top = doc.top();
  CHECK(top.child("stations").items().empty());
  CHECK_FALSE(top.child("failures").check_keys({"mtbf", "mttr"}));
  CHECK_FALSE(top.child("capacity").as_number().has_value());
  CHECK_FALSE(top.child("name").as_string().has_value());
  CHECK_FALSE(top.child("enabled").as_bool().has_value());
  CHECK_FALSE(top.child("count").as_integer().has_value());
  CHECK_FALSE(top.child("weight").as_number().has_value());
  CHECK_FALSE(top.child("shifts").expect_list());
  CHECK(doc.errors() ==
        Lines{"plant.yaml:1:11: error: stations: expected a list, got a mapping",
              "plant.yaml:2:11: error: failures: expected a mapping, got \"often\"",
              "plant.yaml:3:11: error: capacity: expected a number, got a list",
              "plant.yaml:4:7: error: name: expected text, got a mapping",
              "plant.yaml:5:10: error: enabled: expected true or false, got \"yes\"",
              "plant.yaml:6:8: error: count: expected a whole number, got \"1.5\"",
              // an empty value is reported at its key, not at the next line's token
              "plant.yaml:7:1: error: weight: expected a number, got an empty value",
              "plant.yaml:8:9: error: shifts: expected a list, got \"3\""});
}

TEST_CASE("Every error in a document is reported at once, sorted by position") {
  const Document doc(
      "stations:\n"
      "  - name: framing\n"
      "    cycle: 55 sec\n"
      "    capacity: -2\n"
      "  - name: welding\n"
      "    cycel: 60s\n"
      "buffers: none\n");
  const Field top = doc.top();
  CHECK(top.check_keys({"stations", "buffers"}));
  // A loader reads buffers before stations; the report still comes out in file order.
  top.child("buffers").items();
  for (const Field& station : top.child("stations").items()) {
    station.check_keys({"name", "cycle", "capacity"});
    station.require("cycle").as_duration();
    positive(station.child("capacity"), station.child("capacity").as_integer());
  }
  try {
    doc.diagnostics.throw_if_errors();
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "plant.yaml:3:12: error: stations[framing].cycle: unknown time unit \"sec\" in "
          "\"55 sec\" (use ms, s, min, h, d, w or y)\n"
          "plant.yaml:4:15: error: stations[framing].capacity: must be positive, got -2\n"
          "plant.yaml:5:5: error: stations[welding]: missing required key 'cycle'\n"
          "plant.yaml:6:5: error: stations[welding]: unknown key 'cycel' (did you mean "
          "'cycle'?)\n"
          "plant.yaml:7:10: error: buffers: expected a list, got \"none\"");
  }
}

TEST_CASE("A YAML syntax error is reported at the parser's position") {
  const Document doc("name: body\nstations: [framing, welding\nbuffers: []\n");
  CHECK_FALSE(doc.root.has_value());
  CHECK(doc.errors() ==
        Lines{"plant.yaml:3:8: error: not valid YAML: end of sequence flow not found"});
}

TEST_CASE("A tab used for indentation gets a hint") {
  const Document doc("stations:\n\t- name: framing\n");
  CHECK(doc.errors() == Lines{"plant.yaml:2:2: error: not valid YAML: illegal block entry "
                              "(indent with spaces, not tabs)"});
}

TEST_CASE("An empty file and a file of only comments are reported as empty") {
  CHECK(Document("").errors() == Lines{"plant.yaml:1:1: error: file is empty"});
  CHECK(Document("# nothing here yet\n\n# really\n").errors() ==
        Lines{"plant.yaml:1:1: error: file is empty"});
  CHECK(Document("---\n").errors() == Lines{"plant.yaml:1:1: error: file is empty"});
}

TEST_CASE("A top level that is not a single mapping is reported") {
  CHECK(Document("- framing\n- welding\n").errors() ==
        Lines{"plant.yaml:1:1: error: expected a mapping at the top level, got a list"});
  CHECK(Document("just text\n").errors() ==
        Lines{"plant.yaml:1:1: error: expected a mapping at the top level, got \"just text\""});
  CHECK(Document("a: 1\n---\nb: 2\n").errors() ==
        Lines{"plant.yaml:2:1: error: expected one YAML document, found 2"});
}

TEST_CASE("A stray comma at the top level is an error where it stands instead of an endless loop") {
  // yaml-cpp 0.7's LoadAll makes empty documents from a top-level ',' for ever.
  CHECK(Document(",").errors() == Lines{"plant.yaml:1:1: error: not valid YAML: unexpected ',' "
                                        "where a value or a key should start"});
  CHECK(Document("a: 1\n,\n").errors() ==
        Lines{"plant.yaml:2:1: error: not valid YAML: end of map not found"});
}

TEST_CASE("YAML tags are refused where they are written and never read as takt's own") {
  CHECK(Document("a: !!int 3x\nb: !custom {c: 1}\n").errors() ==
        Lines{"plant.yaml:1:4: error: YAML tags such as '!!int' are not supported; write the value "
              "plainly",
              "plant.yaml:2:4: error: YAML tags such as '!custom' are not supported; write the "
              "value plainly"});
  // takt marks the nodes an override made with a tag of its own; a file cannot forge one.
  CHECK(Document("a: !takt-set:x:y:z 5\n").errors() ==
        Lines{"plant.yaml:1:4: error: YAML tags such as '!takt-set:x:y:z' are not supported; write "
              "the value plainly"});
  // Quoted and plain values carry no tag of the writer's.
  CHECK(Document("a: '5'\nb: \"x\"\nc: 5\n").errors().empty());
}

TEST_CASE("An alias bomb in a file is refused before any value is read") {
  // 10^12 values expanded: counted from the parser's events, which expand nothing, and refused
  // (a walk of a key the loader does not know expanded it, ten times longer a line).
  const Document doc("bomb: " + takt::test::alias_bomb(12) + "\n");
  REQUIRE(doc.errors().size() == 1);
  CHECK(doc.errors()[0].find("its aliases expand to more than 1000000 values") !=
        std::string::npos);
  // Values written out count for nothing: 1.1 million of them, no alias, are no bomb (the
  // file size bounds them).
  std::string many = "many: [";
  for (int i = 0; i < 1'100'000; ++i) many += "1,";
  CHECK(Document(many + "1]\n").errors().empty());
  // A few aliases, as planners use them, are read as written.
  CHECK(Document("a: &a {mtbf: 8h}\nb: *a\nc: [*a, *a]\n").errors().empty());
}

TEST_CASE("List items are named by their name key, or by their 0-based index") {
  const Document doc(
      "stations:\n"
      "  - name: framing\n"
      "  - cycle: 55s\n"
      "  - name: 10\n"
      "line:\n"
      "  - station: framing\n"
      "  - buffer: wbs\n"
      "  - {}\n");
  Lines paths;
  for (const Field& f : doc.top().child("stations").items()) paths.push_back(f.path());
  for (const Field& f : doc.top().child("line").items({"station", "buffer"})) {
    paths.push_back(f.path());
  }
  CHECK(paths == Lines{"stations[framing]", "stations[1]", "stations['10']", "line[framing]",
                       "line[wbs]", "line[2]"});
  CHECK(doc.top().child("line").items().at(1).child("buffer").path() == "line[1].buffer");
  CHECK(doc.errors().empty());
}

TEST_CASE("Free-form mappings list their entries and report repeated keys") {
  const Document doc("shifts:\n  early: 6h\n  late: 14h\n  early: 7h\n");
  const auto entries = doc.top().child("shifts").entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].first == "early");
  CHECK(entries[1].second.path() == "shifts.late");
  CHECK(entries[1].second.as_duration() == Time::hours(14));
  CHECK(doc.errors() ==
        Lines{"plant.yaml:4:3: error: shifts: duplicate key 'early' (first given at line 2)"});
}

TEST_CASE("Numbers are plain decimals") {
  const Document doc("a: 12\nb: -0.5\nc: 1e3\nd: .inf\ne: 0x10\nf: 1_000\ng: 1e999\n");
  const Field top = doc.top();
  CHECK(top.child("a").as_number() == 12.0);
  CHECK(top.child("b").as_number() == -0.5);
  CHECK(top.child("c").as_number() == 1000.0);
  CHECK_FALSE(top.child("d").as_number().has_value());
  CHECK_FALSE(top.child("e").as_number().has_value());
  CHECK_FALSE(top.child("f").as_number().has_value());
  CHECK_FALSE(top.child("g").as_number().has_value());
  CHECK(doc.errors() == Lines{"plant.yaml:4:4: error: d: expected a number, got \".inf\"",
                              "plant.yaml:5:4: error: e: expected a number, got \"0x10\"",
                              "plant.yaml:6:4: error: f: expected a number, got \"1_000\"",
                              "plant.yaml:7:4: error: g: number \"1e999\" is too large"});
}

TEST_CASE("Whole numbers must fit in 64 bits") {
  const Document doc("a: -42\nb: 99999999999999999999\nc: +7\n");
  CHECK(doc.top().child("a").as_integer() == -42);
  CHECK(doc.top().child("c").as_integer() == 7);
  CHECK_FALSE(doc.top().child("b").as_integer().has_value());
  CHECK(doc.errors() ==
        Lines{"plant.yaml:2:4: error: b: number \"99999999999999999999\" is too large"});
}

TEST_CASE("Booleans are true or false, never yes or no") {
  const Document doc("a: true\nb: False\nc: no\n");
  CHECK(doc.top().child("a").as_bool() == true);
  CHECK(doc.top().child("b").as_bool() == false);
  CHECK_FALSE(doc.top().child("c").as_bool().has_value());
  CHECK(doc.errors() == Lines{"plant.yaml:3:4: error: c: expected true or false, got \"no\""});
}

TEST_CASE("Text is any scalar, quoted or not") {
  const Document doc("a: framing\nb: \"55\"\nc: 55\n");
  CHECK(doc.top().child("a").as_string() == "framing");
  CHECK(doc.top().child("b").as_string() == "55");
  CHECK(doc.top().child("c").as_string() == "55");
  CHECK(doc.errors().empty());
}

TEST_CASE("Durations are read with the engine's parser and its message") {
  const Document doc("a: 1.5min\nb: 90\nc: [1s]\n");
  CHECK(doc.top().child("a").as_duration() == Time::seconds(90));
  CHECK_FALSE(doc.top().child("b").as_duration().has_value());
  CHECK_FALSE(doc.top().child("c").as_duration().has_value());
  CHECK(doc.errors() ==
        Lines{"plant.yaml:2:4: error: b: duration \"90\" needs a unit (ms, s, min, h, d, w or y)",
              "plant.yaml:3:4: error: c: expected a duration like \"90s\", got a list"});
}

TEST_CASE("Distributions are read with the engine's parser and its message") {
  const Document doc("a: exponential(1min)\nb: sometimes(3)\n");
  const auto a = doc.top().child("a").as_distribution();
  REQUIRE(a.has_value());
  CHECK(a->kind() == takt::sim::Distribution::Kind::kExponential);
  CHECK(a->mean() == doctest::Approx(60.0));

  std::string reason;
  try {
    takt::sim::Distribution::parse("sometimes(3)");
  } catch (const takt::sim::ParseError& e) {
    reason = e.what();
  }
  REQUIRE_FALSE(reason.empty());
  CHECK_FALSE(doc.top().child("b").as_distribution().has_value());
  CHECK(doc.errors() == Lines{"plant.yaml:2:4: error: b: " + reason});
}

TEST_CASE("Dates are read strictly as YYYY-MM-DD days of the calendar") {
  const Document doc(
      "a: 2024-02-29\nb: 2024-3-1\nc: 2023-02-29\nd: 2024-13-01\ne: 2024-04-31\nf: 1970-01-01\n");
  const auto a = doc.top().child("a").as_date();
  REQUIRE(a.has_value());
  CHECK(a->year() == 2024);
  CHECK(a->month() == 2);
  CHECK(a->day() == 29);
  CHECK(doc.top().child("f").as_date()->days_since_epoch() == 0);
  for (const char* key : {"b", "c", "d", "e"}) CHECK_FALSE(doc.top().child(key).as_date());
  CHECK(doc.errors() ==
        Lines{"plant.yaml:2:4: error: b: expected a date like \"2024-03-01\", got \"2024-3-1\"",
              "plant.yaml:3:4: error: c: \"2023-02-29\" is not a date: February 2023 has 28 days",
              "plant.yaml:4:4: error: d: \"2024-13-01\" is not a date: months run from 01 to 12",
              "plant.yaml:5:4: error: e: \"2024-04-31\" is not a date: April 2024 has 30 days"});
}

TEST_CASE("Range checks report the value as the planner wrote it") {
  const Document doc("a: -3\nb: -5s\nc: 1.2\nd: 0\ne: 0.25\nf: 0s\n");
  const Field top = doc.top();
  CHECK_FALSE(positive(top.child("a"), top.child("a").as_integer()).has_value());
  CHECK_FALSE(non_negative(top.child("b"), top.child("b").as_duration()).has_value());
  CHECK_FALSE(in_unit_interval(top.child("c"), top.child("c").as_number()).has_value());
  CHECK_FALSE(positive(top.child("d"), top.child("d").as_number()).has_value());
  CHECK(non_negative(top.child("d"), top.child("d").as_number()) == 0.0);
  CHECK(in_unit_interval(top.child("e"), top.child("e").as_number()) == 0.25);
  CHECK(non_negative(top.child("f"), top.child("f").as_duration()) == Time::zero());
  CHECK_FALSE(positive(top.child("absent"), top.child("absent").as_number()).has_value());
  CHECK(doc.errors() == Lines{"plant.yaml:1:4: error: a: must be positive, got -3",
                              "plant.yaml:2:4: error: b: must not be negative, got -5s",
                              "plant.yaml:3:4: error: c: must be between 0 and 1, got 1.2",
                              "plant.yaml:4:4: error: d: must be positive, got 0"});
}

TEST_CASE("Absent optional fields read as nothing, silently") {
  const Document doc("name: body\n");
  const Field absent = doc.top().child("failures").child("mtbf");
  CHECK_FALSE(absent.is_defined());
  CHECK(absent.path() == "failures.mtbf");
  CHECK_FALSE(absent.as_duration().has_value());
  CHECK(absent.items().empty());
  CHECK(absent.location().line == 1);  // the nearest present parent
  CHECK(doc.errors().empty());
}

TEST_CASE("Assigning one field to another leaves the tree unchanged") {
  const Document doc("a: 1\nb: 2\n");
  Field f = doc.top().child("a");
  const Field b = doc.top().child("b");
  f = b;  // YAML::Node's own operator= would overwrite the value of "a" with that of "b"
  CHECK(f.as_integer() == 2);
  CHECK(doc.top().child("a").as_integer() == 1);
  std::vector<Field> fields{doc.top().child("a"), doc.top().child("b")};
  std::swap(fields[0], fields[1]);
  CHECK(fields[0].path() == "b");
  CHECK(doc.top().child("a").as_integer() == 1);
  CHECK(doc.top().child("b").as_integer() == 2);
}

TEST_CASE("A node an override put into the tree is located where the override was written") {
  using takt::scenario::Location;
  using takt::scenario::detail::set_origin;
  using takt::scenario::detail::set_tag;
  const auto command_line = set_origin(set_tag(Location{"--set", 0, 0}));
  REQUIRE(command_line);
  CHECK(command_line->file == "--set");
  CHECK(command_line->line == 0);
  // A file name may hold ':' itself (it is written last).
  const auto in_file = set_origin(set_tag(Location{"C:/plans/variant:2.yaml", 12, 5}));
  REQUIRE(in_file);
  CHECK(in_file->file == "C:/plans/variant:2.yaml");
  CHECK(in_file->line == 12);
  CHECK(in_file->column == 5);
  CHECK_FALSE(set_origin("!other"));
  CHECK_FALSE(set_origin(""));
}

TEST_CASE("Input files must be UTF-8: the first bad byte is located, every valid form passes") {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("takt-utf8-" + std::to_string(getpid()) + ".yaml");
  // The error's location, or "ok".
  const auto read = [&](const std::string& bytes) {
    std::ofstream(file, std::ios::binary) << bytes;
    Diagnostics d;
    const auto text = takt::scenario::detail::read_input_file(file, d, {"x.yaml", 1, 1});
    std::filesystem::remove(file);
    if (text) return std::string("ok");
    REQUIRE(d.all().size() == 1);
    const auto& where = d.all().front().where;
    return std::to_string(where.line) + ":" + std::to_string(where.column);
  };
  CHECK(read("name: Liangjiang\n") == "ok");
  CHECK(read("name: \xE9\x87\x8D\xE5\xBA\x86\n") == "ok");    // two CJK characters, 3 bytes each
  CHECK(read("a: \xC3\xA9\xF0\x9F\x9A\x97\n") == "ok");       // 2 and 4 bytes
  CHECK(read("a: \xEF\xBF\xBF \xF4\x8F\xBF\xBF\n") == "ok");  // U+FFFF, U+10FFFF
  CHECK(read("a: b\nname: D\xFF\n") == "2:8");                // not a lead byte
  CHECK(read("\x80") == "1:1");                               // a stray continuation byte
  CHECK(read("a: \xC3") == "1:4");                            // cut short at the end
  CHECK(read("a: \xC3(") == "1:4");                           // cut short by ASCII
  CHECK(read("a: \xC0\xAF") == "1:4");                        // overlong '/'
  CHECK(read("a: \xE0\x80\xAF") == "1:4");                    // overlong, 3 bytes
  CHECK(read("a: \xF0\x80\x80\xAF") == "1:4");                // overlong, 4 bytes
  CHECK(read("a: \xED\xA0\x80") == "1:4");                    // a UTF-16 surrogate
  CHECK(read("a: \xF4\x90\x80\x80") == "1:4");                // above U+10FFFF
  CHECK(read("\xE9\x87\x8D\xFF") == "1:2");                   // columns count characters, not bytes
}
