// Cross-replication summaries; Eigen serves the column-wise statistics of result matrices.
#include "takt/experiment/summary.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace takt::experiment {

double student_t_quantile(double confidence, std::size_t dof) {
  if (dof == 0) return 0.0;
  const boost::math::students_t t(static_cast<double>(dof));
  return boost::math::quantile(t, 0.5 + 0.5 * confidence);
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double position = p * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return values[below] + fraction * (values[above] - values[below]);
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  s.n = values.size();
  if (s.n == 0) return s;
  const Eigen::Map<const Eigen::VectorXd> v(values.data(), static_cast<Eigen::Index>(s.n));
  s.mean = v.mean();
  s.min = v.minCoeff();
  s.max = v.maxCoeff();
  s.ci_low = s.ci_high = s.mean;
  if (s.n > 1) {
    s.stddev = std::sqrt((v.array() - s.mean).square().sum() / static_cast<double>(s.n - 1));
    const double half =
        student_t_quantile(0.95, s.n - 1) * s.stddev / std::sqrt(static_cast<double>(s.n));
    s.ci_low = s.mean - half;
    s.ci_high = s.mean + half;
  }
  s.p10 = percentile(values, 0.10);
  s.p50 = percentile(values, 0.50);
  s.p90 = percentile(values, 0.90);
  return s;
}

std::vector<Summary> summarize_columns(const Eigen::MatrixXd& by_replication) {
  std::vector<Summary> out;
  out.reserve(static_cast<std::size_t>(by_replication.cols()));
  for (Eigen::Index c = 0; c < by_replication.cols(); ++c) {
    const Eigen::VectorXd column = by_replication.col(c);
    out.push_back(summarize(std::vector<double>(column.data(), column.data() + column.size())));
  }
  return out;
}

}  // namespace takt::experiment
