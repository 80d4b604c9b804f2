// A sweep keeps one file per finished point on disk, so an interrupted sweep resumes where it
// stopped, and shards run on different machines merge into one complete result.
#pragma once

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace takt::experiment {

/// The results of one sweep in a directory: DIR/sweep.json names the sweep (a caller-given id
/// and the number of points) and DIR/points/NNNNNN.point holds the content of each finished point
/// (six digits, zero-padded, 0-based). Every file is written atomically, so a file that exists
/// is complete and "finished" simply means "its file exists".
class PointStore {
 public:
  /// A store for sweep `sweep_id` with `points` points in `dir`; nothing touches the disk
  /// before open().
  PointStore(std::filesystem::path dir, std::string sweep_id, std::size_t points);

  /// open(false) starts afresh: removes sweep.json, point files and temporary files left by a
  /// crash, then writes sweep.json. open(true) resumes: DIR/sweep.json must name the same id and
  /// point count (else std::runtime_error: "DIR holds a different sweep (id ..., N points;
  /// expected id ..., M points), run without --resume or choose another --out"); temporary
  /// files are removed and existing point files count as finished. Throws std::runtime_error on
  /// I/O errors. Files other than the store's own are left alone.
  void open(bool resume);
  /// Joins a store that is already open and perhaps being written by other processes (the
  /// ranks of an MPI sweep): the identity is checked as by open(true) and existing point files
  /// count as finished, but nothing is removed, since another process's temporary file may be
  /// a point it is writing.
  void attach();

  /// Whether point `point` has a saved file. Thread-safe.
  bool is_done(std::size_t point) const;

  /// Writes the content of point `point` (< points()) atomically and marks it done; a point
  /// saved twice keeps the last content. Thread-safe; throws std::out_of_range for a point
  /// outside the sweep and std::runtime_error on I/O errors.
  void save(std::size_t point, const std::string& content);

  /// Points without a saved file, in increasing order. Thread-safe.
  std::vector<std::size_t> missing() const;

  /// The saved content of point `point`; throws std::runtime_error if it has none.
  std::string load(std::size_t point) const;

  /// The file that holds (or will hold) point `point`: DIR/points/NNNNNN.point.
  std::filesystem::path point_path(std::size_t point) const;

  /// Whether `name` is a point file's name (NNNNNN.point), not a temporary or foreign file.
  static bool is_point_file(const std::string& name);
  /// The name of point `point`'s file: NNNNNN.point.
  static std::string file_name(std::size_t point);

  const std::filesystem::path& dir() const { return dir_; }
  const std::string& sweep_id() const { return sweep_id_; }
  std::size_t points() const { return points_; }

 private:
  void check_identity() const;
  void read_finished();

  std::filesystem::path dir_;
  std::string sweep_id_;
  std::size_t points_;
  mutable std::mutex mutex_;
  std::vector<char> is_done_;  // guarded by mutex_; one flag per point
};

/// The points of shard `shard_index` (0-based) out of `shard_count`: every i in [0, points) with
/// i % shard_count == shard_index, in increasing order. The shards partition the points.
/// Throws std::invalid_argument unless shard_count >= 1 and 0 <= shard_index < shard_count.
std::vector<std::size_t> shard_points(std::size_t points, int shard_index, int shard_count);

/// Merges the stores in `dirs` (e.g. one per shard) into a store in `out`, which may be one of
/// them. All must name the same sweep id and point count, and `out` must be empty or hold the
/// same sweep. Nothing is written unless the union is complete and consistent; otherwise throws
/// std::runtime_error: "points 3, 7 and 12 are missing; run their shards first", or
/// "point 7 differs between "a" and "b"" for a point saved with different contents.
void merge_stores(const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out);

}  // namespace takt::experiment
