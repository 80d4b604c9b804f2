// flock(2) rather than a lock file that exists or not: a file outlives a crash and would need
// a stale-lock rule, while a flock ends with its process. Linux's NFS client maps flock onto
// NFS byte-range locks, so the claim holds across the machines of a cluster too.
#include "takt/experiment/directory_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "takt/experiment/input_error.hpp"

namespace takt::experiment {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw std::runtime_error("cannot " + what + " \"" + path.string() +
                           "\": " + std::strerror(error));
}

// Whether the locked file `fd_` refers to is still the one at `file`.
bool same_file(int fd, const fs::path& file) {
  struct stat held {};
  struct stat named {};
  return ::fstat(fd, &held) == 0 && ::stat(file.c_str(), &named) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

// The holder's pid as it wrote it, or "" when it cannot be read.
std::string holder_of(int fd) {
  char text[32] = {};
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return "";
  std::string pid(text, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

// "a/b/" as "a/b": its parent is then "a", not "a/b" again.
fs::path without_slash(const fs::path& dir) { return dir.has_filename() ? dir : dir.parent_path(); }

}  // namespace

DirectoryLock::DirectoryLock(const fs::path& dir) {
  std::error_code ec;
  // A file where the folder (or one above it) should be is the planner's mistake, not the
  // machine's: an InputError (exit 2), like takt run's.
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError("\"" + dir.string() + "\" is a file, not a folder: give --out a folder");
  // The highest folder of the path that is not there yet: create_directories makes the
  // missing parents too, and a failed command takes them away again with the folder. Looked
  // at once: the folder existed exactly when none is missing, so that a folder appearing
  // meanwhile (another takt on the same new --out) cannot leave `top` empty while the claim
  // counts as the folder's creator.
  fs::path top;
  for (fs::path p = without_slash(dir); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    top = p;
    if (p == p.parent_path()) break;
  }
  const bool existed = top.empty();
  const fs::path file = dir / kFileName;
  // A process that created the folder and failed removes it with its lock file (see
  // remove_if_unused): a lock taken on that file just before is on a file no longer there,
  // and the claim is made again on the folder as it is now.
  int locked = -1, error = 0;
  for (int attempt = 0;; ++attempt) {
    fs::create_directories(dir, ec);
    if (ec == std::errc::not_a_directory) {
      throw InputError("\"" + dir.string() +
                       "\" cannot be a folder: a part of its path is a file; give --out a folder");
    }
    if (ec) fail("create", dir, ec.value());
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open", file, errno);
    locked = ::flock(fd_, LOCK_EX | LOCK_NB);
    error = errno;
    if (locked != 0 || attempt == 10 || same_file(fd_, file)) break;
    ::close(fd_);
    fd_ = -1;
  }
  if (locked != 0) {
    const std::string holder = error == EWOULDBLOCK ? holder_of(fd_) : "";
    ::close(fd_);
    fd_ = -1;
    if (error == ENOLCK || error == EOPNOTSUPP || error == ENOSYS) return;  // no locks here
    if (!existed && error != EWOULDBLOCK) remove_if_unused(dir, top);
    if (error != EWOULDBLOCK) fail("lock", file, error);
    throw std::runtime_error(
        "\"" + dir.string() + "\" is in use by another takt process" +
        (holder.empty() ? "" : " (pid " + holder + ")") +
        "; wait for it to end or give another --out (a sweep's shards each need their own, "
        "combined by takt merge)");
  }
  // For the message another process gets; the lock itself is what counts.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    error = errno;
    ::close(fd_);
    fd_ = -1;
    if (!existed) remove_if_unused(dir, top);
    fail("write", file, error);
  }
  if (!existed) {
    created_ = dir;
    created_top_ = top;
  }
}

DirectoryLock::~DirectoryLock() {
  // Still held, so no other takt process can be using the folder while it goes.
  if (fd_ >= 0 && !created_.empty()) remove_if_unused(created_, created_top_);
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

// A folder this claim created and nothing was written to (the command failed before its
// first file) goes again, rather than staying behind holding only the lock file, and so do
// the parents created with it, up to `top`, as long as they are empty.
void DirectoryLock::remove_if_unused(const fs::path& dir, const fs::path& top) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return;
  for (const fs::directory_entry& entry : it) {
    if (entry.path().filename() != kFileName) return;
  }
  fs::remove(dir / kFileName, ec);
  // Each remove fails harmlessly, and ends the walk, where another process just put a file.
  // Without a `top` (none was missing) only the folder itself is taken.
  for (fs::path p = without_slash(dir); !p.empty(); p = p.parent_path()) {
    if (!fs::remove(p, ec) || top.empty() || p == top || p == p.parent_path()) return;
  }
}

}  // namespace takt::experiment
