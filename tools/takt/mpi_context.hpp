// MPI for `mpirun -np N takt sweep ...` when built with -DTAKT_MPI=ON; a single process
// otherwise (or when not started by mpirun), so the rest of the program never asks which.
#pragma once

namespace takt::cli {

class MpiContext {
 public:
  /// Initialises MPI if this build has it and the process was started by mpirun.
  static void init(int* argc, char*** argv);
  /// Finalises MPI; a failing rank (status != 0) aborts the others instead of leaving them
  /// waiting at a barrier.
  static void finish(int status);
  static const MpiContext& world();

  int rank() const { return rank_; }
  int size() const { return size_; }
  void barrier() const;

 private:
  int rank_ = 0, size_ = 1;
  bool active_ = false;
};

}  // namespace takt::cli
