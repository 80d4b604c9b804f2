// Atomic replacement of a file with POSIX calls: write a sibling, fsync, rename, fsync the
// directory. rename() within one directory is atomic, and the fsyncs make it survive a crash.
#include "takt/experiment/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "takt/sim/test_hook.hpp"

namespace takt::experiment {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const char* action, const fs::path& path, const std::string& reason) {
  throw std::runtime_error(std::string("cannot ") + action + " \"" + path.string() +
                           "\": " + reason);
}

[[noreturn]] void fail(const char* action, const fs::path& path, int error) {
  fail(action, path, std::strerror(error));
}

// Closes a file descriptor and removes the temporary file unless it was renamed into place.
class TemporaryFile {
 public:
  TemporaryFile(int fd, fs::path path) : fd_(fd), path_(std::move(path)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!is_renamed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }
  /// Closes the descriptor, returning 0 or the errno of a failed close.
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }
  void mark_renamed() { is_renamed_ = true; }

 private:
  int fd_;
  fs::path path_;
  bool is_renamed_ = false;
};

// Creates ".NAME.tmp.PID.N" next to the target; O_EXCL makes the name ours alone, and a name
// left behind by a crashed process only makes us try the next N.
TemporaryFile create_temporary(const fs::path& target, const fs::path& shown) {
  static std::atomic<unsigned long> counter{0};
  const fs::path directory = target.parent_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string name = "." + target.filename().string() + ".tmp." +
                             std::to_string(::getpid()) + "." + std::to_string(counter++);
    const fs::path candidate = directory / name;
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return TemporaryFile(fd, candidate);
    if (errno != EEXIST) fail("write", shown, errno);
  }
  fail("write", shown, EEXIST);
}

void write_all(int fd, std::string_view content, const fs::path& shown) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write", shown, errno);
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
}

void sync_directory(const fs::path& directory, const fs::path& shown) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("write", shown, errno);
  // Some file systems cannot sync a directory (EINVAL); the rename has happened all the same.
  const int error = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  if (error != 0 && error != EINVAL) fail("write", shown, error);
}

}  // namespace

void crash_point() {
  static sim::TestHook hook("TAKT_TEST_KILL_AT");
  if (hook.reached()) ::raise(SIGKILL);
}

bool is_temporary_name(const std::string& name) {
  // ".TARGET.tmp.PID.N": a dot, a target, ".tmp.", digits, a dot, digits.
  const std::size_t mark = name.rfind(".tmp.");
  if (name.size() < 2 || name[0] != '.' || mark == std::string::npos || mark < 2) return false;
  const std::string tail = name.substr(mark + 5);
  const std::size_t dot = tail.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == tail.size()) return false;
  for (std::size_t i = 0; i < tail.size(); ++i) {
    if (i != dot && !std::isdigit(static_cast<unsigned char>(tail[i]))) return false;
  }
  return true;
}

void remove_temporaries(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return;
  if (ec) fail("list", dir, ec.message());
  for (const fs::directory_entry& entry : it) {
    if (!is_temporary_name(entry.path().filename().string())) continue;
    fs::remove(entry.path(), ec);
    if (ec) fail("remove", entry.path(), ec.message());
  }
}

void write_file_atomically(const fs::path& path, std::string_view content) {
  crash_point();
  const fs::path target = path.has_parent_path() ? path : fs::path(".") / path;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) fail("create directory", target.parent_path(), ec.message());

  TemporaryFile temporary = create_temporary(target, path);
  struct stat existing {};
  if (::stat(target.c_str(), &existing) == 0 && S_ISREG(existing.st_mode) &&
      ::fchmod(temporary.fd(), existing.st_mode & 07777) != 0) {
    fail("write", path, errno);
  }
  write_all(temporary.fd(), content, path);
  if (::fsync(temporary.fd()) != 0) fail("write", path, errno);
  if (const int error = temporary.close(); error != 0) fail("write", path, error);
  crash_point();
  if (::rename(temporary.path().c_str(), target.c_str()) != 0) fail("replace", path, errno);
  temporary.mark_renamed();
  sync_directory(target.parent_path(), path);
}

}  // namespace takt::experiment
