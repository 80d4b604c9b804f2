// The observed-output table is read like the order plans (readers.hpp's CSV helpers) and
// checked against the scenario at once, so that a fit never starts on a row it cannot use.
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <utility>

#include "input_file.hpp"
#include "readers.hpp"
#include "takt/scenario/limits.hpp"
#include "takt/scenario/observed.hpp"
#include "takt/sim/hash.hpp"

namespace takt::scenario {

namespace {

const char* kHeader = "plant,period,output";

// Text from the file, quoted in a message: at most 60 bytes, a control character (a NUL) as
// \xNN, so that the message is whole and readable. The file is UTF-8 (checked when read), so
// other bytes are characters, 两江 as such; one cut at the 60th byte is not.
std::string shown(const std::string& text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < 60; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c != 0x7f && c < 0x80) || (c >= 0x80 && text.size() <= 60)) {
      out += static_cast<char>(c);
      continue;
    }
    static const char* hex = "0123456789abcdef";
    out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
  }
  return out + (text.size() > 60 ? "...\"" : "\"");
}

// "2022-08" or "2022-01..2022-06" (first month not after the last).
std::optional<std::pair<models::CalendarDate, models::CalendarDate>> parse_period(
    const std::string& text) {
  const auto dots = text.find("..");
  if (dots == std::string::npos) {
    const auto m = detail::parse_month(text);
    if (!m) return std::nullopt;
    return std::make_pair(*m, *m);
  }
  const auto a = detail::parse_month(text.substr(0, dots));
  const auto b = detail::parse_month(text.substr(dots + 2));
  if (!a || !b) return std::nullopt;
  return std::make_pair(*a, *b);
}

// A whole or decimal number of vehicles, digits and at most one point (no sign, no exponent:
// a sales figure written by hand or by a spreadsheet).
std::optional<double> parse_output(const std::string& text) {
  const bool shape = !text.empty() && text.size() <= 20 &&
                     std::count(text.begin(), text.end(), '.') <= 1 && text.front() != '.' &&
                     text.back() != '.' && std::all_of(text.begin(), text.end(), [](char c) {
                       return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
                     });
  if (!shape) return std::nullopt;
  return std::stod(text);
}

std::string plant_list(const Scenario& s) {
  std::string out;
  for (const models::PlantSpec& p : s.plants) out += (out.empty() ? "" : ", ") + p.name;
  return out + (out.empty() ? "" : ", ") + kAllPlants;
}

struct RowReader {
  const Scenario& s;
  bool positive;
  Diagnostics& d;
  std::vector<std::string> names;
  std::set<std::pair<std::string, std::string>> seen;

  void read(const std::string& file, int line, const std::string& text,
            std::vector<ObservedPeriod>& out) {
    const std::vector<std::string> f = detail::split_csv(text);
    if (f.size() != 3) {
      d.error({file, line, 1}, "",
              "expected PLANT,PERIOD,OUTPUT like all,2022-01..2022-06,21600, got " + shown(text));
      return;
    }
    const auto error = [&](std::size_t column, const std::string& key, const std::string& m) {
      d.error({file, line, detail::csv_column(text, column)}, key, m);
    };
    ObservedPeriod p;
    p.plant = f[0];
    p.period = f[1];
    p.where = {file, line, 1};
    bool ok = true;
    if (std::find(names.begin(), names.end(), f[0]) == names.end()) {
      const std::string guess = closest_match(f[0], names);
      error(0, "plant",
            "unknown plant " + shown(f[0]) +
                (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                "; the scenario's plants: " + plant_list(s));
      ok = false;
    }
    const auto period = parse_period(f[1]);
    if (!period) {
      error(1, "period",
            "expected a month like 2022-08 or a span like 2022-01..2022-06, got " + shown(f[1]));
      ok = false;
    } else {
      ok = check_period(*period, f[1], [&](const std::string& m) { error(1, "period", m); }) && ok;
      p.first = period->first;
      p.last = period->second;
    }
    const auto output = parse_output(f[2]);
    if (!output || *output > limits::kObservedOutput) {
      error(2, "output", "expected a number of vehicles from 0 to 1e9, got " + shown(f[2]));
      ok = false;
    } else if (positive && *output <= 0) {
      error(2, "output", "relative errors divide by the output: it must be above 0");
      ok = false;
    }
    if (!ok) return;
    // The same months twice would count one figure twice (2023-01 and 2023-01..2023-01).
    const std::string months = p.first.to_string() + ".." + p.last.to_string();
    if (!seen.insert({f[0], months}).second) {
      error(1, "period", "plant " + f[0] + " has the months of " + f[1] + " twice");
      return;
    }
    p.output = *output;
    out.push_back(p);
  }

  template <class Error>
  bool check_period(const std::pair<models::CalendarDate, models::CalendarDate>& period,
                    const std::string& text, const Error& error) const {
    if (period.second < period.first) {
      error("the span's first month is after its last, in \"" + text + "\"");
      return false;
    }
    // Whole months only: a month the run covers in part would be compared with part of it.
    const models::CalendarDate last =
        period.second +
        (models::CalendarDate::days_in_month(period.second.year(), period.second.month()) - 1);
    if (period.first < s.start || last > s.last_day()) {
      error(text + " is not inside the run's whole months (the run is " + s.start.to_string() +
            " to " + s.last_day().to_string() + "; set start and end to cover it)");
      return false;
    }
    return true;
  }
};

}  // namespace

std::vector<ObservedPeriod> load_observed(const std::filesystem::path& path, const Scenario& s,
                                          bool positive, std::string* hash) {
  Diagnostics d;
  std::vector<ObservedPeriod> out;
  const std::string file = path.string();
  const auto text = detail::read_input_file(path, d, {"--observed", 0, 0});
  d.throw_if_errors();
  if (hash) *hash = sim::fnv1a_hex(*text);
  RowReader reader{s, positive, d, {}, {}};
  for (const models::PlantSpec& p : s.plants) reader.names.push_back(p.name);
  reader.names.push_back(kAllPlants);
  std::istringstream in(*text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      detail::strip_bom(line);
      if (line != kHeader)
        d.error({file, 1, 1}, "",
                std::string("expected the header ") + kHeader + ", got " + shown(line));
      continue;
    }
    if (detail::is_blank(line)) continue;
    if (out.size() >= limits::kObservedRows) {
      d.error({file, number, 1}, "",
              "more than " + std::to_string(limits::kObservedRows) + " observed periods");
      break;
    }
    reader.read(file, number, line, out);
  }
  if (number <= 1 && !d.has_errors()) d.error({file, 1, 1}, "", "no observed periods");
  if (out.empty() && !d.has_errors()) d.error({file, 1, 1}, "", "no observed periods");
  d.throw_if_errors();
  return out;
}

int first_month_index(const ObservedPeriod& p, const Scenario& s) {
  return models::month_index(s.start, p.first);
}

int last_month_index(const ObservedPeriod& p, const Scenario& s) {
  return models::month_index(s.start, p.last);
}

}  // namespace takt::scenario
