// stat() before open(): opening a FIFO for reading blocks until a writer comes, and reading a
// device or a huge file would never end or exhaust memory.
#include "takt/experiment/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace takt::experiment {
namespace {

std::string megabytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

}  // namespace

FileText read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  auto refuse = [](std::string why) { return FileText{std::nullopt, std::move(why)}; };
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return refuse(std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return refuse("it is a folder, not a file");
  if (!S_ISREG(info.st_mode)) return refuse("it is not a regular file");
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    return refuse("it holds " + megabytes(static_cast<std::size_t>(info.st_size)) +
                  "; the limit is " + megabytes(max_bytes));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return refuse(std::strerror(errno));
  std::string text;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return refuse(std::strerror(error));
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      ::close(fd);
      return refuse("it grew past " + megabytes(max_bytes) + " while being read");
    }
  }
  ::close(fd);
  return {std::move(text), ""};
}

std::string read_file_or_throw(const std::filesystem::path& path) {
  FileText f = read_file(path);
  if (!f.text) throw std::runtime_error("cannot read \"" + path.string() + "\": " + f.why);
  return std::move(*f.text);
}

}  // namespace takt::experiment
