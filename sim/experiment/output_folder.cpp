// Publication by directory exchange. The claim (a flock on DIR/.takt.lock) is taken on both
// the old and the staged folder, so another takt process finds the folder in use before,
// during and after the swap.
#include "takt/experiment/output_folder.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "takt/experiment/atomic_file.hpp"

namespace takt::experiment {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& action, const fs::path& path, const std::string& reason) {
  throw std::runtime_error("cannot " + action + " \"" + path.string() + "\": " + reason);
}

std::string staging_prefix(const fs::path& dir) {
  return "." + dir.filename().string() + ".takt-new.";
}

// "out/" names the folder "out"; "." and ".." are made absolute so that they have a name.
fs::path normalised(const fs::path& dir) {
  fs::path p = dir.lexically_normal();
  if (p.has_filename() && p.filename() != "." && p.filename() != "..") return p;
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) return p.parent_path();
  std::error_code ec;
  const fs::path absolute = fs::absolute(p, ec).lexically_normal();
  return ec ? p : (absolute.has_filename() ? absolute : absolute.parent_path());
}

}  // namespace

std::vector<std::string> OutputFolder::foreign_entries(const fs::path& dir,
                                                       const std::vector<std::string>& owned) {
  std::vector<std::string> foreign;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return foreign;
  for (const fs::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name == DirectoryLock::kFileName || is_temporary_name(name)) continue;
    const bool folder = entry.is_directory(ec);
    if (std::find(owned.begin(), owned.end(), folder ? name + "/" : name) != owned.end()) continue;
    foreign.push_back(name);
  }
  std::sort(foreign.begin(), foreign.end());
  return foreign;
}

std::string OutputFolder::first_entries(const std::vector<std::string>& entries) {
  std::string list;
  for (std::size_t i = 0; i < entries.size() && i < 3; ++i) list += (i ? ", " : "") + entries[i];
  if (entries.size() > 3) list += " and " + std::to_string(entries.size() - 3) + " more";
  return list;
}

OutputFolder::OutputFolder(const fs::path& dir, std::vector<std::string> owned)
    : dir_(normalised(dir)), owned_(std::move(owned)) {
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec)) {
    throw ForeignFilesError("\"" + dir_.string() +
                            "\" is a file, not a folder: give --out a folder");
  }
  claim_.emplace(dir_);
  const std::vector<std::string> foreign = foreign_entries(dir_, owned_);
  if (!foreign.empty()) {
    throw ForeignFilesError(
        "\"" + dir_.string() + "\" holds files that this command does not write (" +
        first_entries(foreign) +
        "); takt replaces its output folder whole, so give --out a new or empty " +
        "folder, or one that this command wrote before");
  }
  remove_stale_staging();
  remove_temporaries(dir_);
  staging_ = dir_.parent_path() / (staging_prefix(dir_) + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec) fail("write beside", dir_, ec.message() + " (takt stages its files next to the folder)");
  staging_claim_.emplace(staging_);
}

OutputFolder::~OutputFolder() {
  if (staging_.empty()) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);  // the new files unpublished, or the old folder after a swap
}

// A staging folder beside ours belongs to a writer of this folder that was killed: we hold
// the claim, so no live writer can own one.
void OutputFolder::remove_stale_staging() const {
  std::error_code ec;
  const fs::path parent = dir_.parent_path().empty() ? fs::path(".") : dir_.parent_path();
  fs::directory_iterator it(parent, ec);
  if (ec) return;
  const std::string prefix = staging_prefix(dir_);
  for (const fs::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || !entry.is_directory(ec)) continue;
    fs::remove_all(entry.path(), ec);
    if (ec) fail("remove", entry.path(), ec.message());
  }
}

void OutputFolder::write(const std::string& name, std::string_view content) {
  write_file_atomically(staging_ / name, content);
}

void OutputFolder::publish() {
  crash_point();
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) == 0) {
    return;  // staging_ now holds the old folder, which the destructor removes
  }
  const int error = errno;
  if (error != EINVAL && error != ENOSYS && error != ENOTSUP)
    fail("replace", dir_, std::strerror(error));
  // No exchange here (some network file systems): each file replaced atomically on its own.
  for (std::string name : owned_) {
    const bool folder = !name.empty() && name.back() == '/';
    if (folder) name.pop_back();
    const fs::path staged = staging_ / name;
    std::error_code ec;
    if (!fs::exists(staged, ec)) {
      if (folder) fs::remove_all(dir_ / name, ec);  // an earlier run's, not this run's
      continue;
    }
    crash_point();
    if (folder) fs::remove_all(dir_ / name, ec);  // a folder cannot be renamed over a full one
    if (::rename(staged.c_str(), (dir_ / name).c_str()) != 0)
      fail("replace", dir_ / name, std::strerror(errno));
  }
}

}  // namespace takt::experiment
