// stat() before open(): opening a FIFO for reading blocks until a writer comes, and reading a
// device or a huge file would never end or exhaust memory.
#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace takt::scenario::detail {

std::optional<std::string> read_input_file(const std::filesystem::path& path,
                                           Diagnostics& diagnostics, const Location& where,
                                           const std::string& key) {
  const std::string shown = "\"" + path.string() + "\"";
  auto refuse = [&](const std::string& why) {
    diagnostics.error(where, key, "cannot read " + shown + ": " + why);
    return std::nullopt;
  };
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return refuse(std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return refuse("it is a folder, not a file");
  if (!S_ISREG(info.st_mode)) return refuse("it is not a regular file");
  if (static_cast<std::size_t>(info.st_size) > kMaxInputBytes) {
    return refuse("it holds " + std::to_string(info.st_size >> 20) + " MB; the limit is " +
                  std::to_string(kMaxInputBytes >> 20) + " MB");
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
    if (text.size() > kMaxInputBytes) {
      ::close(fd);
      return refuse("it grew past " + std::to_string(kMaxInputBytes >> 20) +
                    " MB while being read");
    }
  }
  ::close(fd);
  return text;
}

}  // namespace takt::scenario::detail
