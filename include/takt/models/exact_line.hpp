// The exact steady state of a small serial line of exponential machines, solved as a Markov chain:
// a fast exact answer for planners and the reference the simulator is validated against.
#pragma once

#include <cstddef>
#include <vector>

namespace takt::models {

/// One machine of an exact line. All rates are per time unit; all times are exponential.
struct ExactMachine {
  double rate = 1.0;          ///< processing rate mu while working and up; must be > 0
  double failure_rate = 0.0;  ///< failures per unit of processing time (only while working), >= 0
  double repair_rate = 0.0;   ///< repair rate while down; must be > 0 when failure_rate > 0
};

/// A serial line: machine 1 is never starved, the last machine is never blocked, and machines
/// block after service (BAS). `buffers[i]` counts the places between machines i+1 and i+2 only
/// (each machine holds one more part); 0 means direct hand-off.
struct ExactLineSpec {
  std::vector<ExactMachine> machines;
  std::vector<int> buffers;            ///< k-1 intermediate capacities, each >= 0
  std::size_t max_states = 2'000'000;  ///< refuse chains with more reachable states
  /// Chains up to this many states are solved by sparse LU (exact up to rounding); larger ones by
  /// BiCGSTAB to a relative residual of 1e-13 (shares within ~1e-11), because LU fill-in grows so
  /// fast with the number of buffers that it is already slower at a thousand states.
  std::size_t direct_max_states = 1'000;
};

/// Long-run averages of the line. Per machine, working + down + blocked + starved = 1.
struct ExactLineResult {
  double throughput = 0;             ///< parts per time unit leaving the last machine
  double wip = 0;                    ///< mean parts in machines (blocked ones included) and buffers
  std::vector<double> working;       ///< share of time processing and up, per machine
  std::vector<double> blocked;       ///< share of time holding a finished part that cannot move on
  std::vector<double> starved;       ///< share of time empty (never for machine 1)
  std::vector<double> down;          ///< share of time failed (the interrupted part stays)
  std::vector<double> buffer_level;  ///< mean parts in each intermediate buffer (k-1 values)
  std::size_t states = 0;            ///< reachable states of the chain
};

/// Throws std::invalid_argument naming machine `number_1based` if its rates are not usable: a
/// rate that is not positive and finite, a negative failure rate, failures without repairs.
void check_exact_machine(const ExactMachine& machine, std::size_t number_1based);

/// Solves the line exactly (stationary distribution of its continuous-time Markov chain).
/// Throws std::invalid_argument naming the machine or buffer for a bad spec (no machines, wrong
/// buffer count, rate <= 0, negative buffer or failure rate, failures without repairs) and when
/// the chain has more than `max_states` reachable states; std::runtime_error if the solve fails.
ExactLineResult solve_exact_line(const ExactLineSpec& spec);

}  // namespace takt::models
