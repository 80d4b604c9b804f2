// Parsing `--set KEY.PATH=VALUE` and applying it to a YAML tree by copying only the path it
// changes, so the file's tree, its aliases and its line numbers all stay as they were.
#include "key_path.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "takt/sim/utf8.hpp"
#include "yaml_reader.hpp"

namespace takt::scenario::detail {
namespace {

using Segment = KeyPath::Segment;

bool is_all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void report(Diagnostics& diagnostics, const Location& origin, std::string path,
            std::string message) {
  diagnostics.error(origin, std::move(path), std::move(message));
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string match = closest_match(word, candidates);
  return match.empty() ? "" : " (did you mean '" + match + "'?)";
}

// What is inside "[...]": digits select by index, anything else (or a quoted text) by name.
Segment selector(std::string_view inside) {
  Segment s;
  if (is_all_digits(inside)) {
    s.kind = Segment::Kind::kIndex;
    s.text = std::string(inside);
    // Saturate instead of overflowing: such an index is out of range in any case.
    for (char c : inside)
      s.index = std::min<std::size_t>(s.index * 10 + static_cast<std::size_t>(c - '0'), 1u << 30);
    return s;
  }
  s.kind = Segment::Kind::kName;
  const bool is_quoted = inside.size() >= 2 && (inside.front() == '\'' || inside.front() == '"') &&
                         inside.back() == inside.front();
  s.text = std::string(is_quoted ? inside.substr(1, inside.size() - 2) : inside);
  return s;
}

// Reads "key(.key|[sel])*"; the returned message is empty on success.
std::string parse_segments(std::string_view text, std::vector<Segment>& segments) {
  if (text.empty()) return "empty key path before '='";
  std::size_t i = 0;
  while (true) {
    const std::size_t end = std::min(text.find_first_of(".[]", i), text.size());
    if (end == i) {
      if (i == 0) return "the key path must start with a key";
      return "empty key after '" + std::string(text.substr(0, i)) + "'";
    }
    segments.push_back(Segment{Segment::Kind::kKey, std::string(text.substr(i, end - i)), 0});
    i = end;
    while (i < text.size() && text[i] == '[') {
      const std::size_t close = text.find(']', i + 1);
      const std::string before(text.substr(0, i));
      if (close == std::string_view::npos) return "unclosed '[' after '" + before + "'";
      if (close == i + 1) return "empty brackets after '" + before + "'";
      segments.push_back(selector(text.substr(i + 1, close - i - 1)));
      i = close + 1;
    }
    if (i == text.size()) return "";
    if (text[i] != '.') {
      return "unexpected '" + std::string(1, text[i]) + "' after '" +
             std::string(text.substr(0, i)) + "'";
    }
    ++i;
  }
}

// The value of `key` in a mapping item, if it is text.
std::optional<std::string> text_of(const YAML::Node& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node k = it->first;
    const YAML::Node v = it->second;
    if (k.IsScalar() && k.Scalar() == key) {
      return v.IsScalar() ? std::optional<std::string>(v.Scalar()) : std::nullopt;
    }
  }
  return std::nullopt;
}

// How an item is named: its `name`, else the value of its first key (`- buffer: wbs`).
std::optional<std::string> item_name(const YAML::Node& item) {
  if (!item.IsMap() || item.size() == 0) return std::nullopt;
  if (std::optional<std::string> name = text_of(item, "name")) return name;
  const YAML::Node first = item.begin()->second;
  return first.IsScalar() ? std::optional<std::string>(first.Scalar()) : std::nullopt;
}

bool is_named(const YAML::Node& item, const std::string& name) {
  if (!item.IsMap() || item.size() == 0) return false;
  const YAML::Node first = item.begin()->second;
  return text_of(item, "name") == name || (first.IsScalar() && first.Scalar() == name);
}

// An empty collection of the same kind, position, tag and style as `original`. yaml-cpp cannot
// set a node's mark, so the empty collection is parsed from text that puts it at that mark.
YAML::Node empty_like(const YAML::Node& original) {
  const bool is_map = original.IsMap();
  const YAML::Mark mark = original.Mark();
  YAML::Node copy = mark.is_null() || set_origin(original.Tag())
                        ? YAML::Node(is_map ? YAML::NodeType::Map : YAML::NodeType::Sequence)
                        : YAML::Load(std::string(static_cast<std::size_t>(mark.line), '\n') +
                                     std::string(static_cast<std::size_t>(mark.column), ' ') +
                                     (is_map ? "{}" : "[]"));
  copy.SetTag(original.Tag());
  copy.SetStyle(original.Style());
  return copy;
}

// An alias makes several places share one node: a node already tagged was visited with all
// below it, so an alias bomb (ten aliases to a node of ten aliases, ...) costs its size, not
// its expansion.
void tag_as_set(YAML::Node node, const std::string& tag) {
  if (node.Tag() == tag) return;
  node.SetTag(tag);
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      tag_as_set(it->first, tag);
      tag_as_set(it->second, tag);
    }
  } else if (node.IsSequence()) {
    for (YAML::Node item : node) tag_as_set(item, tag);
  }
}

std::optional<YAML::Node> load_value(const std::string& text, std::string& problem) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    problem = e.msg;
    return std::nullopt;
  }
}

// Whether a quoted or bracketed value is all of `text`: YAML::Load stops after one node, so
// `"30d" 60d` would read as "30d" without a word. Inside a flow list it must be the one item.
// (Not YAML::LoadAll, which never ends on some inputs with a NUL byte: the fuzzer found one.)
bool is_one_value(const std::string& text) {
  try {
    const YAML::Node list = YAML::Load("[" + text + "\n]");
    return list.IsSequence() && list.size() == 1;
  } catch (const YAML::Exception&) {
    return false;
  }
}

// The value as YAML; text that is no flow collection and no single value is taken verbatim, so
// "empirical(50s: 0.2, 60s: 0.8)" needs no quotes on the command line.
std::optional<YAML::Node> parse_value(const SetOverride& set, Diagnostics& diagnostics) {
  const std::string text(trim(set.value));
  const char first = text.empty() ? ' ' : text.front();
  const bool is_structured = first == '[' || first == '{' || first == '"' || first == '\'';
  // What the scan refuses (an alias inside what it names, an alias bomb, a tag) is refused
  // whatever the value's shape: taken as plain text, "!!str X" would be a name.
  if (const std::string refused = alias_problem(text); !refused.empty()) {
    report(diagnostics, set.origin, set.path.to_string(set.path.segments.size()), refused);
    return std::nullopt;
  }
  std::string problem;
  const std::optional<YAML::Node> loaded = load_value(text, problem);
  if (!loaded && is_structured) {
    report(diagnostics, set.origin, set.path.to_string(set.path.segments.size()),
           "value is not valid YAML: " + problem);
    return std::nullopt;
  }
  if (is_structured && !is_one_value(text)) {
    report(
        diagnostics, set.origin, set.path.to_string(set.path.segments.size()),
        "value is not valid YAML: text follows the quoted or bracketed value (got " + text + ")");
    return std::nullopt;
  }
  const bool is_null_word = text == "~" || text == "null" || text == "Null" || text == "NULL";
  const bool is_single_value = loaded && (loaded->IsScalar() || (loaded->IsNull() && is_null_word));
  YAML::Node value = is_structured || is_single_value ? *loaded : YAML::Node(text);
  tag_as_set(value, set_tag(set.origin));
  return value;
}

// Copies the path of `set` down from the root, replacing what the last segment names.
class PathCopier {
 public:
  PathCopier(const SetOverride& set, YAML::Node value, Diagnostics& diagnostics)
      : set_(set), value_(std::move(value)), diagnostics_(diagnostics) {}

  std::optional<YAML::Node> copy(const YAML::Node& node, std::size_t i) const {
    return set_.path.segments[i].kind == Segment::Kind::kKey ? copy_map(node, i)
                                                             : copy_list(node, i);
  }

 private:
  bool is_last(std::size_t i) const { return i + 1 == set_.path.segments.size(); }
  std::string noun(std::size_t i) const {
    return i == 0 ? "the top level" : set_.path.to_string(i);
  }
  std::nullopt_t fail(std::size_t i, std::string message) const {
    report(diagnostics_, set_.origin, set_.path.to_string(i + 1), std::move(message));
    return std::nullopt;
  }
  // The new value of the child: the override's value at the end of the path, else a copy.
  std::optional<YAML::Node> replacement(const YAML::Node& child, std::size_t i) const {
    return is_last(i) ? std::optional<YAML::Node>(value_) : copy(child, i + 1);
  }

  std::optional<YAML::Node> copy_map(const YAML::Node& map, std::size_t i) const {
    const std::string& key = set_.path.segments[i].text;
    if (!map.IsMap()) return fail(i, noun(i) + " is " + describe(map) + ", not a mapping");
    std::vector<std::string> keys;
    std::optional<std::size_t> found;
    std::optional<YAML::Node> child;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node k = it->first;
      if (!k.IsScalar()) continue;
      keys.push_back(k.Scalar());
      if (!found && k.Scalar() == key) {
        found = keys.size() - 1;
        child.emplace(it->second);
      }
    }
    if (!found && !is_last(i)) {
      return fail(i, "no key '" + key + "' " + (i == 0 ? "at the top level" : "in " + noun(i)) +
                         did_you_mean(key, keys));
    }
    const std::optional<YAML::Node> value =
        is_last(i) ? std::optional<YAML::Node>(value_) : copy(*child, i + 1);
    if (!value) return std::nullopt;
    // `end` and `horizon` say one thing, the run's length: an edit of one replaces the other,
    // so that `--set end=...` replaces a horizon an `overrides:` entry wrote, and the reverse.
    const std::string rival = i == 0 && is_last(i) ? (key == "end"       ? "horizon"
                                                      : key == "horizon" ? "end"
                                                                         : "")
                                                   : "";
    YAML::Node result = empty_like(map);
    std::size_t index = 0;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node k = it->first;
      const bool is_target = found && k.IsScalar() && index++ == *found;
      if (!is_target && !rival.empty() && k.IsScalar() && k.Scalar() == rival) continue;
      result.force_insert(k, is_target ? *value : YAML::Node(it->second));
    }
    if (!found) {
      YAML::Node new_key(key);
      new_key.SetTag(set_tag(set_.origin));
      result.force_insert(new_key, *value);
    }
    return result;
  }

  std::optional<YAML::Node> copy_list(const YAML::Node& list, std::size_t i) const {
    if (!list.IsSequence()) return fail(i, noun(i) + " is " + describe(list) + ", not a list");
    if (is_appended(list, i)) {
      YAML::Node result = empty_like(list);
      for (const YAML::Node& item : list) result.push_back(item);
      result.push_back(value_);
      return result;
    }
    const std::optional<std::size_t> at = find_item(list, i);
    if (!at) return std::nullopt;
    std::vector<YAML::Node> items(list.begin(), list.end());
    const std::optional<YAML::Node> value = replacement(items[*at], i);
    if (!value) return std::nullopt;
    YAML::Node result = empty_like(list);
    for (std::size_t k = 0; k < items.size(); ++k) result.push_back(k == *at ? *value : items[k]);
    return result;
  }

  // `shops[parts]={name: parts, ...}`: a whole new item, named as the path names it, is added
  // at the end of the list when no item has that name yet (a variant that adds a shop).
  bool is_appended(const YAML::Node& list, std::size_t i) const {
    const Segment& s = set_.path.segments[i];
    if (!is_last(i) || s.kind == Segment::Kind::kIndex || !value_.IsMap()) return false;
    if (item_name(value_) != std::optional<std::string>(s.text)) return false;
    for (const YAML::Node& item : list) {
      if (is_named(item, s.text)) return false;
    }
    return true;
  }

  std::optional<std::size_t> find_item(const YAML::Node& list, std::size_t i) const {
    const Segment& s = set_.path.segments[i];
    const std::size_t count = list.size();
    if (s.kind == Segment::Kind::kIndex) {
      if (s.index < count) return s.index;
      return fail(i, "index " + s.text + " is out of range: " + noun(i) + " has " +
                         std::to_string(count) + (count == 1 ? " item" : " items") +
                         " (counting from 0)");
    }
    std::vector<std::size_t> matches;
    std::vector<std::string> names;
    std::size_t index = 0;
    for (const YAML::Node& item : list) {
      if (is_named(item, s.text)) matches.push_back(index);
      if (std::optional<std::string> name = item_name(item)) names.push_back(*name);
      ++index;
    }
    if (matches.size() == 1) return matches.front();
    if (matches.empty()) {
      return fail(i, "no item named '" + s.text + "' in " + noun(i) + did_you_mean(s.text, names));
    }
    return fail(i, std::to_string(matches.size()) + " items are named '" + s.text + "' in " +
                       noun(i) + "; select one by index, e.g. " + noun(i) + "[" +
                       std::to_string(matches.front()) + "]");
  }

  const SetOverride& set_;
  YAML::Node value_;
  Diagnostics& diagnostics_;
};

}  // namespace

std::string KeyPath::to_string(std::size_t count) const {
  std::string text;
  for (std::size_t i = 0; i < count && i < segments.size(); ++i) {
    const Segment& s = segments[i];
    switch (s.kind) {
      case Segment::Kind::kKey:
        text += (i == 0 ? "" : ".") + s.text;
        break;
      case Segment::Kind::kName:
        text += "[" + (is_all_digits(s.text) ? "'" + s.text + "'" : s.text) + "]";
        break;
      case Segment::Kind::kIndex:
        text += "[" + s.text + "]";
        break;
    }
  }
  return text;
}

std::optional<SetOverride> parse_set_override(std::string_view expression, Diagnostics& diagnostics,
                                              const Location& origin) {
  // The first '=' outside brackets ends the path: names and values may hold '=' themselves.
  std::size_t equals = std::string_view::npos;
  int depth = 0;
  for (std::size_t i = 0; i < expression.size() && equals == std::string_view::npos; ++i) {
    if (expression[i] == '[') ++depth;
    if (expression[i] == ']' && depth > 0) --depth;
    if (expression[i] == '=' && depth == 0) equals = i;
  }
  // A name or value that is not UTF-8 would reach summary.json as it is; the expression is
  // not echoed, since its bytes would garble the message too.
  if (const std::size_t bad = sim::first_invalid_utf8(expression); bad != std::string_view::npos) {
    report(diagnostics, origin, "",
           "not UTF-8 text (byte " + std::to_string(bad + 1) + " of the edit): write it in UTF-8");
    return std::nullopt;
  }
  SetOverride set;
  set.expression = std::string(expression);
  set.origin = origin;
  const std::string problem = parse_segments(trim(expression.substr(0, equals)), set.path.segments);
  if (!problem.empty()) {
    report(diagnostics, origin, set.expression, problem);
    return std::nullopt;
  }
  if (equals == std::string_view::npos) {
    report(diagnostics, origin, set.expression, "missing '=' (expected KEY.PATH=VALUE)");
    return std::nullopt;
  }
  set.value = std::string(expression.substr(equals + 1));
  if (trim(set.value).empty()) {
    report(diagnostics, origin, set.expression,
           "missing value after '=' (write ~ for an empty value)");
    return std::nullopt;
  }
  return set;
}

std::optional<YAML::Node> apply_set_override(const YAML::Node& root, const SetOverride& override,
                                             Diagnostics& diagnostics) {
  std::optional<YAML::Node> value = parse_value(override, diagnostics);
  if (!value) return std::nullopt;
  return PathCopier(override, *value, diagnostics).copy(root, 0);
}

YAML::Node apply_set_overrides(const YAML::Node& root, const std::vector<std::string>& expressions,
                               Diagnostics& diagnostics) {
  std::vector<Edit> edits;
  for (const std::string& expression : expressions) edits.push_back({expression});
  return apply_edits(root, edits, diagnostics);
}

YAML::Node apply_edits(const YAML::Node& root, const std::vector<Edit>& edits,
                       Diagnostics& diagnostics) {
  // Each version is kept rather than assigned: YAML::Node::operator= overwrites the node a
  // handle refers to (here it would be the caller's root) instead of rebinding the handle.
  std::vector<YAML::Node> versions{root};
  for (const Edit& edit : edits) {
    const std::optional<SetOverride> set =
        parse_set_override(edit.expression, diagnostics, edit.origin);
    if (!set) continue;
    if (std::optional<YAML::Node> changed =
            apply_set_override(versions.back(), *set, diagnostics)) {
      versions.push_back(*changed);
    }
  }
  return versions.back();
}

namespace {

// Recursive rather than a loop that reassigns one YAML::Node: assigning a node in yaml-cpp
// rebinds the node it referred to, which would rewrite `root`.
void canonicalize(const YAML::Node& at, KeyPath& path, std::size_t i) {
  if (i == path.segments.size()) return;
  Segment& s = path.segments[i];
  if (s.kind == Segment::Kind::kKey) {
    if (at.IsMap() && at[s.text]) canonicalize(at[s.text], path, i + 1);
    return;
  }
  if (!at.IsSequence()) return;
  std::optional<std::size_t> found;
  std::size_t index = 0;
  for (const YAML::Node& item : at) {
    const bool match = s.kind == Segment::Kind::kIndex ? index == s.index : is_named(item, s.text);
    if (match && found) return;  // two items of one name: the path is ambiguous there
    if (match) found = index;
    ++index;
  }
  if (!found) return;
  s = Segment{Segment::Kind::kIndex, std::to_string(*found), *found};
  canonicalize(at[*found], path, i + 1);
}

}  // namespace

std::string canonical_path(const YAML::Node& root, const KeyPath& path) {
  KeyPath out = path;
  canonicalize(root, out, 0);
  return out.to_string(out.segments.size());
}

std::optional<YAML::Node> node_at(const YAML::Node& root, const KeyPath& path) {
  YAML::Node at = root;
  for (const KeyPath::Segment& s : path.segments) {
    if (s.kind == KeyPath::Segment::Kind::kKey) {
      if (!at.IsMap() || !at[s.text]) return std::nullopt;
      at = at[s.text];
      continue;
    }
    if (!at.IsSequence()) return std::nullopt;
    std::vector<YAML::Node> found;
    std::size_t index = 0;
    for (const YAML::Node& item : at) {
      const bool match =
          s.kind == KeyPath::Segment::Kind::kIndex ? index == s.index : is_named(item, s.text);
      if (match) found.push_back(item);
      ++index;
    }
    if (found.size() != 1) return std::nullopt;
    at = found.front();
  }
  return at;
}

}  // namespace takt::scenario::detail
