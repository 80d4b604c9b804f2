// Builds the Markov chain of a serial BAS line state by state and solves its balance equations,
// so small lines get exact throughput and state shares without sampling.
#include "takt/models/exact_line.hpp"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

// Eigen's headers are not warning-clean under our flags; silence them for Eigen's code only
// (GCC applies these by source location, so template instantiations stay silent too).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#pragma GCC diagnostic pop

namespace takt::models {
namespace {

// What a machine is doing. kIdle = empty (starved); kUp/kDown = holding a part in process;
// kBlocked = holding a finished part that has nowhere to go.
enum class Phase : std::uint8_t { kIdle = 0, kUp = 1, kDown = 2, kBlocked = 3 };

// A settled line: no instantaneous move is possible. Invariants the rules keep:
// an idle machine's upstream buffer is empty and its upstream machine is not blocked;
// a blocked machine's downstream buffer is full and its downstream machine is not idle;
// machine 0 is never idle, the last machine is never blocked.
struct LineState {
  std::vector<Phase> phases;
  std::vector<int> levels;  // levels[i]: parts between machine i and machine i+1
};

std::invalid_argument spec_error(const std::string& what) {
  return std::invalid_argument("exact line: " + what);
}

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::invalid_argument too_many_states(std::size_t limit) {
  return spec_error("more than " + std::to_string(limit) +
                    " reachable states, the exact chain's limit; shorten the line, shrink the "
                    "buffers or simulate instead");
}

// The state cap in force: the user's, and never more than the sparse solver can index.
std::size_t state_limit(const ExactLineSpec& spec) {
  return std::min(spec.max_states, static_cast<std::size_t>(INT_MAX));
}

void validate(const ExactLineSpec& spec) {
  const std::size_t k = spec.machines.size();
  if (k == 0) throw spec_error("no machines; a line needs at least one");
  // Reachable states grow about as 2^k: past 30 machines the search would only find, after
  // minutes, that there are more than max_states.
  if (k > 30)
    throw spec_error(std::to_string(k) +
                     " machines; the exact chain handles at most 30 (simulate instead)");
  if (spec.buffers.size() != k - 1) {
    throw spec_error(std::to_string(k) + " machines need " + std::to_string(k - 1) +
                     " buffer capacities, got " + std::to_string(spec.buffers.size()));
  }
  for (std::size_t i = 0; i < k; ++i) check_exact_machine(spec.machines[i], i + 1);
  for (std::size_t i = 0; i < k - 1; ++i) {
    const int capacity = spec.buffers[i];
    if (capacity < 0) {
      throw spec_error("buffer " + std::to_string(i + 1) + " has capacity " +
                       std::to_string(capacity) + "; capacities must be >= 0");
    }
    // Every level 0..capacity is reachable, so this buffer alone needs capacity+1 states.
    if (static_cast<std::size_t>(capacity) >= state_limit(spec)) {
      throw too_many_states(spec.max_states);
    }
  }
  // And every combination of levels is reachable (fill the buffers from the last one back):
  // the product bounds the chain from below, so a chain far too large is refused at once
  // rather than after minutes of search.
  double levels = 1;
  for (const int capacity : spec.buffers) levels *= static_cast<double>(capacity) + 1.0;
  if (levels > static_cast<double>(state_limit(spec))) throw too_many_states(spec.max_states);
}

// ---------------------------------------------------------------------------------------------
// The settle rules: instantaneous part moves after a machine finishes (all deterministic).

// Machine i has just become empty: it takes its next part (machine 0 from the unlimited supply).
// Taking a part from a full buffer lets a blocked upstream machine unload, which empties that
// machine in turn, so the move ripples upstream until some machine keeps what it has.
void pull_next_part(LineState& s, std::size_t i) {
  for (;; --i) {
    if (i == 0) {
      s.phases[0] = Phase::kUp;
      return;
    }
    int& level = s.levels[i - 1];
    const bool upstream_blocked = s.phases[i - 1] == Phase::kBlocked;
    if (level == 0 && !upstream_blocked) {
      s.phases[i] = Phase::kIdle;
      return;
    }
    s.phases[i] = Phase::kUp;
    if (!upstream_blocked) {
      --level;
      return;
    }
    // Either the buffer was full and the blocked part refills the freed place (level unchanged),
    // or the buffer has no places (level 0) and the blocked part moved straight to machine i.
  }
}

// Machine i finishes its part. It goes to an idle downstream machine (whose buffer is then empty),
// else into the downstream buffer if there is room, else machine i blocks. The last machine's part
// leaves the line.
void finish_part(LineState& s, const std::vector<int>& capacities, std::size_t i) {
  const std::size_t last = s.phases.size() - 1;
  if (i != last) {
    if (s.phases[i + 1] == Phase::kIdle) {
      assert(s.levels[i] == 0 && "an idle machine has an empty upstream buffer");
      s.phases[i + 1] = Phase::kUp;
    } else if (s.levels[i] < capacities[i]) {
      ++s.levels[i];
    } else {
      s.phases[i] = Phase::kBlocked;
      return;
    }
  }
  pull_next_part(s, i);
}

// ---------------------------------------------------------------------------------------------
// Compact keys: each machine in 2 bits, each buffer level in just enough bits for its capacity.

class StateCodec {
 public:
  StateCodec(std::size_t machines, const std::vector<int>& capacities) : machines_(machines) {
    std::size_t bits = 2 * machines;
    for (int capacity : capacities) {
      unsigned width = 0;
      while ((static_cast<std::uint64_t>(capacity) >> width) != 0) ++width;
      level_bits_.push_back(width);
      bits += width;
    }
    bytes_ = (bits + 7) / 8;
  }

  std::string encode(const LineState& s) const {
    std::string key(bytes_, '\0');
    std::size_t bit = 0;
    for (Phase phase : s.phases) put(key, bit, static_cast<std::uint32_t>(phase), 2);
    for (std::size_t b = 0; b < level_bits_.size(); ++b) {
      put(key, bit, static_cast<std::uint32_t>(s.levels[b]), level_bits_[b]);
    }
    return key;
  }

  LineState decode(const std::string& key) const {
    LineState s{std::vector<Phase>(machines_), std::vector<int>(level_bits_.size())};
    std::size_t bit = 0;
    for (Phase& phase : s.phases) phase = static_cast<Phase>(get(key, bit, 2));
    for (std::size_t b = 0; b < level_bits_.size(); ++b) {
      s.levels[b] = static_cast<int>(get(key, bit, level_bits_[b]));
    }
    return s;
  }

 private:
  static void put(std::string& key, std::size_t& bit, std::uint32_t value, unsigned width) {
    for (unsigned j = 0; j < width; ++j, ++bit) {
      if (((value >> j) & 1u) == 0) continue;
      const auto byte = static_cast<unsigned>(static_cast<unsigned char>(key[bit / 8]));
      key[bit / 8] = static_cast<char>(byte | (1u << (bit % 8)));
    }
  }

  static std::uint32_t get(const std::string& key, std::size_t& bit, unsigned width) {
    std::uint32_t value = 0;
    for (unsigned j = 0; j < width; ++j, ++bit) {
      const auto byte = static_cast<unsigned>(static_cast<unsigned char>(key[bit / 8]));
      value |= ((byte >> (bit % 8)) & 1u) << j;
    }
    return value;
  }

  std::size_t machines_;
  std::vector<unsigned> level_bits_;
  std::size_t bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// State-space exploration: breadth-first from the empty line (state 0), collecting rates.

using Entry = Eigen::Triplet<double>;

// The balance equations pi Q = 0 with pi_0 fixed at 1 (this replaces state 0's own equation;
// normalising afterwards gives sum(pi) = 1). For states i, j != 0 the unknown x_{j-1} = pi_j
// solves A x = b with A(j-1, i-1) = Q(i, j) and b(j-1) = -Q(0, j). Pinning one state instead of
// adding a dense row of ones keeps A as sparse as Q, which the factorisation needs.
struct Chain {
  std::vector<std::string> keys;   // state index -> key
  std::vector<Entry> entries;      // the entries of A
  std::vector<double> from_start;  // rate from state 0 into each state: Q(0, j)
};

class ChainBuilder {
 public:
  explicit ChainBuilder(const ExactLineSpec& spec)
      : spec_(spec), codec_(spec.machines.size(), spec.buffers), limit_(state_limit(spec)) {}

  Chain build() && {
    const std::size_t k = spec_.machines.size();
    LineState empty{std::vector<Phase>(k, Phase::kIdle), std::vector<int>(k - 1, 0)};
    empty.phases[0] = Phase::kUp;
    intern(empty);
    for (std::size_t from = 0; from < keys_.size(); ++from) expand(from);
    for (std::size_t j = 1; j < keys_.size(); ++j) {
      const int diagonal = static_cast<int>(j - 1);
      chain_.entries.emplace_back(diagonal, diagonal, -outflow_[j]);
    }
    chain_.keys.reserve(keys_.size());
    for (const std::string* key : keys_) chain_.keys.push_back(*key);
    return std::move(chain_);
  }

 private:
  // All exponential transitions out of one state: completion and failure while up, repair.
  void expand(std::size_t from) {
    const LineState s = codec_.decode(*keys_[from]);
    for (std::size_t i = 0; i < s.phases.size(); ++i) {
      const ExactMachine& m = spec_.machines[i];
      LineState next = s;
      if (s.phases[i] == Phase::kUp) {
        finish_part(next, spec_.buffers, i);
        add(from, intern(next), m.rate);
        if (m.failure_rate > 0) {
          next = s;
          next.phases[i] = Phase::kDown;
          add(from, intern(next), m.failure_rate);
        }
      } else if (s.phases[i] == Phase::kDown) {
        next.phases[i] = Phase::kUp;
        add(from, intern(next), m.repair_rate);
      }
    }
  }

  std::size_t intern(const LineState& s) {
    auto [it, inserted] = index_.try_emplace(codec_.encode(s), keys_.size());
    if (inserted) {
      if (keys_.size() >= limit_) throw too_many_states(spec_.max_states);
      keys_.push_back(&it->first);
      outflow_.push_back(0.0);
      chain_.from_start.push_back(0.0);
    }
    return it->second;
  }

  void add(std::size_t from, std::size_t to, double rate) {
    if (from == to) return;  // e.g. a lone machine finishing and starting again
    outflow_[from] += rate;
    if (to == 0) return;
    if (from == 0) {
      chain_.from_start[to] += rate;
      return;
    }
    chain_.entries.emplace_back(static_cast<int>(to - 1), static_cast<int>(from - 1), rate);
  }

  const ExactLineSpec& spec_;
  StateCodec codec_;
  std::size_t limit_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<const std::string*> keys_;  // point into index_ (node keys never move)
  std::vector<double> outflow_;           // total rate out of each state: -Q(j, j)
  Chain chain_;
};

// ---------------------------------------------------------------------------------------------
// Solving the balance equations.

using SparseMatrix = Eigen::SparseMatrix<double>;

// Sparse LU is exact up to rounding but its fill-in grows fast with the number of buffers.
Eigen::VectorXd solve_direct(const SparseMatrix& a, const Eigen::VectorXd& b) {
  Eigen::SparseLU<SparseMatrix> lu;
  lu.compute(a);
  if (lu.info() != Eigen::Success) {
    throw std::runtime_error("exact line: the balance equations could not be solved (" +
                             lu.lastErrorMessage() + ")");
  }
  return lu.solve(b);
}

// BiCGSTAB with a diagonal preconditioner needs a few hundred sparse products on these chains
// (about 400 for 75,000 states), so large lines stay tractable; the residual bound keeps the
// shares within about 1e-11 of the direct solution.
// When it does not converge (long buffers between equal rates make the chain a slow random
// walk), a chain of up to kDirectFallbackStates is solved directly instead. Not a longer chain
// of several buffers: four machines with 45 places each (126,000 states) took minutes and
// gigabytes in LU, and crashed. (A line of one buffer never comes here: see
// stationary_distribution.)
Eigen::VectorXd solve_iterative(const SparseMatrix& a, const Eigen::VectorXd& b) {
  constexpr double kTolerance = 1e-13;
  constexpr Eigen::Index kMaxIterations = 5'000;
  constexpr Eigen::Index kDirectFallbackStates = 10'000;
  Eigen::BiCGSTAB<SparseMatrix> solver;
  solver.setTolerance(kTolerance);
  solver.setMaxIterations(kMaxIterations);
  solver.compute(a);
  Eigen::VectorXd x = solver.solve(b);
  if (solver.info() == Eigen::Success) return x;
  if (a.rows() < kDirectFallbackStates) return solve_direct(a, b);
  const double residual = solver.error();
  throw std::runtime_error("exact line: the iterative solver did not converge for " +
                           std::to_string(a.rows() + 1) + " states (" +
                           (std::isfinite(residual) ? "relative residual " + number(residual)
                                                    : std::string("it broke down")) +
                           "), and the chain is too large to solve directly: simulate instead");
}

Eigen::VectorXd stationary_distribution(const Chain& chain, std::size_t direct_max_states,
                                        bool one_buffer) {
  const auto n = static_cast<Eigen::Index>(chain.keys.size());
  Eigen::VectorXd pi = Eigen::VectorXd::Ones(n);
  if (n == 1) return pi;
  SparseMatrix a(n - 1, n - 1);
  a.setFromTriplets(chain.entries.begin(), chain.entries.end());
  Eigen::VectorXd b(n - 1);
  for (Eigen::Index j = 1; j < n; ++j) b(j - 1) = -chain.from_start[static_cast<std::size_t>(j)];
  // One buffer: LU has almost no fill-in, so it is the quick way whatever the size; BiCGSTAB
  // on 200,000 places between equal rates took 23 s (a slow random walk), LU a fraction.
  const bool direct = one_buffer || chain.keys.size() <= direct_max_states;
  pi.tail(n - 1) = direct ? solve_direct(a, b) : solve_iterative(a, b);
  return pi / pi.sum();
}

// ---------------------------------------------------------------------------------------------
// Long-run averages from the stationary distribution.

ExactLineResult empty_result(std::size_t machines, std::size_t states) {
  ExactLineResult r;
  r.working.assign(machines, 0.0);
  r.blocked.assign(machines, 0.0);
  r.starved.assign(machines, 0.0);
  r.down.assign(machines, 0.0);
  r.buffer_level.assign(machines - 1, 0.0);
  r.states = states;
  return r;
}

void accumulate(ExactLineResult& r, const LineState& s, double p, double last_rate) {
  int parts = 0;  // an idle machine holds none; working, down and blocked ones hold one each
  for (std::size_t i = 0; i < s.phases.size(); ++i) {
    switch (s.phases[i]) {
      case Phase::kIdle:
        r.starved[i] += p;
        break;
      case Phase::kUp:
        r.working[i] += p;
        break;
      case Phase::kDown:
        r.down[i] += p;
        break;
      case Phase::kBlocked:
        r.blocked[i] += p;
        break;
    }
    if (s.phases[i] != Phase::kIdle) ++parts;
  }
  for (std::size_t b = 0; b < s.levels.size(); ++b) {
    r.buffer_level[b] += p * s.levels[b];
    parts += s.levels[b];
  }
  r.wip += p * parts;
  if (s.phases.back() == Phase::kUp) r.throughput += p * last_rate;
}

}  // namespace

void check_exact_machine(const ExactMachine& m, std::size_t number_1based) {
  const std::string name = "machine " + std::to_string(number_1based);
  if (!(m.rate > 0) || !std::isfinite(m.rate)) {
    throw spec_error(name + " has rate " + number(m.rate) +
                     "; processing rates must be positive and finite");
  }
  if (!(m.failure_rate >= 0) || !std::isfinite(m.failure_rate)) {
    throw spec_error(name + " has failure_rate " + number(m.failure_rate) +
                     "; failure rates must be >= 0 and finite");
  }
  if (m.failure_rate > 0 && (!(m.repair_rate > 0) || !std::isfinite(m.repair_rate))) {
    throw spec_error(name + " fails (failure_rate " + number(m.failure_rate) +
                     ") but is never repaired (repair_rate " + number(m.repair_rate) +
                     "); repair rates must be positive and finite when machines fail");
  }
}

ExactLineResult solve_exact_line(const ExactLineSpec& spec) {
  validate(spec);
  const Chain chain = ChainBuilder(spec).build();
  const Eigen::VectorXd pi =
      stationary_distribution(chain, spec.direct_max_states, spec.machines.size() <= 2);
  const StateCodec codec(spec.machines.size(), spec.buffers);
  ExactLineResult result = empty_result(spec.machines.size(), chain.keys.size());
  for (std::size_t j = 0; j < chain.keys.size(); ++j) {
    accumulate(result, codec.decode(chain.keys[j]), pi(static_cast<Eigen::Index>(j)),
               spec.machines.back().rate);
  }
  return result;
}

}  // namespace takt::models
