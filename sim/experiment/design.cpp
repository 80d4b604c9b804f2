// Designs turn factors into rows of text values: a mixed-radix counter for grids, and unit-cube
// samples (Latin hypercube, Sobol, random) mapped onto each factor's levels or range.
#include "takt/experiment/design.hpp"

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "takt/sim/random_stream.hpp"

namespace takt::experiment {
namespace {

using Column = std::vector<double>;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

std::string quoted(const Factor& factor) { return "'" + factor.path + "'"; }

std::string format_number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

bool is_sampled(DesignKind kind) { return kind != DesignKind::kGrid; }

// The lattice low, low + step, ... <= high: its number of values (1e-9 of a step of slack, so
// that a range written as whole steps keeps its top end despite rounding).
double lattice_size(const Factor& factor) {
  const auto [low, high] = *factor.range;
  return std::floor((high - low) / factor.step + 1e-9) + 1;
}

void validate_step(const Factor& factor, DesignKind kind) {
  const std::string step = format_number(factor.step);
  if (!std::isfinite(factor.step) || factor.step <= 0) {
    fail("factor " + quoted(factor) + ": step " + step + " is not a positive number");
  }
  if (kind == DesignKind::kGrid && factor.levels != 0) {
    fail("factor " + quoted(factor) + ": give levels or step, not both");
  }
  const double n = lattice_size(factor);
  if (n < 2) {
    fail("factor " + quoted(factor) + ": step " + step +
         " leaves one value in the range; give a smaller step or a wider range");
  }
  if (n > static_cast<double>(kMaxDesignPoints)) {
    fail("factor " + quoted(factor) + ": step " + step + " cuts the range into more than " +
         std::to_string(kMaxDesignPoints) + " values; give a larger step");
  }
  // Values are written with 10 significant digits: where they are largest, two neighbours
  // must still differ, or points would repeat a value the step was to tell apart.
  const double low = factor.range->first, last = low + (n - 1) * factor.step;
  const bool low_larger = std::abs(low) > std::abs(last);
  const double end = low_larger ? low : last,
               next = low_larger ? low + factor.step : last - factor.step;
  if (format_number(end) == format_number(next)) {
    fail("factor " + quoted(factor) + ": step " + step + " is too fine to write: " +
         format_number(end) + " and its neighbour print alike; give a larger step");
  }
}

void validate_factor(const Factor& factor, DesignKind kind) {
  const bool has_values = !factor.values.empty();
  if (!has_values && !factor.range)
    fail("factor " + quoted(factor) + " has neither values nor a range");
  if (has_values && factor.range) {
    fail("factor " + quoted(factor) + " has both values and a range; give one of them");
  }
  if (!factor.range) return;
  const auto [low, high] = *factor.range;
  const std::string shown = "[" + format_number(low) + ", " + format_number(high) + "]";
  if (!std::isfinite(low) || !std::isfinite(high)) {
    fail("factor " + quoted(factor) + ": range " + shown +
         " has a bound that is not a finite number");
  }
  if (!(low < high)) {
    fail("factor " + quoted(factor) + ": range " + shown + " is empty; low must be below high");
  }
  if (factor.step != 0) {
    validate_step(factor, kind);
    return;
  }
  if (kind == DesignKind::kGrid && factor.levels < 2) {
    fail("factor " + quoted(factor) + ": a grid over a range needs levels >= 2, got " +
         std::to_string(factor.levels));
  }
}

// The number of values a factor contributes to a grid.
std::size_t grid_size(const Factor& factor) {
  if (!factor.range) return factor.values.size();
  if (factor.step != 0) return static_cast<std::size_t>(lattice_size(factor));
  return static_cast<std::size_t>(factor.levels);
}

// The i-th value of a stepped factor's lattice, as text with its unit.
std::string lattice_value(const Factor& factor, std::size_t i) {
  return format_number(factor.range->first + static_cast<double>(i) * factor.step) + factor.unit;
}

// Product of the grid sizes, or kMaxDesignPoints + 1 as soon as it passes the limit (no overflow).
std::size_t capped_grid_points(const Design& design) {
  std::size_t product = 1;
  for (const Factor& factor : design.factors) {
    const std::size_t size = grid_size(factor);
    if (size > kMaxDesignPoints || product > kMaxDesignPoints / size) return kMaxDesignPoints + 1;
    product *= size;
  }
  return product;
}

std::vector<std::string> grid_values(const Factor& factor) {
  if (!factor.range) return factor.values;
  std::vector<std::string> values;
  if (factor.step != 0) {
    for (std::size_t i = 0; i < grid_size(factor); ++i) values.push_back(lattice_value(factor, i));
    return values;
  }
  const auto [low, high] = *factor.range;
  const int last = factor.levels - 1;
  for (int i = 0; i <= last; ++i) {
    // The ends are exact; interior values are low + (high - low) * i / last.
    const double value = i == last ? high : low + (high - low) * i / last;
    values.push_back(format_number(value) + factor.unit);
  }
  return values;
}

std::vector<std::vector<std::string>> generate_grid(const Design& design) {
  std::vector<std::vector<std::string>> levels;
  for (const Factor& factor : design.factors) levels.push_back(grid_values(factor));
  const std::size_t points = capped_grid_points(design);
  std::vector<std::vector<std::string>> rows(points);
  // A mixed-radix counter whose last digit turns fastest, so the first factor varies slowest.
  std::vector<std::size_t> digit(levels.size(), 0);
  for (std::vector<std::string>& row : rows) {
    for (std::size_t f = 0; f < levels.size(); ++f) row.push_back(levels[f][digit[f]]);
    for (std::size_t f = levels.size(); f-- > 0;) {
      if (++digit[f] < levels[f].size()) break;
      digit[f] = 0;
    }
  }
  return rows;
}

boost::random::mt19937_64 factor_engine(const Design& design, const Factor& factor) {
  return boost::random::mt19937_64(sim::derive_seed(design.seed, 0, "design/" + factor.path));
}

// Nudges u so that floor(u * n) == stratum: (stratum + v) / n can round onto the next stratum.
double place_in_stratum(std::size_t stratum, std::size_t n, double u) {
  const double width = static_cast<double>(n);
  const double target = static_cast<double>(stratum);
  while (std::floor(u * width) > target) u = std::nextafter(u, 0.0);
  while (std::floor(u * width) < target) u = std::nextafter(u, 1.0);
  return u;
}

// Invariant: every stratum [k/n, (k+1)/n) holds exactly one entry of the column.
Column latin_hypercube_column(const Design& design, const Factor& factor) {
  const std::size_t n = design.points;
  boost::random::mt19937_64 engine = factor_engine(design, factor);
  std::vector<std::size_t> stratum(n);
  for (std::size_t i = 0; i < n; ++i) stratum[i] = i;
  for (std::size_t i = n; i-- > 1;) {  // Fisher-Yates with Boost's portable distribution
    boost::random::uniform_int_distribution<std::size_t> pick(0, i);
    std::swap(stratum[i], stratum[pick(engine)]);
  }
  boost::random::uniform_01<double> uniform;
  Column column(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = (static_cast<double>(stratum[i]) + uniform(engine)) / static_cast<double>(n);
    column[i] = place_in_stratum(stratum[i], n, u);
  }
  return column;
}

Column random_column(const Design& design, const Factor& factor) {
  boost::random::mt19937_64 engine = factor_engine(design, factor);
  boost::random::uniform_01<double> uniform;
  Column column(design.points);
  for (double& u : column) u = uniform(engine);
  return column;
}

std::vector<std::vector<double>> sobol_rows(const Design& design) {
  const std::size_t dimension = design.factors.size();
  std::vector<std::vector<double>> rows(design.points, std::vector<double>(dimension, 0.0));
  boost::random::sobol engine(dimension);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    // Successive calls return the coordinates of one vector in order. The top 53 bits convert
    // to double exactly, so the result is below 1 and keeps the sequence's dyadic structure.
    for (double& u : rows[i]) u = std::ldexp(static_cast<double>(engine() >> 11), -53);
  }
  return rows;
}

std::string sampled_value(const Factor& factor, double u) {
  if (!factor.range) {
    const std::size_t n = factor.values.size();
    const auto index = static_cast<std::size_t>(std::floor(u * static_cast<double>(n)));
    return factor.values[std::min(index, n - 1)];
  }
  if (factor.step != 0) {
    const std::size_t n = grid_size(factor);
    const auto index = static_cast<std::size_t>(std::floor(u * static_cast<double>(n)));
    return lattice_value(factor, std::min(index, n - 1));
  }
  const auto [low, high] = *factor.range;
  return format_number(low + u * (high - low)) + factor.unit;
}

}  // namespace

void validate(const Design& design) {
  if (design.factors.empty()) fail("a design needs at least one factor");
  std::set<std::string> paths;
  for (std::size_t i = 0; i < design.factors.size(); ++i) {
    const Factor& factor = design.factors[i];
    if (factor.path.empty()) fail("factor " + std::to_string(i + 1) + " has an empty path");
    if (!paths.insert(factor.path).second) fail("factor " + quoted(factor) + " appears twice");
    validate_factor(factor, design.kind);
  }
  const std::string name = design_name(design.kind);
  const std::string limit = std::to_string(kMaxDesignPoints);
  if (!is_sampled(design.kind)) {
    if (capped_grid_points(design) > kMaxDesignPoints) {
      fail("grid design would have more than " + limit +
           " points; use fewer levels or a sampled design");
    }
    return;
  }
  if (design.points == 0) fail(name + " design needs points >= 1, got 0");
  if (design.points > kMaxDesignPoints) {
    fail(name + " design asks for " + std::to_string(design.points) +
         " points, more than the limit of " + limit);
  }
  const std::size_t max_dimension = boost::random::default_sobol_table::max_dimension;
  if (design.kind == DesignKind::kSobol && design.factors.size() > max_dimension) {
    fail("sobol design supports at most " + std::to_string(max_dimension) + " factors, got " +
         std::to_string(design.factors.size()));
  }
}

std::size_t point_count(const Design& design) {
  validate(design);
  return is_sampled(design.kind) ? design.points : capped_grid_points(design);
}

std::vector<std::vector<double>> sample_unit_cube(const Design& design) {
  if (!is_sampled(design.kind)) fail("grid designs have no unit-cube samples");
  validate(design);
  if (design.kind == DesignKind::kSobol) return sobol_rows(design);
  std::vector<std::vector<double>> rows(design.points);
  for (const Factor& factor : design.factors) {
    const Column column = design.kind == DesignKind::kLatinHypercube
                              ? latin_hypercube_column(design, factor)
                              : random_column(design, factor);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].push_back(column[i]);
  }
  return rows;
}

std::vector<std::vector<std::string>> generate(const Design& design) {
  validate(design);
  if (!is_sampled(design.kind)) return generate_grid(design);
  const std::vector<std::vector<double>> samples = sample_unit_cube(design);
  std::vector<std::vector<std::string>> rows(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    for (std::size_t f = 0; f < design.factors.size(); ++f) {
      rows[i].push_back(sampled_value(design.factors[f], samples[i][f]));
    }
  }
  return rows;
}

std::string design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::kGrid:
      return "grid";
    case DesignKind::kLatinHypercube:
      return "lhs";
    case DesignKind::kSobol:
      return "sobol";
    case DesignKind::kRandom:
      return "random";
  }
  return "unknown";
}

std::optional<DesignKind> parse_design_kind(std::string_view text) {
  if (text == "grid") return DesignKind::kGrid;
  if (text == "lhs" || text == "latin-hypercube") return DesignKind::kLatinHypercube;
  if (text == "sobol") return DesignKind::kSobol;
  if (text == "random") return DesignKind::kRandom;
  return std::nullopt;
}

}  // namespace takt::experiment
