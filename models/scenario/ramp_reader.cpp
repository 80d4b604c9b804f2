// Reads ramp-up blocks, demand caps and order plans: the curve, what it acts on, and from when;
// how many vehicles a month may release.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "input_file.hpp"
#include "readers.hpp"
#include "takt/scenario/limits.hpp"

namespace takt::scenario::detail {
namespace {

using models::RampUpCurve;
using models::RampUpSpec;

std::optional<double> number_in(const Field& f, double low, double high) {
  const auto v = f.as_number();
  if (!v) return std::nullopt;
  if (*v < low || *v > high) {
    char text[96];
    std::snprintf(text, sizeof text, "must be between %g and %g, got %s", low, high,
                  f.text().c_str());
    f.error(text);
    return std::nullopt;
  }
  return v;
}

std::optional<RampUpCurve> read_logistic(const Field& f) {
  const auto midpoint = f.require("midpoint").as_number();
  const auto steepness = positive(f.require("steepness"), f.require("steepness").as_number());
  const Field floor_field = f.child("floor"), ceiling_field = f.child("ceiling");
  const auto floor =
      floor_field.is_defined() ? number_in(floor_field, 0, 10) : std::optional<double>(0.0);
  const auto ceiling =
      ceiling_field.is_defined() ? number_in(ceiling_field, 0, 10) : std::optional<double>(1.0);
  if (!midpoint || !steepness || !floor || !ceiling) return std::nullopt;
  return RampUpCurve::logistic(*midpoint, *steepness, *floor, *ceiling);
}

std::optional<RampUpCurve> read_table(const Field& f) {
  std::vector<std::pair<double, double>> points;
  bool ok = true;
  for (const Field& row : f.require("table").items()) {
    if (!row.is_list() || row.node().size() != 2) {
      row.error("expected [months, factor], got " + row.text());
      ok = false;
      continue;
    }
    const auto items = row.items();
    const auto month = items[0].as_number();
    // The same bound as a logistic curve's floor and ceiling: ten times nominal at most.
    const auto factor = number_in(items[1], 0, 10);
    if (month && !points.empty() && *month <= points.back().first) {
      items[0].error("months must increase down the table");
      ok = false;
    }
    ok = ok && month && factor;
    if (month && factor) points.emplace_back(*month, *factor);
  }
  if (!ok) return std::nullopt;
  if (points.empty()) {
    f.child("table").error("expected at least one [months, factor] point");
    return std::nullopt;
  }
  return RampUpCurve::table(std::move(points));
}

std::optional<RampUpCurve> read_learning(const Field& f) {
  const auto rate = number_in(f.require("rate"), 0.01, 1.0);
  const auto initial = number_in(f.require("initial"), 1.0, 1000.0);
  if (!rate || !initial) return std::nullopt;
  return RampUpCurve::learning(*rate, *initial);
}

std::optional<std::vector<RampUpSpec::Target>> read_targets(const Field& f) {
  std::vector<RampUpSpec::Target> targets;
  bool ok = true;
  for (const Field& t : f.items()) {
    const auto name = t.as_string();
    if (!name) {
      ok = false;
    } else if (*name == "speed") {
      targets.push_back(RampUpSpec::Target::kSpeed);
    } else if (*name == "availability") {
      targets.push_back(RampUpSpec::Target::kAvailability);
    } else if (*name == "yield") {
      targets.push_back(RampUpSpec::Target::kYield);
    } else {
      const std::string guess = closest_match(*name, {"speed", "availability", "yield"});
      t.error("unknown ramp-up target '" + *name + "' (" +
              (guess.empty() ? std::string("use speed, availability or yield")
                             : "did you mean '" + guess + "'?") +
              ")");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return targets;
}

}  // namespace

std::vector<RampUpSpec> read_ramp_up(const Field& f,
                                     std::optional<models::CalendarDate> default_start,
                                     const char* sop_from) {
  if (!f.is_defined() || !f.expect_map()) return {};
  f.check_keys({"start", "curve", "midpoint", "steepness", "floor", "ceiling", "table", "rate",
                "initial", "applies_to", "step"});
  RampUpSpec spec;
  if (!f.child("start").is_defined() && !default_start) {
    f.error(std::string("missing required key 'start' (or give ") + sop_from +
            " a start_of_production)");
  }
  const auto start = f.child("start").is_defined() ? f.child("start").as_date() : default_start;
  const auto kind = f.require("curve").as_string();
  std::optional<RampUpCurve> curve;
  // A key of another kind of curve is a mistake the planner should hear about: it changes
  // nothing.
  const std::vector<std::pair<std::string, std::vector<std::string>>> own_keys{
      {"logistic", {"midpoint", "steepness", "floor", "ceiling"}},
      {"table", {"table"}},
      {"learning", {"rate", "initial"}}};
  const bool is_known = kind && (*kind == "logistic" || *kind == "table" || *kind == "learning");
  for (const auto& [curve_kind, keys] : own_keys) {
    if (!is_known || *kind == curve_kind) continue;
    for (const std::string& key : keys) {
      if (f.child(key).is_defined())
        f.child(key).error("belongs to " + curve_kind + " curves, not to a " + *kind + " curve");
    }
  }
  if (kind == std::string("logistic")) {
    curve = read_logistic(f);
  } else if (kind == std::string("table")) {
    curve = read_table(f);
  } else if (kind == std::string("learning")) {
    curve = read_learning(f);
  } else if (kind) {
    f.child("curve").error("expected logistic, table or learning, got \"" + *kind + "\"");
  }
  if (const Field targets = f.child("applies_to"); targets.is_defined()) {
    if (auto t = read_targets(targets)) spec.targets = *t;
    if (curve && curve->is_learning())
      targets.error("a learning curve acts on cycle times by units made; leave out applies_to");
  }
  if (const Field step = f.child("step"); step.is_defined()) {
    if (const auto v = positive(step, step.as_duration())) spec.step = *v;
  }
  if (!start || !curve) return {};
  spec.start = *start;
  spec.curve = *curve;
  if (spec.acts_on(RampUpSpec::Target::kAvailability) && spec.curve.at(-1e9) <= 0 &&
      !spec.curve.is_learning()) {
    f.error("an availability ramp needs a floor above 0 (MTBF cannot be zero)");
    return {};
  }
  return {spec};
}

std::vector<models::DemandStep> read_demand(const Field& f) {
  std::vector<models::DemandStep> steps;
  if (!f.is_defined()) return steps;
  if (f.is_map()) {
    f.check_keys({"per_month"});
    const auto n = positive(f.require("per_month"), f.require("per_month").as_integer());
    if (n)
      steps.push_back(
          {models::CalendarDate::from_days_since_epoch(-1000000), static_cast<std::uint64_t>(*n)});
    return steps;
  }
  for (const Field& step : f.items({"from"})) {
    if (!step.expect_map()) continue;
    step.check_keys({"from", "per_month"});
    const auto from = step.require("from").as_date();
    const auto n = positive(step.require("per_month"), step.require("per_month").as_integer());
    if (from && !steps.empty() && !(steps.back().from < *from))
      step.child("from").error("dates must increase down the list");
    if (from && n) steps.push_back({*from, static_cast<std::uint64_t>(*n)});
  }
  return steps;
}

std::optional<models::CalendarDate> parse_month(const std::string& text) {
  const bool shape = text.size() == 7 && text[4] == '-' &&
                     std::all_of(text.begin(), text.begin() + 4, ::isdigit) &&
                     std::isdigit(static_cast<unsigned char>(text[5])) &&
                     std::isdigit(static_cast<unsigned char>(text[6]));
  if (!shape) return std::nullopt;
  return models::CalendarDate::from_ymd(std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)),
                                        1);
}

// A field in double quotes may hold commas, and "" in it is one quote (RFC 4180), as takt's
// own CSV files write names; a quote elsewhere in a field is kept as it is.
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"' && (quoted || (i == 0 || line[i - 1] == ','))) {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

int csv_column(const std::string& line, std::size_t index) {
  std::size_t field = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size() && field < index; ++i) {
    if (quoted && line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      ++i;  // "" inside quotes is one quote, as split_csv reads it
    } else if (line[i] == '"' && (quoted || i == 0 || line[i - 1] == ',')) {
      quoted = !quoted;
    } else if (line[i] == ',' && !quoted && ++field == index) {
      return static_cast<int>(i) + 2;
    }
  }
  return field == index ? 1 : static_cast<int>(line.size()) + 1;
}

void strip_bom(std::string& first_line) {
  if (first_line.rfind("\xEF\xBB\xBF", 0) == 0) first_line.erase(0, 3);
}

namespace {

const char* kMonthShape = "expected a month like 2024-01";

// Months must increase down the plan, so a month is never ordered twice.
bool check_order(std::vector<models::OrderMonth>& plan, models::OrderMonth next,
                 const std::function<void(const std::string&)>& error) {
  if (!plan.empty() && !(plan.back().month < next.month)) {
    error("months must increase down the order plan");
    return false;
  }
  plan.push_back(next);
  return true;
}

// A CSV row's count: digits only; more than 12 of them after leading zeros count as the
// largest (beyond any limit, which the caller checks).
std::optional<std::uint64_t> parse_count(const std::string& text) {
  const auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  if (text.empty() || !std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
  const std::size_t first = std::min(text.find_first_not_of('0'), text.size());
  if (text.size() - first > 12) return std::numeric_limits<std::uint64_t>::max();
  return first == text.size() ? 0 : std::stoull(text.substr(first));
}

const std::string kOrderLimit =
    "at most " + std::to_string(limits::kOrderedPerMonth) + " vehicles a month";

// A YAML order count: 0 up to the limit.
std::optional<std::int64_t> order_count(const Field& f) {
  const auto n = non_negative(f, f.as_integer());
  if (n && *n > limits::kOrderedPerMonth) {
    f.error("must be " + kOrderLimit + ", got " + f.text());
    return std::nullopt;
  }
  return n;
}

// One row of an order plan by product: its month joins the plan's last month or starts one.
// `given` marks the products the plan's last month has rows for.
bool add_product_row(std::vector<models::OrderMonth>& plan, models::CalendarDate month,
                     std::size_t product, std::uint64_t n, std::vector<std::uint8_t>& given,
                     const std::function<void(const std::string&)>& error) {
  if (plan.empty() || !(plan.back().month == month)) {
    models::OrderMonth next{month, 0, std::vector<std::uint64_t>(given.size(), 0)};
    if (!check_order(plan, next, error)) return false;
    std::fill(given.begin(), given.end(), 0);
  }
  models::OrderMonth& m = plan.back();
  if (given[product]) {
    error("this month's orders of this product are already given");
    return false;
  }
  given[product] = 1;
  m.by_product[product] += n;
  m.vehicles += n;
  return true;
}

std::optional<std::size_t> product_index(const std::vector<std::string>& products,
                                         const std::string& name) {
  const auto it = std::find(products.begin(), products.end(), name);
  if (it == products.end()) return std::nullopt;
  return static_cast<std::size_t>(it - products.begin());
}

std::string product_list(const std::vector<std::string>& products) {
  std::string out;
  for (const std::string& p : products) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// `month,vehicles` (totals) or `month,product,vehicles` (by product, a row per product and
// month; the rows of one month together).
std::vector<models::OrderMonth> read_orders_csv(const Field& f,
                                                const std::vector<std::string>& products,
                                                Diagnostics& d) {
  std::vector<models::OrderMonth> plan;
  const std::filesystem::path path = path_from(f.location(), *f.as_string());
  const auto text = read_input_file(path, d, f.location(), f.path());
  if (!text) return plan;
  std::istringstream in(*text);
  std::string line;
  int number = 0;
  bool by_product = false;
  std::vector<std::uint8_t> given(products.size(), 0);
  const std::string file = path.string();
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      strip_bom(line);
      by_product = line == "month,product,vehicles";
      if (line != "month,vehicles" && !by_product) {
        d.error(
            {file, 1, 1}, "",
            "expected the header month,vehicles or month,product,vehicles, got \"" + line + "\"");
      }
      continue;
    }
    if (is_blank(line)) continue;
    const std::vector<std::string> fields = split_csv(line);
    // Each error at its field's column, with the column's name as its key.
    const auto field_error = [&](std::size_t index, const char* key, const std::string& m) {
      d.error({file, number, csv_column(line, index)}, key, m);
    };
    const auto month_error = [&](const std::string& m) { field_error(0, "month", m); };
    if (fields.size() != (by_product ? 3u : 2u)) {
      d.error({file, number, 1}, "",
              by_product ? "expected MONTH,PRODUCT,VEHICLES like 2024-01,AITO-M7,20000, got \"" +
                               line + "\""
                         : "expected MONTH,VEHICLES like 2024-01,30000, got \"" + line + "\"");
      continue;
    }
    const auto month = parse_month(fields.front());
    const auto n = parse_count(fields.back());
    const std::size_t last = fields.size() - 1;
    if (!month) month_error(std::string(kMonthShape) + ", got \"" + fields.front() + "\"");
    if (!n) {
      field_error(last, "vehicles",
                  "expected a whole number of vehicles, got \"" + fields.back() + "\"");
    } else if (*n > static_cast<std::uint64_t>(limits::kOrderedPerMonth)) {
      field_error(last, "vehicles", "orders must be " + kOrderLimit + ", got " + fields.back());
    }
    if (!month || !n || *n > static_cast<std::uint64_t>(limits::kOrderedPerMonth)) continue;
    if (!by_product) {
      check_order(plan, {*month, *n, {}}, month_error);
      continue;
    }
    const auto product = product_index(products, fields[1]);
    if (!product) {
      field_error(1, "product",
                  "unknown product '" + fields[1] +
                      "' (the plant's products: " + product_list(products) + ")");
      continue;
    }
    add_product_row(plan, *month, *product, *n, given, month_error);
  }
  if (number <= 1) d.error({file, 1, 1}, "", "the order plan has no months");
  return plan;
}

// `vehicles: N`, or by product `vehicles: {AITO-M7: 20000, AITO-M9: 8000}`.
std::optional<models::OrderMonth> read_order_month(const Field& o, models::CalendarDate month,
                                                   const std::vector<std::string>& products) {
  const Field v = o.require("vehicles");
  if (!v.is_map()) {
    const auto n = order_count(v);
    if (!n) return std::nullopt;
    return models::OrderMonth{month, static_cast<std::uint64_t>(*n), {}};
  }
  models::OrderMonth m{month, 0, std::vector<std::uint64_t>(products.size(), 0)};
  bool ok = true;
  for (const auto& [name, count] : v.entries()) {
    const auto product = product_index(products, name);
    const auto n = order_count(count);
    if (!product) {
      count.error("unknown product '" + name +
                  "' (the plant's products: " + product_list(products) + ")");
    }
    ok = ok && product && n;
    if (!product || !n) continue;
    m.by_product[*product] = static_cast<std::uint64_t>(*n);
    m.vehicles += static_cast<std::uint64_t>(*n);
  }
  if (!ok) return std::nullopt;
  return m;
}

}  // namespace

std::vector<models::OrderMonth> read_orders(const Field& f,
                                            const std::vector<std::string>& products,
                                            Diagnostics& diagnostics) {
  if (!f.is_defined()) return {};
  if (f.is_scalar()) return read_orders_csv(f, products, diagnostics);
  std::vector<models::OrderMonth> plan;
  for (const Field& o : f.items({"month"})) {
    if (!o.expect_map()) continue;
    o.check_keys({"month", "vehicles"});
    const auto text = o.require("month").as_string();
    const auto month = text ? parse_month(*text) : std::nullopt;
    if (text && !month)
      o.child("month").error(std::string(kMonthShape) + ", got \"" + *text + "\"");
    const auto m = month ? read_order_month(o, *month, products) : std::nullopt;
    if (!m) continue;
    if (!plan.empty() && plan.front().by_product.empty() != m->by_product.empty()) {
      o.child("vehicles").error("give every month of the plan by product, or none");
      continue;
    }
    check_order(plan, *m, [&](const std::string& e) { o.child("month").error(e); });
  }
  if (f.is_list() && f.node().size() == 0) f.error("the order plan has no months");
  return plan;
}

}  // namespace takt::scenario::detail
