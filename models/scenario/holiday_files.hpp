// Shared holiday files: a country's public holidays and make-up days, year by year, that many
// calendars name (`holidays: cn-public`) instead of each listing them. Read once per scenario.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/scenario/diagnostics.hpp"
#include "yaml_reader.hpp"

namespace takt::scenario::detail {

/// One holiday file as read: its holidays and make-up days and the years it speaks for (a year
/// is covered when the file lists it, even with no holiday in it).
struct HolidayFile {
  std::string name;  ///< as the calendar named it: "cn-public" or a path
  std::string file;  ///< where it was read from, for messages
  std::string text;  ///< the whole file, so that a changed file changes the run's identity
  YAML::Node tree;
  std::vector<models::Holiday> holidays;
  std::vector<models::CalendarDate> makeup_days;
  std::set<int> years;
  bool ok = false;
};

class HolidayFiles {
 public:
  /// Problems go to `diagnostics`.
  explicit HolidayFiles(Diagnostics& diagnostics);
  HolidayFiles(const HolidayFiles&) = delete;
  HolidayFiles& operator=(const HolidayFiles&) = delete;

  /// The file `name` names, read on first use: a built-in name ("cn-public") or a path ending
  /// in .yaml, relative to the file `where` is in. nullptr after reporting at `where` why it
  /// cannot be used.
  const HolidayFile* find(const std::string& name, const Field& where);
  /// The texts of every file read, in name order (for the scenario's hash).
  std::string texts() const;
  /// The built-in names, for messages and docs.
  static std::vector<std::string> built_in_names();

 private:
  void read(HolidayFile& h);

  Diagnostics& diagnostics_;
  std::map<std::string, std::unique_ptr<HolidayFile>> files_;
};

}  // namespace takt::scenario::detail
