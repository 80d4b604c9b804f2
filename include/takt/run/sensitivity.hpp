// Which factors of a finished sweep move its headline figures: standardised regression
// coefficients with R squared over the replications of every point, and, for grid designs,
// main effects (the mean at each level of a factor).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace takt::run {

struct FactorEffect {
  std::string path;
  /// Standardised regression coefficient: the change of the figure, in its standard
  /// deviations, per standard deviation of the factor with the others held; empty when the
  /// factor's values are not numbers (a distribution) or do not vary.
  bool has_src = false;
  double src = 0;
  /// Grid designs: the figure's mean at each level (in the order levels first appear), and the
  /// largest minus the smallest of them.
  std::vector<std::pair<std::string, double>> levels;
  double main_effect = 0;
};

struct FigureSensitivity {
  std::string plant, figure;
  std::size_t runs = 0;  ///< (point, replication) pairs with a value (a level not reached has none)
  bool has_r_squared = false;
  double r_squared = 0;               ///< of the linear fit on the numeric factors
  std::vector<FactorEffect> factors;  ///< ranked: by main effect in a grid, else by |src|
};

struct SensitivityResult {
  std::string sweep, design;
  std::size_t points = 0;
  std::vector<FigureSensitivity> figures;
};

/// Reads the finished sweep in `dir` (its points and manifest.json); throws std::runtime_error
/// naming what is missing or damaged.
SensitivityResult analyze_sweep(const std::filesystem::path& dir);

std::string sensitivity_text(const SensitivityResult& r);
std::string sensitivity_json(const SensitivityResult& r);
/// sensitivity.csv: sweep,plant,figure,factor,measure,value (measure: src, r_squared,
/// main_effect, or level:VALUE for a grid level's mean).
std::string sensitivity_csv(const SensitivityResult& r);

}  // namespace takt::run
