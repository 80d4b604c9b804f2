// Sensitivity of a finished sweep, read from its saved points: a least-squares fit of each
// headline figure on the standardised numeric factors (Eigen), and level means for grids.
#include "takt/run/sensitivity.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>

#include "json_writer.hpp"
#include "point_record.hpp"
#include "takt/experiment/point_store.hpp"
#include "takt/experiment/read_file.hpp"
#include "takt/sim/error.hpp"
#include "takt/sim/time.hpp"

namespace takt::run {

namespace fs = std::filesystem;

namespace {

// The figures of one replication that a planner sweeps for.
constexpr const char* kFigures[] = {"annual_rate", "capacity_ratio", "months_to_80",
                                    "months_to_90"};

// A replication's figure, or nothing (a level never reached).
bool figure_of(const detail::RunRecord& r, const std::string& figure, double& value) {
  if (figure == "annual_rate") value = r.annual_rate;
  if (figure == "capacity_ratio") value = r.capacity_ratio;
  if (figure == "months_to_80") value = r.months_to_80;
  if (figure == "months_to_90") value = r.months_to_90;
  return figure.rfind("months_to", 0) != 0 || value >= 0;
}

// A factor value as a number: a plain decimal number, or a duration in seconds (a range with
// `unit: s`, or levels in mixed units such as 90s and 2min, which compare as durations). A
// distribution is not a number.
bool as_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() + text.size()) return std::isfinite(value);
  if (!sim::is_duration(text)) return false;
  try {
    value = sim::parse_duration(text).to_seconds();
  } catch (const sim::ParseError&) {
    return false;
  }
  return std::isfinite(value);
}

// The value of "key": "..." in the manifest (its writer puts one key per field).
std::string manifest_field(const std::string& manifest, const std::string& key) {
  const std::string tag = "\"" + key + "\": \"";
  const auto at = manifest.find(tag);
  if (at == std::string::npos) return "";
  const auto begin = at + tag.size();
  return manifest.substr(begin, manifest.find('"', begin) - begin);
}

std::vector<detail::PointRecord> load_points(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir / "points", ec))
    throw std::runtime_error("\"" + dir.string() + "\" holds no sweep points (no points/ folder)");
  for (const auto& e : fs::directory_iterator(dir / "points")) {
    if (experiment::PointStore::is_point_file(e.path().filename().string()))
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("\"" + dir.string() + "\" holds no finished point");
  std::vector<detail::PointRecord> points;
  for (const fs::path& f : files) {
    const std::string text = experiment::read_file_or_throw(f);  // its errors name the file
    try {
      points.push_back(detail::point_from_text(text));
    } catch (const std::runtime_error& e) {
      // Which of a sweep's hundreds of points is damaged is the one thing the fix needs.
      throw std::runtime_error(f.string() + ": " + e.what());
    }
  }
  return points;
}

// To three decimals for the text, without a sign left on zero ("src -0").
double rounded(double x) { return std::round(x * 1000) / 1000 + 0.0; }

struct Sample {
  std::vector<std::string> levels;  // per factor
  double y = 0;
  std::size_t point = 0;
};

FigureSensitivity analyze(const std::vector<std::string>& paths, const std::vector<Sample>& rows,
                          bool grid) {
  FigureSensitivity f;
  f.runs = rows.size();
  const std::size_t k = paths.size();
  for (const std::string& p : paths) f.factors.push_back({p, false, 0, {}, 0});
  if (rows.size() < 2) return f;
  // Numeric factors that vary, standardised; the figure standardised too.
  const auto n = static_cast<Eigen::Index>(rows.size());
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = rows[static_cast<std::size_t>(i)].y;
  std::vector<std::size_t> used;
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(k));
  for (std::size_t j = 0; j < k; ++j) {
    bool numeric = true;
    for (Eigen::Index i = 0; i < n && numeric; ++i)
      numeric = as_number(rows[static_cast<std::size_t>(i)].levels[j],
                          x(i, static_cast<Eigen::Index>(used.size())));
    if (!numeric) continue;
    auto col = x.col(static_cast<Eigen::Index>(used.size()));
    const double mean = col.mean();
    const double sd = std::sqrt((col.array() - mean).square().sum() / double(n - 1));
    if (sd <= 0) continue;
    col = (col.array() - mean) / sd;
    used.push_back(j);
  }
  const double y_mean = y.mean();
  const double y_sd = std::sqrt((y.array() - y_mean).square().sum() / double(n - 1));
  if (y_sd > 0 && !used.empty()) {
    const Eigen::VectorXd ys = (y.array() - y_mean) / y_sd;
    const Eigen::MatrixXd xs = x.leftCols(static_cast<Eigen::Index>(used.size()));
    const Eigen::VectorXd beta = xs.colPivHouseholderQr().solve(ys);
    const double residual = (ys - xs * beta).squaredNorm();
    f.has_r_squared = true;
    f.r_squared = 1.0 - residual / ys.squaredNorm();
    for (std::size_t c = 0; c < used.size(); ++c) {
      f.factors[used[c]].has_src = true;
      f.factors[used[c]].src = beta(static_cast<Eigen::Index>(c));
    }
  }
  if (grid) {
    // Each point's mean first, then the mean of the points at each level: every point weighs
    // the same, however many replications a precision rule gave it.
    std::vector<const Sample*> firsts;
    std::vector<double> point_mean;
    for (std::size_t i = 0; i < rows.size();) {
      std::size_t end = i;
      double sum = 0;
      for (; end < rows.size() && rows[end].point == rows[i].point; ++end) sum += rows[end].y;
      firsts.push_back(&rows[i]);
      point_mean.push_back(sum / static_cast<double>(end - i));
      i = end;
    }
    for (std::size_t j = 0; j < k; ++j) {
      std::vector<std::pair<std::string, double>> sums;
      std::vector<int> counts;
      for (std::size_t p = 0; p < firsts.size(); ++p) {
        const std::string& level = firsts[p]->levels[j];
        auto it =
            std::find_if(sums.begin(), sums.end(), [&](const auto& l) { return l.first == level; });
        if (it == sums.end()) {
          sums.emplace_back(level, 0.0);
          counts.push_back(0);
          it = sums.end() - 1;
        }
        it->second += point_mean[p];
        ++counts[static_cast<std::size_t>(it - sums.begin())];
      }
      double lo = 0, hi = 0;
      for (std::size_t l = 0; l < sums.size(); ++l) {
        sums[l].second /= counts[l];
        lo = l == 0 ? sums[l].second : std::min(lo, sums[l].second);
        hi = l == 0 ? sums[l].second : std::max(hi, sums[l].second);
      }
      f.factors[j].levels = sums;
      f.factors[j].main_effect = hi - lo;
    }
  }
  // A grid gives every factor a main effect, in the figure's own units: they rank all of them
  // alike. Ranked by |SRC| first, a calendar (no number, so no SRC) came after every numeric
  // factor, however small their effect and however large its own. A sampled design has
  // SRCs only: the factors without one come last.
  std::stable_sort(f.factors.begin(), f.factors.end(), [grid](const auto& a, const auto& b) {
    if (grid && a.main_effect != b.main_effect) return a.main_effect > b.main_effect;
    if (a.has_src != b.has_src) return a.has_src;
    if (a.has_src && std::abs(a.src) != std::abs(b.src)) return std::abs(a.src) > std::abs(b.src);
    return a.main_effect > b.main_effect;
  });
  return f;
}

// A sweep is whole once its manifest says what it ran ("outcome", written when the last point
// is saved or the shards are merged). Ranking factors on some of the points (a sweep stopped
// part-way, one shard) would look like an answer and be none.
void check_whole(const fs::path& dir, const std::string& manifest,
                 const std::vector<detail::PointRecord>& points) {
  const std::string key = "\"points\": ";
  const std::size_t at = manifest.find(key);
  const unsigned long long planned =
      at == std::string::npos ? 0 : std::strtoull(manifest.c_str() + at + key.size(), nullptr, 10);
  if (points.size() != planned) {
    throw std::runtime_error("the sweep in \"" + dir.string() + "\" is not whole (" +
                             std::to_string(points.size()) + " of " + std::to_string(planned) +
                             " points saved): finish it with takt sweep --resume, or merge its "
                             "shards with takt merge, first");
  }
  if (manifest.find("\"outcome\": ") == std::string::npos) {
    throw std::runtime_error("the sweep in \"" + dir.string() +
                             "\" saved all its points but stopped before its tables: run it "
                             "again with takt sweep --resume, which writes them");
  }
  const std::string id = manifest_field(manifest, "sweep_id");
  for (const detail::PointRecord& p : points) {
    if (p.sweep_id != id) {
      throw std::runtime_error("point " + std::to_string(p.point + 1) + " in \"" + dir.string() +
                               "\" belongs to another sweep");
    }
  }
}

}  // namespace

SensitivityResult analyze_sweep(const fs::path& dir) {
  const std::string manifest = experiment::read_file_or_throw(dir / "manifest.json");
  SensitivityResult r;
  r.sweep = manifest_field(manifest, "sweep");
  r.design = manifest_field(manifest, "design");
  const std::vector<detail::PointRecord> points = load_points(dir);
  check_whole(dir, manifest, points);
  r.points = points.size();
  std::vector<std::string> paths;
  for (const auto& [path, value] : points.front().factors) paths.push_back(path);
  for (std::size_t plant = 0; plant < points.front().plants.size(); ++plant) {
    for (const char* figure : kFigures) {
      std::vector<Sample> rows;
      for (const detail::PointRecord& p : points) {
        if (plant >= p.plants.size() || p.factors.size() != paths.size())
          throw std::runtime_error("the points of \"" + dir.string() + "\" differ in shape");
        Sample s;
        s.point = p.point;
        for (const auto& [path, value] : p.factors) s.levels.push_back(value);
        for (const detail::RunRecord& run : p.plants[plant].replications) {
          if (figure_of(run, figure, s.y)) rows.push_back(s);
        }
      }
      FigureSensitivity f = analyze(paths, rows, r.design == "grid");
      f.plant = points.front().plants[plant].name;
      f.figure = figure;
      r.figures.push_back(std::move(f));
    }
  }
  return r;
}

std::string sensitivity_text(const SensitivityResult& r) {
  std::ostringstream out;
  out << "sweep " << r.sweep << " (" << r.design << ", " << r.points << " points)\n";
  for (const FigureSensitivity& f : r.figures) {
    out << "\n" << f.plant << " " << f.figure << " (" << f.runs << " runs";
    if (f.has_r_squared) out << ", R^2 " << detail::json_number(rounded(f.r_squared));
    out << "):\n";
    if (f.runs < 2 || (!f.has_r_squared && r.design != "grid")) {
      out << "  no variation to explain\n";
      continue;
    }
    for (const FactorEffect& e : f.factors) {
      out << "  " << e.path << ":";
      if (e.has_src) out << " src " << detail::json_number(rounded(e.src));
      if (!e.levels.empty()) {
        out << " main effect " << detail::json_number(e.main_effect) << " (";
        for (std::size_t l = 0; l < e.levels.size(); ++l)
          out << (l > 0 ? ", " : "") << e.levels[l].first << ": "
              << detail::json_number(e.levels[l].second);
        out << ")";
      }
      if (!e.has_src && e.levels.empty()) out << " not a number: no coefficient";
      out << "\n";
    }
  }
  return out.str();
}

std::string sensitivity_json(const SensitivityResult& r) {
  detail::JsonWriter j;
  j.begin_object()
      .value("sweep", r.sweep)
      .value("design", r.design)
      .integer("points", static_cast<long long>(r.points))
      .begin_array("figures");
  for (const FigureSensitivity& f : r.figures) {
    j.begin_object()
        .value("plant", f.plant)
        .value("figure", f.figure)
        .integer("runs", static_cast<long long>(f.runs))
        .raw("r_squared", f.has_r_squared ? detail::json_number(f.r_squared) : "null")
        .begin_array("factors");
    for (const FactorEffect& e : f.factors) {
      j.begin_object()
          .value("path", e.path)
          .raw("src", e.has_src ? detail::json_number(e.src) : "null");
      if (!e.levels.empty()) {
        j.value("main_effect", e.main_effect).begin_array("levels");
        for (const auto& [level, mean] : e.levels)
          j.begin_object().value("value", level).value("mean", mean).end_object();
        j.end_array();
      }
      j.end_object();
    }
    j.end_array().end_object();
  }
  j.end_array().end_object();
  return j.str();
}

std::string sensitivity_csv(const SensitivityResult& r) {
  std::ostringstream out;
  out << "sweep,plant,figure,factor,measure,value\n";
  for (const FigureSensitivity& f : r.figures) {
    const std::string key =
        detail::csv_field(r.sweep) + "," + detail::csv_field(f.plant) + "," + f.figure + ",";
    if (f.has_r_squared) out << key << ",r_squared," << detail::json_number(f.r_squared) << "\n";
    for (const FactorEffect& e : f.factors) {
      const std::string row = key + detail::csv_field(e.path) + ",";
      if (e.has_src) out << row << "src," << detail::json_number(e.src) << "\n";
      if (e.levels.empty()) continue;
      out << row << "main_effect," << detail::json_number(e.main_effect) << "\n";
      for (const auto& [level, mean] : e.levels)
        out << row << detail::csv_field("level:" + level) << "," << detail::json_number(mean)
            << "\n";
    }
  }
  return out.str();
}

}  // namespace takt::run
