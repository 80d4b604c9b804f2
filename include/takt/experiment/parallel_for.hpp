// Runs independent tasks on a few threads. Results go to slots chosen by task index, never by
// finishing order, so output is byte-identical for any thread count.
#pragma once

#include <cstddef>
#include <functional>

namespace takt::experiment {

/// Calls task(i) for i in [0, count) on `jobs` threads (0: one per hardware thread), taking the
/// indices in order. Rethrows the exception of the lowest-numbered failing task after all
/// threads stopped; tasks not yet taken at a failure are skipped, and a task taken is always
/// run (so a task may wait for an earlier one).
void parallel_for(std::size_t count, int jobs, const std::function<void(std::size_t)>& task);

/// The thread count `jobs` stands for (0: hardware threads, at least 1).
int resolve_jobs(int jobs);

}  // namespace takt::experiment
