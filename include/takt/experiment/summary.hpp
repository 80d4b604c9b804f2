// Summaries across replications: mean, Student-t 95% interval and percentiles.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace takt::experiment {

/// What planners read off a set of replications of one figure.
struct Summary {
  std::size_t n = 0;
  double mean = 0, stddev = 0;
  double ci_low = 0, ci_high = 0;    ///< 95% Student-t interval for the mean (the mean when n < 2)
  double p10 = 0, p50 = 0, p90 = 0;  ///< percentiles of the replications (linear interpolation)
  double min = 0, max = 0;
};

/// Summary of one figure's values over replications.
Summary summarize(const std::vector<double>& values);

/// One Summary per column of a replications x figures matrix.
std::vector<Summary> summarize_columns(const Eigen::MatrixXd& by_replication);

/// Two-sided quantile of Student's t with `dof` degrees of freedom at `confidence` (e.g. 0.95).
double student_t_quantile(double confidence, std::size_t dof);

/// The p-quantile (0..1) of `values` by linear interpolation between order statistics.
double percentile(std::vector<double> values, double p);

}  // namespace takt::experiment
