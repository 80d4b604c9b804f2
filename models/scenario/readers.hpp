// Private readers for the parts of a scenario file: calendars and line items. Each reports
// every problem into the Field's Diagnostics and returns what it could read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "takt/models/calendar_date.hpp"
#include "takt/models/plant_spec.hpp"
#include "takt/models/shift_calendar.hpp"
#include "takt/scenario/precision_rule.hpp"
#include "yaml_reader.hpp"

namespace takt::scenario::detail {

/// A name used somewhere that must exist elsewhere (a route target, a join, a calendar).
struct NameUse {
  std::string name;
  Field where;
};

/// Names an item refers to, for the cross-reference check once the whole plant is read.
struct ItemRefs {
  std::vector<NameUse> targets;    ///< routes[].to, joins[], loops[].to
  std::vector<NameUse> calendars;  ///< calendar:
  std::vector<NameUse> joins;      ///< joins[] again, for the check of which flow they take from
  std::vector<NameUse> routes;     ///< routes[].to and loops[].to again, likewise
};

class HolidayFiles;

/// What reading a calendar needs beyond its own keys.
struct CalendarContext {
  models::CalendarDate start;     ///< the run's first day: time zero
  models::CalendarDate last_day;  ///< the run's last day, for the holiday coverage warning
  HolidayFiles& files;
  std::vector<Diagnostic>& warnings;
};

/// `calendars.NAME`: workdays, shifts, holidays (listed, or from holiday files), make-up days
/// and dated changes of the week pattern. Warns when the run reaches a year its holidays do not
/// cover.
std::optional<models::ShiftCalendar> read_calendar(const Field& f, const CalendarContext& context);

/// Holiday ranges `{from, to, name}` of a holiday file's `year`, appended to `out`; each must end
/// after it starts and touch that year. False after an error.
bool read_holiday_items(const Field& list, std::vector<models::Holiday>& out, int year);

/// One entry of a shop's `line:` list; its ramp-up without a `start` starts on
/// `start_of_production` (its shop's, else its plant's; nullopt: a start is required).
std::optional<models::LineItem> read_item(
    const Field& f, const std::vector<std::string>& products, ItemRefs& refs,
    const std::optional<models::CalendarDate>& start_of_production = std::nullopt);

/// `precision: 0.5%`, or `{half_width: 0.5%, min: 5, max: 100, step: 5}` (a scenario's or a
/// sweep's); nullopt after an error.
std::optional<PrecisionRule> read_precision(const Field& f);
/// The warning (as printed) for a `precision` whose share reads as most likely meant in
/// percent (share_warning), or "".
std::string precision_warning(const Field& f);

/// `failures:` as one mapping or a list of them.
std::vector<models::FailureProfile> read_failures(const Field& f);

/// `ramp_up:` of a plant, shop or item (empty when absent or wrong); without a `start` it
/// starts on `default_start` (the start of production), and without either it is an error
/// that names where a start of production would be taken from (`sop_from`: "the plant", or
/// "the plant or shop").
std::vector<models::RampUpSpec> read_ramp_up(const Field& f,
                                             std::optional<models::CalendarDate> default_start,
                                             const char* sop_from);

/// `demand:` as `{per_month: N}` or a list of `{from: DATE, per_month: N}`.
std::vector<models::DemandStep> read_demand(const Field& f);

/// `orders:` as a list of `{month: YYYY-MM, vehicles: N}`, or the path of a CSV file with a
/// `month,vehicles` header (relative to the file it is written in); months strictly increasing.
/// A plan by product names the plant's `products`.
std::vector<models::OrderMonth> read_orders(const Field& f,
                                            const std::vector<std::string>& products,
                                            Diagnostics& diagnostics);

/// "2024-01" -> the first day of that month; nullopt for anything else.
std::optional<models::CalendarDate> parse_month(const std::string& text);

/// The comma-separated fields of a CSV row (no quoting: takt's input tables need none).
std::vector<std::string> split_csv(const std::string& line);
/// The 1-based column at which field `index` of `line` starts, for messages.
int csv_column(const std::string& line, std::size_t index);
/// Drops a spreadsheet's byte-order mark from the start of a file's first line.
void strip_bom(std::string& first_line);

/// Whether `text` is empty or only white space.
bool is_blank(const std::string& text);
/// What makes `name` unfit to be a name beyond the control characters every text is refused
/// for: a tab or line break (U+0009, U+000A, U+2028, U+2029) or a text-direction mark, which
/// would split or reorder the rows of the text tables. "" when there is none.
std::string name_character_error(std::string_view name);

/// A whole number from 1 to `max`, reporting anything else.
std::optional<int> read_count(const Field& f, std::int64_t max);

/// The item's own name, whichever kind key carries it ("" when there is none).
std::string item_name(const Field& f);
/// The keys that name a line item's kind ("station", "buffer", ...), from the one table of
/// kinds in item_reader.cpp.
const std::vector<std::string_view>& item_kinds();

}  // namespace takt::scenario::detail
