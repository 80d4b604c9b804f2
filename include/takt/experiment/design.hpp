// A sweep varies a few inputs over many runs; a design says which combinations to run, as plain
// text values the caller substitutes into its own input, so this layer knows nothing about them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace takt::experiment {

/// One input that a design varies: either a list of text levels or a numeric range.
struct Factor {
  /// Where the value goes in the caller's input (e.g. a key path); must be non-empty and unique.
  std::string path;
  /// Levels given as text, used verbatim (the unit below is not appended to them).
  std::vector<std::string> values;
  /// Numeric range [low, high] with low < high, both finite; exclusive with `values`.
  std::optional<std::pair<double, double>> range;
  /// Suffix printed after range values: "" for plain numbers, or a unit such as "s".
  std::string unit;
  /// Grid designs only: number of evenly spaced values over `range`, both ends included (>= 2).
  int levels = 0;
  /// With a range, 0 for any value in it; above 0, only low, low + step, ... up to high (a
  /// count such as servers or places takes step 1). Sampled designs give the lattice's values
  /// equal chances; a grid takes every one of them (not with `levels`).
  double step = 0;
};

/// How points are chosen.
enum class DesignKind {
  kGrid,            ///< full factorial; the first factor varies slowest
  kLatinHypercube,  ///< `points` rows, one per stratum of each factor
  kSobol,           ///< first `points` points of the Sobol sequence, starting at the origin
  kRandom,          ///< `points` rows of independent uniform draws
};

/// An experimental design: a kind, its factors, and for sampled kinds the number of points.
struct Design {
  DesignKind kind = DesignKind::kGrid;
  /// Number of rows for sampled kinds (>= 1); ignored by grids, whose size is the product.
  std::size_t points = 0;
  /// Seed of Latin hypercube and random designs; grids and Sobol designs ignore it.
  std::uint64_t seed = 0;
  std::vector<Factor> factors;
};

/// Largest number of points any design may have.
inline constexpr std::size_t kMaxDesignPoints = 1'000'000;

/// Throws std::invalid_argument with a message naming the factor if `design` cannot be
/// generated: no factors, an empty or repeated path, neither or both of values and range, an
/// empty or non-finite range, a grid over a range without levels >= 2, a sampled design with
/// points 0, more than kMaxDesignPoints points, or a Sobol design with more than 3667 factors;
/// a step that is not a finite positive number, that leaves fewer than 2 values in the range
/// or more than kMaxDesignPoints, or that a grid gets beside levels.
void validate(const Design& design);

/// Number of rows generate() returns; validates first.
std::size_t point_count(const Design& design);

/// For sampled kinds: one row per point, one coordinate in [0, 1) per factor. Deterministic:
/// - Latin hypercube: each factor's [0, 1) is cut into `points` strata; a random permutation
///   assigns strata to points and a uniform draw places the point inside its stratum.
/// - Random: independent uniform draws.
///   Both draw each factor from its own boost::random::mt19937_64 seeded from (seed, path), so
///   adding, removing or reordering factors never changes another factor's column.
/// - Sobol: row 0 is the origin and row i >= 1 is the (i-1)-th vector of boost::random::sobol
///   with one dimension per factor (Boost skips the origin; putting it back keeps every block of
///   the first 2^m points balanced). The engine's 64-bit integer x maps to (x >> 11) * 2^-53,
///   which is exact for the sequence's leading bits and always below 1.
/// Throws std::invalid_argument for a grid design or an invalid one.
std::vector<std::vector<double>> sample_unit_cube(const Design& design);

/// One row per point, one text value per factor, in factor order; deterministic.
/// Grid: full factorial over each factor's values, or over `levels` values from low to high
/// (high exact), the first factor varying slowest. Sampled kinds map each coordinate u of
/// sample_unit_cube(): a factor with values takes values[floor(u * n)], a factor with a range
/// takes low + u * (high - low) printed with %.10g followed by its unit (with a step, the
/// floor(u * n)-th of its n lattice values).
/// Throws std::invalid_argument as validate() does.
std::vector<std::vector<std::string>> generate(const Design& design);

/// The design's name in text: "grid", "lhs", "sobol" or "random".
std::string design_name(DesignKind kind);

/// Parses "grid", "lhs" (or "latin-hypercube"), "sobol" or "random"; nothing for other text.
std::optional<DesignKind> parse_design_kind(std::string_view text);

}  // namespace takt::experiment
