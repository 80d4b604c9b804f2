// takt-plot runs as a child process (posix_spawn, no shell: folder names need no quoting);
// its exit code 3 means matplotlib or pandas is missing.
#include "report_command.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <vector>

extern char** environ;

namespace takt::cli {

namespace {

// TAKT_PLOT names another takt-plot (an installed copy); else the source tree's.
std::string plot_script() {
  const char* own = std::getenv("TAKT_PLOT");
  return own != nullptr && *own != '\0' ? own : TAKT_PLOT_SCRIPT;
}

const char* kInstall =
    "install them with: sudo apt-get install -y python3 python3-matplotlib python3-pandas "
    "(tools/dev.sh deps does it)";

}  // namespace

bool draw_report(const std::filesystem::path& data, const std::filesystem::path& report,
                 const std::string& shown_as, const std::string& command) {
  const std::string script = plot_script();
  std::error_code ec;
  if (!std::filesystem::exists(script, ec)) {
    std::cerr << "takt: note: no report: takt-plot is not at " << script
              << " (set TAKT_PLOT to its path)\n";
    return false;
  }
  // Each value joined to its option, and the folder after "--": a name that starts with '-'
  // must not read as an option.
  std::vector<std::string> args = {script,
                                   "--out=" + report.string(),
                                   "--as=" + shown_as,
                                   "--command=" + command,
                                   "--quiet",
                                   "--",
                                   data.string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  if (::posix_spawn(&child, script.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    std::cerr << "takt: note: no report: cannot start " << script << " (is python3 at "
              << "/usr/bin/python3?); " << kInstall << "\n";
    return false;
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  // No half-drawn report: the figures a failed draw left are removed.
  std::filesystem::remove_all(report, ec);
  if (WIFEXITED(status) && (WEXITSTATUS(status) == 3 || WEXITSTATUS(status) == 127)) {
    std::cerr << "takt: note: no report: the figures need Python 3 with matplotlib and pandas; "
              << kInstall << "\n";
    return false;
  }
  std::cerr << "takt: note: no report: takt-plot failed (its message is above); the results "
               "are written\n";
  return false;
}

}  // namespace takt::cli
