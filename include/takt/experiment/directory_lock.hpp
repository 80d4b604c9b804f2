// A claim on a sweep's output directory for as long as one process writes it. Two sweeps (two
// shards given the same --out, say) or a sweep and a merge writing one directory at once would
// each prepare the store, and so wipe the other's finished points.
#pragma once

#include <filesystem>

namespace takt::experiment {

/// Claims `dir` (created if missing) for the object's lifetime with an exclusive advisory lock
/// on DIR/.takt.lock. The kernel drops the lock when the process ends, however it ends, so a
/// killed sweep leaves no stale claim and `--resume` needs no clean-up. The ranks of one MPI
/// sweep share a directory on purpose: only rank 0 claims it.
class DirectoryLock {
 public:
  /// Throws std::runtime_error when another process holds the directory ("DIR is in use by
  /// another takt process (pid N) ...") or on an I/O error. On a file system without locks
  /// (an NFS mount without a lock daemon) it claims nothing and is_held() is false: the caller
  /// warns and goes on, as it did before claims existed.
  explicit DirectoryLock(const std::filesystem::path& dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  bool is_held() const { return fd_ >= 0; }

  static constexpr const char* kFileName = ".takt.lock";

 private:
  static void remove_if_unused(const std::filesystem::path& dir, const std::filesystem::path& top);

  int fd_ = -1;
  std::filesystem::path created_;      // the folder, when this claim created it
  std::filesystem::path created_top_;  // the highest of its parents created with it
};

}  // namespace takt::experiment
