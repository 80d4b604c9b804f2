// Each buffer's two-machine line has an upstream pseudo-machine (the line before the buffer
// as the buffer sees it) and a downstream one (the line after it). A pass forward refits each
// upstream pseudo-machine from the line before it; a pass backward refits each downstream one
// from the line after it; the passes repeat until every two-machine line carries the same flow.
//
// The two-machine line with blocking after service has states (n, up_u, up_d), n = 0..N with
// N = buffer + 2: n counts the parts in the buffer, the part in the downstream machine and a
// finished part held by a blocked upstream machine, so "starved" (n = 0) and "blocked" (n = N)
// exclude each other. Machines fail only while working.
#include "takt/models/line_decomposition.hpp"

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "takt/sim/interrupt.hpp"

namespace takt::models {
namespace {

// A pseudo-machine: processing rate, failure rate while working, repair rate.
struct Pseudo {
  double mu = 1, p = 0, r = 0;
};

// What the decomposition needs from a solved two-machine line.
struct TwoMachine {
  double throughput = 0;
  double empty_up_down_up = 0;  // p(0, 1, 1): starved, both up
  double empty_down_up = 0;     // p(0, 0, 1): starved while the upstream pseudo-machine is down
  double full_up_up = 0;        // p(N, 1, 1): blocked, both up
  double full_up_down = 0;      // p(N, 1, 0): blocked while the downstream one is down
  double empty = 0, full = 0;   // P(n = 0), P(n = N)
  double buffer = 0;            // mean parts in the buffer itself
  double parts = 0;             // mean n
};

// The states a two-machine line can be in: a reliable machine is never down; the downstream
// machine cannot fail while starved nor the upstream one while blocked, so (0, *, down) and
// (N, down, *) are never entered.
class TwoMachineChain {
 public:
  TwoMachineChain(const Pseudo& u, const Pseudo& d, int buffer)
      : u_(u), d_(d), n_max_(buffer + 2), index_(static_cast<std::size_t>(n_max_ + 1) * 4, -1) {
    for (int n = 0; n <= n_max_; ++n) {
      for (int au = 0; au < 2; ++au) {
        for (int ad = 0; ad < 2; ++ad) {
          if (allowed(n, au, ad)) {
            index_[key(n, au, ad)] = static_cast<int>(states_.size());
            states_.push_back({n, au, ad});
          }
        }
      }
    }
  }

  TwoMachine solve(int buffer) const {
    // pi(0) = 1 first; when the mass sits at the full end (the upstream machine the faster,
    // over hundreds of places) the levels grow geometrically from there and overflow, so the
    // chain is solved again pinned at the last state, from which they shrink instead.
    std::optional<Eigen::VectorXd> pi = solve_pinned(0);
    if (!pi) pi = solve_pinned(states_.size() - 1);
    if (!pi) throw NotConverged("a two-machine line could not be solved (rates too far apart?)");
    return summarize(*pi / pi->sum(), buffer);
  }

 private:
  struct State {
    int n, au, ad;
  };

  // The stationary distribution up to a factor, with state `pin` at 1: rows are the balance of
  // each state (pi Q = 0, transposed), the pinned state's replaced by pi(pin) = 1, which keeps
  // the matrix banded: states go level by level, so with the natural order the factors fill only
  // the band and a long buffer costs linear time. Nothing when it cannot be solved in doubles.
  std::optional<Eigen::VectorXd> solve_pinned(std::size_t pin) const {
    const auto count = static_cast<Eigen::Index>(states_.size());
    const auto pinned = static_cast<int>(pin);
    std::vector<Eigen::Triplet<double>> entries;
    for (const State& s : states_) {
      const int from = index_[key(s.n, s.au, s.ad)];
      double out = 0;
      const auto move = [&](int n, int au, int ad, double rate) {
        if (rate <= 0) return;
        out += rate;
        const int to = index_[key(n, au, ad)];
        if (to != pinned) entries.emplace_back(to, from, rate);
      };
      const bool u_works = s.au == 1 && s.n < n_max_, d_works = s.ad == 1 && s.n > 0;
      if (u_works) move(s.n + 1, 1, s.ad, u_.mu);
      if (u_works) move(s.n, 0, s.ad, u_.p);
      if (s.au == 0) move(s.n, 1, s.ad, u_.r);
      if (d_works) move(s.n - 1, s.au, 1, d_.mu);
      if (d_works) move(s.n, s.au, 0, d_.p);
      if (s.ad == 0) move(s.n, s.au, 1, d_.r);
      if (from != pinned) entries.emplace_back(from, from, -out);
    }
    entries.emplace_back(pinned, pinned, 1.0);
    Eigen::SparseMatrix<double> a(count, count);
    a.setFromTriplets(entries.begin(), entries.end());
    Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::NaturalOrdering<int>> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) return std::nullopt;
    Eigen::VectorXd b = Eigen::VectorXd::Zero(count);
    b(pinned) = 1;
    Eigen::VectorXd x = lu.solve(b);
    if (!x.allFinite() || !(x.sum() > 0) || !std::isfinite(x.sum())) return std::nullopt;
    return x;
  }

  std::size_t key(int n, int au, int ad) const {
    return static_cast<std::size_t>(n) * 4 + static_cast<std::size_t>(au * 2 + ad);
  }
  bool allowed(int n, int au, int ad) const {
    if (au == 0 && u_.p <= 0) return false;
    if (ad == 0 && d_.p <= 0) return false;
    if (n == 0 && ad == 0) return false;
    return !(n == n_max_ && au == 0);
  }

  TwoMachine summarize(const Eigen::VectorXd& pi, int buffer) const {
    TwoMachine t;
    for (std::size_t j = 0; j < states_.size(); ++j) {
      const State& s = states_[j];
      const double p = std::max(0.0, pi(static_cast<Eigen::Index>(j)));
      if (s.ad == 1 && s.n > 0) t.throughput += p * d_.mu;
      if (s.n == 0) t.empty += p;
      if (s.n == n_max_) t.full += p;
      if (s.n == 0 && s.au == 1) t.empty_up_down_up += p;
      if (s.n == 0 && s.au == 0) t.empty_down_up += p;
      if (s.n == n_max_ && s.ad == 1) t.full_up_up += p;
      if (s.n == n_max_ && s.ad == 0) t.full_up_down += p;
      t.buffer += p * std::clamp(s.n - 1, 0, buffer);
      t.parts += p * s.n;
    }
    return t;
  }

  Pseudo u_, d_;
  int n_max_;
  std::vector<int> index_;
  std::vector<State> states_;
};

TwoMachine solve_two(const Pseudo& u, const Pseudo& d, int buffer) {
  return TwoMachineChain(u, d, buffer).solve(buffer);
}

Pseudo pseudo_of(const ExactMachine& m) { return {m.rate, m.failure_rate, m.repair_rate}; }

// The share of its processing time a machine spends down: failures per unit of work times the
// mean repair.
double down_per_work(const ExactMachine& m) {
  return m.failure_rate > 0 ? m.failure_rate / m.repair_rate : 0.0;
}

// Machine `m` seen from a buffer next to it, through the two-machine line on its other side
// (throughput `e`): its own processing plus the waits for that line while both of its machines
// are up (`both_up`: empty before it, full after it); its stops are its own failures and that
// line's far pseudo-machine's (repair rate `far_r`) while that line is empty or full
// (`far_down`), each repaired at its own rate, weighted by the time it stops the flow.
Pseudo refit(const ExactMachine& m, double far_r, double e, double both_up, double far_down) {
  Pseudo x;
  x.mu = 1.0 / (1.0 / m.rate + both_up / e);
  const double own = down_per_work(m) * e / m.rate;
  const double far = far_down + own > 0 ? far_down / (far_down + own) : 0;
  x.r = far_r * far + m.repair_rate * (1 - far);
  x.p = x.mu * (m.failure_rate / m.rate + far_r * far_down / e);
  return x;
}

// Machine j+1 seen from the buffer after it, through the line before it.
Pseudo upstream(const ExactMachine& m, const Pseudo& previous, const TwoMachine& before) {
  return refit(m, previous.r, before.throughput, before.empty_up_down_up, before.empty_down_up);
}

// Machine j+1 seen from the buffer before it, through the line after it.
Pseudo downstream(const ExactMachine& m, const Pseudo& next, const TwoMachine& after) {
  return refit(m, next.r, after.throughput, after.full_up_up, after.full_up_down);
}

void check(const ExactLineSpec& spec) {
  const std::size_t k = spec.machines.size();
  if (k == 0) throw std::invalid_argument("line decomposition: no machines; a line needs one");
  if (spec.buffers.size() != k - 1) {
    throw std::invalid_argument("line decomposition: " + std::to_string(k) + " machines need " +
                                std::to_string(k - 1) + " buffer capacities, got " +
                                std::to_string(spec.buffers.size()));
  }
  for (std::size_t i = 0; i < k; ++i) check_exact_machine(spec.machines[i], i + 1);
  for (std::size_t i = 0; i + 1 < k; ++i) {
    if (spec.buffers[i] < 0 || spec.buffers[i] > kDecompositionMaxBuffer) {
      throw std::invalid_argument("line decomposition: buffer " + std::to_string(i + 1) +
                                  " has capacity " + std::to_string(spec.buffers[i]) +
                                  "; expected 0 to " + std::to_string(kDecompositionMaxBuffer));
    }
  }
}

// Shares per machine from the converged two-machine lines.
LineDecomposition result_of(const ExactLineSpec& spec, const std::vector<TwoMachine>& lines,
                            int iterations) {
  const std::size_t k = spec.machines.size();
  LineDecomposition r;
  r.iterations = iterations;
  double sum = 0;
  for (const TwoMachine& t : lines) sum += t.throughput;
  r.throughput = sum / static_cast<double>(lines.size());
  for (std::size_t i = 0; i < k; ++i) {
    const ExactMachine& m = spec.machines[i];
    r.working.push_back(r.throughput / m.rate);
    r.down.push_back(down_per_work(m) * r.throughput / m.rate);
    r.starved.push_back(i > 0 ? lines[i - 1].empty : 0.0);
    r.blocked.push_back(i + 1 < k ? lines[i].full : 0.0);
    r.wip += 1.0 - r.starved.back();  // a machine that is not starved holds a part
  }
  for (const TwoMachine& t : lines) {
    r.buffer_level.push_back(t.buffer);
    r.wip += t.buffer;
  }
  return r;
}

}  // namespace

LineDecomposition decompose_line(const ExactLineSpec& spec) {
  check(spec);
  const std::size_t k = spec.machines.size();
  if (k == 1) {
    const ExactMachine& m = spec.machines[0];
    LineDecomposition r;
    r.throughput = m.rate / (1 + down_per_work(m));
    r.working = {r.throughput / m.rate};
    r.down = {down_per_work(m) * r.working[0]};
    r.blocked = r.starved = {0.0};
    r.wip = 1;
    return r;
  }
  const std::size_t lines = k - 1;
  std::vector<Pseudo> up(lines), down(lines);
  std::vector<TwoMachine> solved(lines);
  for (std::size_t j = 0; j < lines; ++j) {
    up[j] = pseudo_of(spec.machines[j]);
    down[j] = pseudo_of(spec.machines[j + 1]);
    solved[j] = solve_two(up[j], down[j], spec.buffers[j]);
  }
  // Converged when the flows through all buffers agree to 1e-8 of their size: far below the
  // method's own error (docs/analytic.md), and reached by lines of hundreds of machines.
  constexpr int kMaxPasses = 5000;
  for (int pass = 1; pass <= kMaxPasses; ++pass) {
    sim::interrupt_point();
    for (std::size_t j = 1; j < lines; ++j) {
      up[j] = upstream(spec.machines[j], up[j - 1], solved[j - 1]);
      solved[j] = solve_two(up[j], down[j], spec.buffers[j]);
    }
    for (std::size_t j = lines - 1; j-- > 0;) {
      down[j] = downstream(spec.machines[j + 1], down[j + 1], solved[j + 1]);
      solved[j] = solve_two(up[j], down[j], spec.buffers[j]);
    }
    double low = solved[0].throughput, high = low;
    for (const TwoMachine& t : solved) {
      low = std::min(low, t.throughput);
      high = std::max(high, t.throughput);
    }
    if (!std::isfinite(low) || !std::isfinite(high)) throw NotConverged("the passes diverged");
    if (high - low <= 1e-8 * high || lines == 1) return result_of(spec, solved, pass);
  }
  throw NotConverged("the flows through the buffers did not agree after " +
                     std::to_string(kMaxPasses) + " passes");
}

}  // namespace takt::models
