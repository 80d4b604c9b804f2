// M/M/1 and M/M/c queues assembled directly on the engine reproduce the exact L, Lq and W
// (Erlang C), and Little's law holds. Tolerances: batch means (20 batches) give the standard
// error of each estimate from the run itself; estimates must fall within 4 SE of the exact
// value, and the SE itself must be below a cap that the run length guarantees (domain.md 3.a:
// SE(L) = sqrt(2 rho (1 + rho) / (1 - rho)^4 / T) for M/M/1).
#include <doctest/doctest.h>

#include <cmath>
#include <deque>
#include <vector>

#include "takt/experiment/summary.hpp"
#include "takt/sim/distribution.hpp"
#include "takt/sim/simulation.hpp"
#include "takt/sim/stats.hpp"

using namespace takt::sim;
using namespace takt::experiment;

namespace {

// An M/M/c queue written straight on the engine: arrivals, a FIFO queue, c servers.
class QueueModel : public EventHandler {
 public:
  QueueModel(Simulation& sim, double lambda, double mu, int servers, std::uint64_t seed)
      : sim_(sim),
        interarrival_(Distribution::exponential(1.0 / lambda)),
        service_(Distribution::exponential(1.0 / mu)),
        arrivals_(seed, 0, "arrivals"),
        services_(seed, 0, "services"),
        free_servers_(servers) {
    sim_.schedule(interarrival_.sample_time(arrivals_), *this, kArrival);
  }

  void on_event(std::uint32_t tag) override {
    if (tag == kArrival) {
      arrive();
    } else {
      depart();
    }
  }

  // Starts a new observation window (warm-up end or batch boundary).
  void reset_window() {
    in_system_.reset(sim_.now());
    in_queue_.reset(sim_.now());
    sojourn_.reset();
  }
  double L() const { return in_system_.mean(sim_.now()); }
  double Lq() const { return in_queue_.mean(sim_.now()); }
  double W() const { return sojourn_.mean(); }
  double completions() const { return static_cast<double>(sojourn_.count()); }

 private:
  static constexpr std::uint32_t kArrival = 0, kDeparture = 1;

  void arrive() {
    sim_.schedule(interarrival_.sample_time(arrivals_), *this, kArrival);
    in_system_.add(sim_.now(), 1);
    if (free_servers_ > 0) {
      start(sim_.now());
      return;
    }
    queue_.push_back(sim_.now());
    in_queue_.add(sim_.now(), 1);
  }

  void start(Time arrived) {
    --free_servers_;
    in_service_.push_back(arrived);
    sim_.schedule(service_.sample_time(services_), *this, kDeparture);
  }

  void depart() {
    // Exponential services are memoryless, so which customer leaves does not change L or the
    // mean sojourn; we pair departures with service starts in FIFO order.
    sojourn_.add((sim_.now() - in_service_.front()).to_seconds());
    in_service_.pop_front();
    in_system_.add(sim_.now(), -1);
    ++free_servers_;
    if (queue_.empty()) return;
    const Time arrived = queue_.front();
    queue_.pop_front();
    in_queue_.add(sim_.now(), -1);
    start(arrived);
  }

  Simulation& sim_;
  Distribution interarrival_, service_;
  RandomStream arrivals_, services_;
  int free_servers_;
  std::deque<Time> queue_, in_service_;
  TimeAverage in_system_, in_queue_;
  Tally sojourn_;
};

struct Estimates {
  Summary L, Lq, W, little_ratio;
};

// Runs a warm-up, then `batches` consecutive windows of `batch_length` time units.
Estimates run_batches(double lambda, double mu, int servers, double batch_length, int batches) {
  Simulation sim;
  QueueModel q(sim, lambda, mu, servers, 11);
  sim.run_until(Time::seconds(1e4));
  std::vector<double> L, Lq, W, ratio;
  for (int b = 1; b <= batches; ++b) {
    q.reset_window();
    sim.run_until(Time::seconds(1e4 + b * batch_length));
    L.push_back(q.L());
    Lq.push_back(q.Lq());
    W.push_back(q.W());
    ratio.push_back(q.L() / ((q.completions() / batch_length) * q.W()));
  }
  return {summarize(L), summarize(Lq), summarize(W), summarize(ratio)};
}

double standard_error(const Summary& s) { return s.stddev / std::sqrt(static_cast<double>(s.n)); }

void check_close(const Summary& s, double exact, double max_se, const char* what) {
  INFO(what << ": " << s.mean << " vs exact " << exact << ", SE " << standard_error(s));
  CHECK(std::fabs(s.mean - exact) <= 4 * standard_error(s));
  CHECK(standard_error(s) <= max_se);
}

}  // namespace

TEST_CASE("An M/M/1 queue at rho 0.5 gives L = 1, Lq = 0.5, W = 2") {
  // T = 1e6: SE(L) = sqrt(24 / 1e6) = 0.0049 in theory; the cap allows for batch-means noise.
  const Estimates e = run_batches(0.5, 1.0, 1, 5e4, 20);
  check_close(e.L, 1.0, 0.01, "L");
  check_close(e.Lq, 0.5, 0.01, "Lq");
  check_close(e.W, 2.0, 0.02, "W");
}

TEST_CASE("An M/M/1 queue at rho 0.8 gives L = 4 and W = 5") {
  // T = 4e6: SE(L) = sqrt(1800 / 4e6) = 0.021.
  const Estimates e = run_batches(0.8, 1.0, 1, 2e5, 20);
  check_close(e.L, 4.0, 0.04, "L");
  check_close(e.W, 5.0, 0.05, "W");
}

TEST_CASE("An M/M/2 queue matches Erlang C: L = 40/9, Lq = 128/45, W = 25/9") {
  const Estimates e = run_batches(1.6, 1.0, 2, 1e5, 20);
  check_close(e.L, 40.0 / 9.0, 0.04, "L");
  check_close(e.Lq, 128.0 / 45.0, 0.04, "Lq");
  check_close(e.W, 25.0 / 9.0, 0.025, "W");
}

TEST_CASE("An M/M/3 queue matches Erlang C: L = 4.988764, W = 2.078652") {
  const Estimates e = run_batches(2.4, 1.0, 3, 5e4, 20);
  check_close(e.L, 4.988764, 0.05, "L");
  check_close(e.W, 2.078652, 0.02, "W");
}

TEST_CASE("Little's law holds in every observation window") {
  // L and W are measured independently; per window the end effect is O(L * W / T) = 2e-4.
  const Estimates e = run_batches(0.5, 1.0, 1, 5e4, 20);
  CHECK(std::fabs(e.little_ratio.mean - 1.0) <= 0.005);
  CHECK(e.little_ratio.min > 0.98);
  CHECK(e.little_ratio.max < 1.02);
}
