// Holiday files are read like scenarios: every problem with its line in that file, all at once.
#include "holiday_files.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "input_file.hpp"
#include "readers.hpp"
#include "takt/scenario/scenario.hpp"
#include "takt/sim/utf8.hpp"

namespace takt::scenario::detail {
namespace {

struct BuiltIn {
  const char* name;
  const char* file;  // where its text comes from in the source tree, for messages
  const char* text;
};

const std::vector<BuiltIn>& built_ins() {
  static const std::vector<BuiltIn> files{
      {
          "cn-public",
          "scenarios/calendars/cn-public.yaml",
#include "cn_public_text.inc"
      },
  };
  return files;
}

bool is_path(const std::string& name) {
  const auto ends_with = [&name](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return name.find('/') != std::string::npos || ends_with(".yaml") || ends_with(".yml");
}

}  // namespace

HolidayFiles::HolidayFiles(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

std::vector<std::string> HolidayFiles::built_in_names() {
  std::vector<std::string> names;
  for (const BuiltIn& b : built_ins()) names.emplace_back(b.name);
  return names;
}

const HolidayFile* HolidayFiles::find(const std::string& name, const Field& where) {
  const std::string key = is_path(name) ? path_from(where.location(), name).string() : name;
  const auto known = files_.find(key);
  if (known != files_.end()) return known->second->ok ? known->second.get() : nullptr;
  auto h = std::make_unique<HolidayFile>();
  h->name = name;
  const auto ends_with = [&name](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (is_path(name) && !ends_with(".yaml") && !ends_with(".yml")) {
    // Read as one, any file was quoted back whole in the error ("holidays: /etc/passwd").
    where.error("a holiday file is a .yaml file, got '" + sim::shortened(name, 100) + "'");
  } else if (is_path(name)) {
    const std::filesystem::path path = key;
    h->file = path.string();
    const auto text = read_input_file(path, diagnostics_, where.location(), where.path());
    if (text) {
      h->text = *text;
      read(*h);
    }
  } else {
    for (const BuiltIn& b : built_ins()) {
      if (name != b.name) continue;
      h->file = b.file;
      h->text = b.text;
      read(*h);
    }
    if (h->file.empty()) {
      const std::string guess = closest_match(name, built_in_names());
      where.error("unknown holiday file '" + name + "'" +
                  (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                  "; name a built-in one or a path ending in .yaml");
    }
  }
  const HolidayFile* found = h->ok ? h.get() : nullptr;
  files_.emplace(key, std::move(h));
  return found;
}

// `holidays: NAME`, `description`, then `years:`, each with its `notice` date (when the State
// Council announced it, so a reader can check the list), `holidays` and `makeup_days`.
void HolidayFiles::read(HolidayFile& h) {
  const std::size_t errors_before = diagnostics_.count();
  const auto tree = load_yaml(h.text, h.file, diagnostics_);
  if (!tree) return;
  h.tree = *tree;
  const Field root(h.tree, "", &h.file, &diagnostics_);
  root.check_keys({"holidays", "description", "years"});
  root.require("holidays").as_string();
  std::vector<Field> makeup_fields;  // where each of h.makeup_days is written
  for (const Field& y : root.require("years").items({"year"})) {
    if (!y.expect_map()) continue;
    y.check_keys({"year", "notice", "holidays", "makeup_days"});
    const auto year = y.require("year").as_integer();
    if (year && (*year < 1900 || *year > 9999)) y.child("year").error("must be a year");
    if (year && !h.years.insert(static_cast<int>(*year)).second) {
      y.child("year").error("year " + std::to_string(*year) + " is listed twice");
    }
    y.require("notice").as_date();
    if (year) read_holiday_items(y.child("holidays"), h.holidays, static_cast<int>(*year));
    for (const Field& d : y.child("makeup_days").items()) {
      const auto date = d.as_date();
      if (!date) continue;
      // A make-up day is a weekend day worked near its break: in its year, or in the December
      // before or the January after (a break across New Year).
      const auto near = [&](std::int64_t in_year, int month) {
        return date->year() == in_year && date->month() == month;
      };
      if (year && date->year() != *year && !near(*year - 1, 12) && !near(*year + 1, 1)) {
        d.error("lies outside the year " + std::to_string(*year) + " it is listed under");
        continue;
      }
      h.makeup_days.push_back(*date);
      makeup_fields.push_back(d);
    }
  }
  // A day both off and worked: the holiday would win without a word.
  for (std::size_t i = 0; i < h.makeup_days.size(); ++i) {
    for (const models::Holiday& x : h.holidays) {
      if (x.from <= h.makeup_days[i] && h.makeup_days[i] <= x.to) {
        makeup_fields[i].error("is also a holiday (" + x.name + "): a make-up day is a day worked");
        break;
      }
    }
  }
  h.ok = diagnostics_.count() == errors_before;
}

// By the names the scenario wrote, not the paths they resolve to: the same files reached from
// another folder are the same scenario.
std::string HolidayFiles::texts() const {
  std::vector<std::string> each;
  for (const auto& entry : files_) each.push_back(entry.second->name + "\n" + entry.second->text);
  std::sort(each.begin(), each.end());
  std::string all;
  for (const std::string& one : each) all += one + "\n";
  return all;
}

}  // namespace takt::scenario::detail

namespace takt::scenario {

bool is_holiday_file(const std::filesystem::path& path) {
  Diagnostics d;
  const std::optional<std::string> text = detail::read_input_file(path, d, {path.string(), 0, 0});
  if (!text) return false;
  const auto root = detail::load_yaml(*text, path.string(), d);
  return root && (*root)["holidays"].IsDefined() && (*root)["years"].IsDefined();
}

std::vector<int> load_holiday_file(const std::filesystem::path& path) {
  Diagnostics d;
  detail::HolidayFiles files(d);
  const std::string nowhere;  // paths are taken as given, not relative to a file
  const detail::Field where(YAML::Node(), "", &nowhere, &d);
  const std::string name = path.string();
  const detail::HolidayFile* h =
      files.find(name.find('/') == std::string::npos ? "./" + name : name, where);
  d.throw_if_errors();
  return {h->years.begin(), h->years.end()};
}

}  // namespace takt::scenario
