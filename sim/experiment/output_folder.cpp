// Publication by directory exchange. The claim (a flock on DIR/.takt.lock) is taken on both
// the old and the staged folder, so another takt process finds the folder in use before,
// during and after the swap.
#include "takt/experiment/output_folder.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "takt/experiment/atomic_file.hpp"
#include "takt/sim/test_hook.hpp"

namespace takt::experiment {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& action, const fs::path& path, const std::string& reason) {
  throw std::runtime_error("cannot " + action + " \"" + path.string() + "\": " + reason);
}

std::string staging_prefix(const fs::path& dir) {
  return "." + dir.filename().string() + ".takt-new.";
}

// Inside a folder that is a mount point (a tmpfs, a container's volume), where nothing beside
// it is on the same file system.
constexpr const char* kInnerStagingPrefix = ".takt-new.";

// PREFIX then a pid: a writer's staging folder (the planner's own ".takt-new.notes" is none).
bool is_staging(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// A mount point: another file system, or (a bind mount, on the same one) another mount.
bool is_mount_point(const fs::path& dir) {
  const fs::path above = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
#ifdef STATX_MNT_ID
  struct statx self {};
  struct statx parent {};
  if (::statx(AT_FDCWD, dir.c_str(), 0, STATX_MNT_ID, &self) == 0 &&
      ::statx(AT_FDCWD, above.c_str(), 0, STATX_MNT_ID, &parent) == 0 &&
      (self.stx_mask & parent.stx_mask & STATX_MNT_ID) != 0) {
    return self.stx_mnt_id != parent.stx_mnt_id;
  }
#endif
  struct stat self_stat {};
  struct stat parent_stat {};
  if (::stat(dir.c_str(), &self_stat) != 0 || ::stat(above.c_str(), &parent_stat) != 0)
    return false;
  return self_stat.st_dev != parent_stat.st_dev;
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

// The folder a link names, so that the folder swapped is the one the lock claims and the link
// stays a link; the path as given otherwise.
fs::path resolved(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_symlink(dir, ec)) return dir;
  const fs::path target = fs::canonical(dir, ec);
  if (ec) {
    throw InputError("\"" + dir.string() + "\" is a link to \"" +
                     fs::read_symlink(dir, ec).string() +
                     "\", which does not exist: give --out a folder");
  }
  return target;
}

// Whether `dir` is the working folder or holds it: swapping it would leave the shell (and
// this process) in a folder that no longer has a name.
bool holds_working_folder(const fs::path& dir) {
  std::error_code ec;
  for (fs::path p = fs::current_path(ec); !ec && !p.empty(); p = p.parent_path()) {
    if (fs::equivalent(p, dir, ec)) return true;
    if (p == p.root_path()) break;
  }
  return false;
}

// How takt-plot's report.html begins.
constexpr std::string_view kReportStart =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>takt ";

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// A report/ folder is takt's when takt-plot drew it: a report.html of takt-plot's and only the
// figures that page names beside it. Anything else in it is the planner's, which replacing the
// folder whole would delete. Its foreign entries, as "report/NAME".
std::vector<std::string> foreign_in_report(const fs::path& report) {
  std::vector<std::string> foreign;
  std::ifstream in(report / "report.html", std::ios::binary);
  std::ostringstream read;
  read << in.rdbuf();
  const std::string page = read.str();
  const bool takts = starts_with(page, kReportStart);
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(report, ec)) {
    const std::string name = entry.path().filename().string();
    // A figure is named in its caption, "(<code>NAME</code>)</figcaption>": the folder's name
    // and the run id are in <code> too, and a file so named is not a figure.
    const bool figure = entry.is_regular_file(ec) &&
                        page.find("(<code>" + name + "</code>)</figcaption>") != std::string::npos;
    const bool unfinished = name.rfind("report.html.tmp-", 0) == 0;  // takt-plot's, killed
    if (takts && (name == "report.html" || figure || unfinished)) continue;
    foreign.push_back("report/" + name);
  }
  return foreign;
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
    if (is_staging(name, kInnerStagingPrefix) && entry.is_directory(ec)) continue;  // inside
    const bool folder = entry.is_directory(ec);
    if (std::find(owned.begin(), owned.end(), folder ? name + "/" : name) == owned.end()) {
      foreign.push_back(name);
    } else if (folder && name == "report") {
      const std::vector<std::string> inside = foreign_in_report(entry.path());
      foreign.insert(foreign.end(), inside.begin(), inside.end());
    }
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
    : dir_(normalised(resolved(normalised(dir)))), owned_(std::move(owned)) {
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec)) {
    throw ForeignFilesError("\"" + dir_.string() +
                            "\" is a file, not a folder: give --out a folder");
  }
  // A folder the planner made read-only is not replaced behind its back.
  if (fs::is_directory(dir_, ec) && ::access(dir_.c_str(), W_OK) != 0)
    fail("write into", dir_, std::strerror(errno));
  // Checked before the claim too, so that a refused folder is left without a lock file.
  refuse_foreign();
  claim_.emplace(dir_);
  refuse_foreign();  // again: files may have come before the claim
  // A mount point cannot be swapped, nor files renamed into it from beside it: its files are
  // staged inside it and renamed into place one by one. So is the working folder (or one
  // holding it), which a swap would leave without a name.
  inside_ = is_mount_point(dir_);
  exchange_ = !inside_ && !holds_working_folder(dir_);
  remove_stale_staging();
  remove_temporaries(dir_);
  staging_ = inside_ ? dir_ / (kInnerStagingPrefix + std::to_string(::getpid()))
                     : dir_.parent_path() / (staging_prefix(dir_) + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec) fail("write beside", dir_, ec.message() + " (takt stages its files next to the folder)");
  try {
    staging_claim_.emplace(staging_);
  } catch (...) {
    fs::remove_all(staging_, ec);  // no destructor runs for a constructor that throws
    throw;
  }
}

void OutputFolder::refuse_foreign() const {
  const std::vector<std::string> foreign = foreign_entries(dir_, owned_);
  if (foreign.empty()) return;
  throw ForeignFilesError(
      "\"" + dir_.string() + "\" holds files that this command does not write (" +
      first_entries(foreign) +
      "); takt replaces its output folder whole, so give --out a new or empty " +
      "folder, or one that this command wrote before");
}

// The staged folder takes the place of `dir`: it gets its permissions and group (a private or
// a shared folder stays so), as far as this process may set them.
void OutputFolder::keep_access(const fs::path& dir, const fs::path& staging) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return;
  if (::chown(staging.c_str(), static_cast<uid_t>(-1), st.st_gid) != 0) {
    // Not a member of the group: the folder keeps this process's group.
  }
  ::chmod(staging.c_str(), st.st_mode & 07777);
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
  const fs::path parent = inside_                      ? dir_
                          : dir_.parent_path().empty() ? fs::path(".")
                                                       : dir_.parent_path();
  fs::directory_iterator it(parent, ec);
  if (ec) return;
  const std::string prefix = inside_ ? kInnerStagingPrefix : staging_prefix(dir_);
  for (const fs::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (!is_staging(name, prefix) || !entry.is_directory(ec)) continue;
    fs::remove_all(entry.path(), ec);
    if (ec) fail("remove", entry.path(), ec.message());
  }
}

void OutputFolder::write(const std::string& name, std::string_view content) {
  write_file_atomically(staging_ / name, content);
}

void OutputFolder::publish() {
  // A test stops here (TAKT_TEST_STOP_AT_PUBLISH=0) to put files into the folder meanwhile.
  static sim::TestHook stop("TAKT_TEST_STOP_AT_PUBLISH");
  if (stop.reached()) ::raise(SIGSTOP);
  // Files the planner put into the folder while takt worked would go with the old folder.
  const std::vector<std::string> foreign = foreign_entries(dir_, owned_);
  if (!foreign.empty()) {
    throw std::runtime_error("files came into \"" + dir_.string() + "\" while takt worked (" +
                             first_entries(foreign) +
                             "); they are kept, and this command's files were not written: " +
                             "move them and run it again");
  }
  // The staged folder takes the old one's place only in a swap; renamed in one by one, the
  // files enter the folder as it is (and the staging folder must stay writable to leave it).
  if (exchange_) keep_access(dir_, staging_);
  crash_point();
  if (exchange_ &&
      ::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) == 0) {
    return;  // staging_ now holds the old folder, which the destructor removes
  }
  const int error = exchange_ ? errno : EBUSY;
  // EBUSY: the folder is a mount point, or (exchange_ unset) holds the working folder.
  if (error != EINVAL && error != ENOSYS && error != ENOTSUP && error != EBUSY)
    fail("replace", dir_, std::strerror(error));
  // No exchange here (some network file systems): each file replaced atomically on its own.
  for (std::string name : owned_) {
    const bool folder = !name.empty() && name.back() == '/';
    if (folder) name.pop_back();
    const fs::path staged = staging_ / name;
    std::error_code ec;
    if (!fs::exists(staged, ec)) {
      fs::remove_all(dir_ / name, ec);  // an earlier run's (a trace), as the swap would drop it
      continue;
    }
    crash_point();
    if (folder) fs::remove_all(dir_ / name, ec);  // a folder cannot be renamed over a full one
    if (::rename(staged.c_str(), (dir_ / name).c_str()) != 0)
      fail("replace", dir_ / name, std::strerror(errno));
  }
}

}  // namespace takt::experiment
