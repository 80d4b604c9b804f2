// A tiny work-sharing loop: threads take the next index from an atomic counter.
#include "takt/experiment/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace takt::experiment {

int resolve_jobs(int jobs) {
  if (jobs > 0) return jobs;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void parallel_for(std::size_t count, int jobs, const std::function<void(std::size_t)>& task) {
  const auto threads = std::min<std::size_t>(static_cast<std::size_t>(resolve_jobs(jobs)), count);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::size_t failed_index = count;
  std::exception_ptr error;
  auto worker = [&] {
    // An index once taken is always run, even after another task failed: a task may wait on
    // an earlier one (a sweep's shared plant run), which must then not be skipped.
    while (!failed) {
      const std::size_t i = next++;
      if (i >= count) break;
      try {
        task(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (i < failed_index) {
          failed_index = i;
          error = std::current_exception();
        }
        failed = true;
      }
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      // The system may refuse a thread (a process limit): the ones started do the work.
      try {
        pool.emplace_back(worker);
      } catch (const std::system_error&) {
        break;
      }
    }
    if (pool.empty()) worker();
    for (std::thread& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace takt::experiment
