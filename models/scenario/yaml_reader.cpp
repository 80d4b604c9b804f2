// Field-by-field reading of a yaml-cpp tree that turns every problem into a positioned
// diagnostic, so the loader never sees a yaml-cpp exception or a 0-based mark.
#include "yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "takt/scenario/limits.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/utf8.hpp"

namespace takt::scenario::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// At most 60 bytes of it: a message names the value, it need not repeat it whole.
std::string quoted(std::string_view s) { return "\"" + sim::shortened(s, 60) + "\""; }

// Names and text reach the terminal as written, so a control character (C0 but tab and line
// feed, DEL, or C1, which UTF-8 writes as C2 80 to C2 9F) would drive it: an ESC sequence
// can recolour or erase what takt prints. The message for the first one, or "".
std::string control_character_error(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto byte = static_cast<unsigned char>(s[i]);
    unsigned code = byte;
    if (byte == 0xC2 && i + 1 < s.size()) code = static_cast<unsigned char>(s[i + 1]);
    const bool control = (code < 0x20 && code != '\t' && code != '\n') || code == 0x7F ||
                         (byte == 0xC2 && code >= 0x80 && code <= 0x9F);
    if (!control) continue;
    char text[96];
    std::snprintf(text, sizeof text,
                  "holds a control character (U+%04X, byte %zu): names and text may hold none",
                  code, i + 1);
    return text;
  }
  return "";
}

// yaml-cpp only says "illegal block entry" when a tab indents; say what to do about it.
std::string tab_hint(std::string_view text, int line) {
  if (line < 0) return "";
  std::size_t begin = 0;
  for (int i = 0; i < line && begin != std::string_view::npos; ++i) {
    begin = text.find('\n', begin);
    if (begin != std::string_view::npos) ++begin;
  }
  if (begin == std::string_view::npos) return "";
  for (std::size_t i = begin; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
    if (text[i] == '\t') return " (indent with spaces, not tabs)";
  }
  return "";
}

// A plain decimal: optional sign, digits with at most one point, optional exponent.
bool is_decimal(std::string_view s, bool allow_fraction) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (!allow_fraction) return digits > 0 && i == s.size();
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

const char* month_name(int month) {
  static constexpr const char* kNames[] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
  return kNames[month - 1];
}

}  // namespace

namespace {

// One pass over the event stream, building no nodes (so an alias bomb costs nothing here):
// counts the documents, notices a document that starts where the one before started (yaml-cpp
// 0.7's LoadAll loops for ever on a stray ',' at the top level, growing without bound), and
// collects explicit tags. It also counts the values that aliases add when expanded, and finds an
// alias inside the node it names (`a: &a [*a]`): yaml-cpp builds that as a node that holds itself,
// which every walk over the file followed until the stack overflowed, and nested aliases make a
// walk take ten times longer a line.
class Scan : public YAML::EventHandler {
 public:
  int documents = 0;
  bool is_stuck = false;
  YAML::Mark stuck_at, second_start;
  std::vector<std::pair<YAML::Mark, std::string>> tags;
  bool is_recursive = false;
  YAML::Mark recursive_at;
  std::uint64_t aliased = 0;  // values the aliases add when expanded (saturating)

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents > 0 && mark.pos == last_start_.pos) {
      is_stuck = true;
      stuck_at = mark;
    }
    if (documents == 1) second_start = mark;
    last_start_ = mark;
    ++documents;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    for (const Open& o : open_) {
      if (o.anchor != 0 && o.anchor == anchor && !is_recursive) {
        is_recursive = true;
        recursive_at = mark;
      }
    }
    const auto named = sizes_.find(anchor);
    const std::uint64_t n = named == sizes_.end() ? 1 : named->second;
    aliased = plus(aliased, n);
    add(n);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string&) override {
    note(mark, tag);
    leaf(anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    note(mark, tag);
    open_.push_back({anchor, 1});
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    note(mark, tag);
    open_.push_back({anchor, 1});
  }
  void OnMapEnd() override { close(); }

 private:
  // A list or mapping being read: its anchor (0: none) and its values so far.
  struct Open {
    YAML::anchor_t anchor;
    std::uint64_t values;
  };
  static std::uint64_t plus(std::uint64_t a, std::uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
  }
  // Into the list or mapping being read: an anchored one's size is what its aliases add.
  void add(std::uint64_t n) {
    if (!open_.empty()) open_.back().values = plus(open_.back().values, n);
  }
  void leaf(YAML::anchor_t anchor) {
    if (anchor != 0) sizes_[anchor] = 1;
    add(1);
  }
  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    if (done.anchor != 0) sizes_[done.anchor] = done.values;
    add(done.values);
  }
  std::vector<Open> open_;
  std::map<YAML::anchor_t, std::uint64_t> sizes_;  // values of each anchored node, expanded

  // "?" is a plain node's tag and "!" a quoted one's: neither was written by the user.
  void note(const YAML::Mark& mark, const std::string& tag) {
    if (tag.empty() || tag == "?" || tag == "!") return;
    tags.emplace_back(mark, tag);
  }
  YAML::Mark last_start_;
};

// "tag:yaml.org,2002:int" as the planner wrote it: "!!int".
std::string written_tag(const std::string& tag) {
  const std::string core = "tag:yaml.org,2002:";
  return tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
}

Location location_of_mark(const YAML::Mark& mark, const std::string& file) {
  return mark.is_null() ? Location{file, 0, 0} : Location{file, mark.line + 1, mark.column + 1};
}

}  // namespace

namespace {

const char* const kRecursiveAlias =
    "this alias names a list or mapping that holds it: the value would hold itself without end; "
    "copy the values instead";

std::string too_many_values() {
  return "its aliases expand to more than " + std::to_string(limits::kExpandedValues) +
         " values, far more than any scenario: aliases of aliases multiply them";
}

}  // namespace

std::string alias_problem(std::string_view text) {
  Scan scan;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (!scan.is_stuck && parser.HandleNextDocument(scan)) {
    }
  } catch (const YAML::Exception&) {
    return "";
  }
  if (scan.is_recursive) return kRecursiveAlias;
  if (scan.aliased > limits::kExpandedValues) return too_many_values();
  // As in a file: a tag would be dropped without a word when the edit marks its origin.
  if (!scan.tags.empty()) {
    return "YAML tags such as '" + written_tag(scan.tags.front().second) +
           "' are not supported; write the value plainly";
  }
  return "";
}

std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file,
                                    Diagnostics& diagnostics) {
  Scan scan;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (!scan.is_stuck && parser.HandleNextDocument(scan)) {
    }
  } catch (const YAML::Exception& e) {
    const Location where = location_of_mark(e.mark, file);
    diagnostics.error(where, "", "not valid YAML: " + e.msg + tab_hint(text, e.mark.line));
    return std::nullopt;
  }
  if (scan.is_stuck) {
    const auto at = static_cast<std::size_t>(scan.stuck_at.pos);
    const std::string what = at < text.size() ? "'" + std::string(1, text[at]) + "'" : "text";
    diagnostics.error(
        location_of_mark(scan.stuck_at, file), "",
        "not valid YAML: unexpected " + what + " where a value or a key should start");
    return std::nullopt;
  }
  for (const auto& [mark, tag] : scan.tags) {
    diagnostics.error(
        location_of_mark(mark, file), "",
        "YAML tags such as '" + written_tag(tag) + "' are not supported; write the value plainly");
  }
  if (!scan.tags.empty()) return std::nullopt;
  if (scan.is_recursive) {
    diagnostics.error(location_of_mark(scan.recursive_at, file), "", kRecursiveAlias);
    return std::nullopt;
  }
  if (scan.aliased > limits::kExpandedValues) {
    diagnostics.error(Location{file, 1, 1}, "", "the file: " + too_many_values());
    return std::nullopt;
  }
  if (scan.documents > 1) {
    diagnostics.error(location_of_mark(scan.second_start, file), "",
                      "expected one YAML document, found " + std::to_string(scan.documents));
  }
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    diagnostics.error(location_of_mark(e.mark, file), "",
                      "not valid YAML: " + e.msg + tab_hint(text, e.mark.line));
    return std::nullopt;
  }
  if (scan.documents == 0 || document.IsNull()) {
    diagnostics.error(Location{file, 1, 1}, "", "file is empty");  // 1:1 for editors' jumps
    return std::nullopt;
  }
  if (scan.documents > 1) return std::nullopt;
  if (!document.IsMap()) {
    diagnostics.error(location_of(document, file), "",
                      "expected a mapping at the top level, got " + describe(document));
    return std::nullopt;
  }
  return document;
}

std::string set_tag(const Location& origin) {
  // A command-line edit has no line; its option's name ("--change", "--param") is its file.
  if (origin.line <= 0 && (origin.file == "--set" || origin.file.empty())) return kSetTag;
  return std::string(kSetTag) + ":" + std::to_string(origin.line) + ":" +
         std::to_string(origin.column) + ":" + origin.file;
}

std::optional<Location> set_origin(const std::string& tag) {
  const std::string prefix = kSetTag;
  if (tag.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  if (tag.size() == prefix.size()) return Location{"--set", 0, 0};
  // ":LINE:COL:FILE"; the file may hold ':' itself, so it is last. Files cannot carry tags
  // (load_yaml refuses them), but a malformed one still reads as no origin, never a throw.
  if (tag[prefix.size()] != ':') return std::nullopt;
  const std::size_t line_end = tag.find(':', prefix.size() + 1);
  const std::size_t column_end =
      line_end == std::string::npos ? line_end : tag.find(':', line_end + 1);
  if (column_end == std::string::npos) return std::nullopt;
  const std::string line = tag.substr(prefix.size() + 1, line_end - prefix.size() - 1);
  const std::string column = tag.substr(line_end + 1, column_end - line_end - 1);
  if (!is_all_digits(line) || !is_all_digits(column) || line.size() > 9 || column.size() > 9) {
    return std::nullopt;
  }
  Location origin;
  origin.line = std::stoi(line);
  origin.column = std::stoi(column);
  origin.file = tag.substr(column_end + 1);
  return origin;
}

Location location_of(const YAML::Node& node, const std::string& file) {
  if (const std::optional<Location> origin = set_origin(node.Tag())) return *origin;
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Location{file, 0, 0};
  return Location{file, mark.line + 1, mark.column + 1};
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return quoted(node.Scalar());
    default:
      return "an empty value";
  }
}

Field::Field(YAML::Node node, std::string path, const std::string* file, Diagnostics* diagnostics)
    : Field(node, true, node, std::move(path), file, diagnostics) {}

Field::Field(YAML::Node node, bool defined, YAML::Node anchor, std::string path,
             const std::string* file, Diagnostics* diagnostics)
    : node_(std::move(node)),
      defined_(defined),
      anchor_(std::move(anchor)),
      path_(std::move(path)),
      file_(file),
      diagnostics_(diagnostics) {}

Field& Field::operator=(const Field& other) {
  if (this == &other) return *this;
  // Emptying the optionals first makes them copy-construct new handles instead of calling
  // YAML::Node::operator=, which would write `other`'s node into the tree this field views.
  node_.reset();
  node_ = other.node_;
  anchor_.reset();
  anchor_ = other.anchor_;
  defined_ = other.defined_;
  path_ = other.path_;
  file_ = other.file_;
  diagnostics_ = other.diagnostics_;
  return *this;
}

const YAML::Node& Field::report_node() const {
  // An empty value's mark is that of the next token, often on the following line.
  return defined_ && !node_->IsNull() ? *node_ : *anchor_;
}

Location Field::location() const { return location_of(report_node(), *file_); }

std::string Field::text() const {
  return defined_ && node_->IsScalar() ? node_->Scalar() : describe(*node_);
}

void Field::error(std::string message) const { error_at(report_node(), std::move(message)); }

bool Field::errors_full() const { return diagnostics_ != nullptr && diagnostics_->full(); }

void Field::error_at(const YAML::Node& where, std::string message) const {
  diagnostics_->error(location_of(where, *file_), path_, std::move(message));
}

std::string Field::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Field Field::child(std::string_view key) const {
  if (is_map()) {
    for (auto it = node_->begin(); it != node_->end(); ++it) {
      const YAML::Node name = it->first;  // a copy: `it->` yields a temporary
      if (name.IsScalar() && name.Scalar() == key) {
        return Field(it->second, true, name, child_path(key), file_, diagnostics_);
      }
    }
  }
  return Field(YAML::Node(), false, report_node(), child_path(key), file_, diagnostics_);
}

Field Field::require(std::string_view key) const {
  Field value = child(key);
  if (!value.is_defined() && expect_map()) {
    error("missing required key '" + std::string(key) + "'");
  }
  return value;
}

std::vector<Field> Field::items(const std::vector<std::string_view>& name_keys) const {
  std::vector<Field> result;
  if (!expect_list()) return result;
  std::size_t index = 0;
  for (const YAML::Node& item : *node_) {
    std::string label = std::to_string(index++);
    for (std::string_view key : name_keys) {
      const Field name = Field(item, path_, file_, diagnostics_).child(key);
      // A name with a control character is named by its index: the error about it says why.
      if (!name.is_scalar() || !control_character_error(name.node().Scalar()).empty()) continue;
      label = is_all_digits(name.node().Scalar()) ? "'" + name.node().Scalar() + "'"
                                                  : name.node().Scalar();
      break;
    }
    result.push_back(Field(item, true, item, path_ + "[" + label + "]", file_, diagnostics_));
  }
  return result;
}

template <class Visit>
bool Field::for_each_unique_key(Visit visit) const {
  if (!expect_map()) return !defined_;
  bool ok = true;
  // A map, not a list searched at each key: a generated file may hold 100,000 keys.
  std::map<std::string, YAML::Node> seen;
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    const YAML::Node key = it->first;  // a copy: `it->` yields a temporary
    if (!key.IsScalar()) {
      error_at(key, "expected a key, got " + describe(key));
      ok = false;
      continue;
    }
    if (const std::string bad = control_character_error(key.Scalar()); !bad.empty()) {
      error_at(key, "key " + bad);
      ok = false;
      continue;
    }
    const auto first = seen.find(key.Scalar());
    if (first != seen.end()) {
      const int line = location_of(first->second, *file_).line;
      error_at(key, "duplicate key '" + key.Scalar() + "' (first given " +
                        (line > 0 ? "at line " + std::to_string(line) : "earlier") + ")");
      ok = false;
      continue;
    }
    seen.emplace(key.Scalar(), key);
    const YAML::Node value = it->second;
    ok = visit(key, value) && ok;
  }
  return ok;
}

std::vector<std::pair<std::string, Field>> Field::entries() const {
  std::vector<std::pair<std::string, Field>> result;
  for_each_unique_key([&](const YAML::Node& key, const YAML::Node& value) {
    result.emplace_back(key.Scalar(),
                        Field(value, true, key, child_path(key.Scalar()), file_, diagnostics_));
    return true;
  });
  return result;
}

bool Field::check_keys(std::initializer_list<std::string_view> allowed) const {
  return for_each_unique_key([&](const YAML::Node& key, const YAML::Node&) {
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) return true;
    const std::vector<std::string> candidates(allowed.begin(), allowed.end());
    const std::string suggestion = errors_full() ? "" : closest_match(name, candidates);
    std::string message = "unknown key '" + name + "'";
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    error_at(key, message);
    return false;
  });
}

bool Field::expect_map() const {
  if (is_map()) return true;
  if (defined_) error("expected a mapping, got " + describe(*node_));
  return false;
}

bool Field::expect_list() const {
  if (is_list()) return true;
  if (defined_) error("expected a list, got " + describe(*node_));
  return false;
}

std::optional<std::string> Field::scalar(const char* what) const {
  if (!defined_) return std::nullopt;
  if (node_->IsScalar()) return node_->Scalar();
  error(std::string("expected ") + what + ", got " + describe(*node_));
  return std::nullopt;
}

std::optional<std::string> Field::as_string() const {
  std::optional<std::string> s = scalar("text");
  if (!s) return s;
  if (const std::string bad = control_character_error(*s); !bad.empty()) {
    error(bad);
    return std::nullopt;
  }
  return s;
}

std::optional<double> Field::as_number() const {
  const std::optional<std::string> s = scalar("a number");
  if (!s) return std::nullopt;
  if (is_decimal(*s, true)) {
    const double value = std::strtod(s->c_str(), nullptr);
    if (std::isfinite(value)) return value;
    error("number " + quoted(*s) + " is too large");
    return std::nullopt;
  }
  error("expected a number, got " + quoted(*s));
  return std::nullopt;
}

std::optional<std::int64_t> Field::as_integer() const {
  const std::optional<std::string> s = scalar("a whole number");
  if (!s) return std::nullopt;
  if (!is_decimal(*s, false)) {
    error("expected a whole number, got " + quoted(*s));
    return std::nullopt;
  }
  errno = 0;
  const long long value = std::strtoll(s->c_str(), nullptr, 10);
  if (errno == ERANGE) {
    error("number " + quoted(*s) + " is too large");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

std::optional<bool> Field::as_bool() const {
  const std::optional<std::string> s = scalar("true or false");
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "True" || *s == "TRUE") return true;
  if (*s == "false" || *s == "False" || *s == "FALSE") return false;
  error("expected true or false, got " + quoted(*s));
  return std::nullopt;
}

std::optional<sim::Time> Field::as_duration() const {
  const std::optional<std::string> s = scalar("a duration like \"90s\"");
  if (!s) return std::nullopt;
  try {
    return sim::parse_duration(*s);
  } catch (const sim::ParseError& e) {
    error(e.what());
    return std::nullopt;
  }
}

std::optional<sim::Distribution> Field::as_distribution() const {
  const std::optional<std::string> s = scalar("a distribution like \"exponential(1min)\"");
  if (!s) return std::nullopt;
  try {
    return sim::Distribution::parse(*s);
  } catch (const sim::ParseError& e) {
    std::string message = e.what();
    // In a flow collection ({...} or [...]) YAML splits "triangular(3min, 5min, 10min)" at
    // its commas; the cut-off text is the tell-tale, and quoting is the cure.
    if (s->find('(') != std::string::npos && s->find(')') == std::string::npos) {
      message += " (inside {...} or [...], put a distribution with commas in quotes)";
    }
    error(message);
    return std::nullopt;
  }
}

std::optional<models::CalendarDate> Field::as_date() const {
  const std::optional<std::string> s = scalar("a date like \"2024-03-01\"");
  if (!s) return std::nullopt;
  if (std::optional<models::CalendarDate> date = models::CalendarDate::parse(*s)) return date;
  // CalendarDate::parse does not say why; tell a malformed date from a day that does not exist.
  const std::string& t = *s;
  const bool is_well_formed = t.size() == 10 && t[4] == '-' && t[7] == '-' &&
                              is_all_digits(t.substr(0, 4)) && is_all_digits(t.substr(5, 2)) &&
                              is_all_digits(t.substr(8, 2));
  if (!is_well_formed) {
    error("expected a date like \"2024-03-01\", got " + quoted(t));
    return std::nullopt;
  }
  const int year = std::stoi(t.substr(0, 4));
  const int month = std::stoi(t.substr(5, 2));
  if (month < 1 || month > 12) {
    error(quoted(t) + " is not a date: months run from 01 to 12");
    return std::nullopt;
  }
  error(quoted(t) + " is not a date: " + month_name(month) + " " + std::to_string(year) + " has " +
        std::to_string(models::CalendarDate::days_in_month(year, month)) + " days");
  return std::nullopt;
}

std::optional<double> in_unit_interval(const Field& field, std::optional<double> value) {
  if (!value || (*value >= 0.0 && *value <= 1.0)) return value;
  field.error("must be between 0 and 1, got " + field.text());
  return std::nullopt;
}

}  // namespace takt::scenario::detail
