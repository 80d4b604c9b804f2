// An approximate answer for long serial lines in milliseconds: the line is decomposed into
// two-machine lines, one per buffer, each solved exactly as a small Markov chain, whose
// pseudo-machines are tuned until the flow through every buffer agrees (Dallery-David-Xie for
// reliable exponential machines; Gershwin's three-parameter pseudo-machines when machines fail).
// The line is the same as the exact chain's (exact_line.hpp): exponential processing,
// operation-dependent exponential failures and repairs, blocking after service.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

#include "takt/models/exact_line.hpp"

namespace takt::models {

/// What the decomposition finds. Shares per machine are estimates from the two-machine line
/// on either side of it, so they need not add up to exactly 1.
struct LineDecomposition {
  double throughput = 0;             ///< parts per time unit
  double wip = 0;                    ///< mean parts in machines and buffers
  std::vector<double> working;       ///< throughput / rate, per machine
  std::vector<double> down;          ///< (failure_rate / repair_rate) x working
  std::vector<double> blocked;       ///< the share its downstream two-machine line is full
  std::vector<double> starved;       ///< the share its upstream two-machine line is empty
  std::vector<double> buffer_level;  ///< mean parts in each intermediate buffer (k-1 values)
  int iterations = 0;                ///< forward and backward passes until the flows agreed
};

/// Most places a buffer may have here: each two-machine line is a chain of 4 (places + 3) states,
/// solved in time and memory linear in its length.
inline constexpr int kDecompositionMaxBuffer = 100000;

/// The passes did not make the flows agree: the line is outside what the method answers.
class NotConverged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Decomposes the line (machines and buffers as for solve_exact_line; `max_states` and
/// `direct_max_states` are not used). Two machines are solved exactly, one machine in closed
/// form. Throws std::invalid_argument for a bad spec (as solve_exact_line) or a buffer over
/// kDecompositionMaxBuffer, NotConverged when the passes do not converge, sim::Interrupted when
/// asked to stop (checked every pass).
LineDecomposition decompose_line(const ExactLineSpec& spec);

}  // namespace takt::models
