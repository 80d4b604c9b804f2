// Runs the takt program from the source directory and captures what it printed.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace takt::test {

struct CliResult {
  int status;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The test process's own folder under the temporary directory, removed with everything in
/// it when the process ends: each test case runs as its own process, and their folders were
/// left behind, thousands of them after a few runs of the suite.
inline const std::filesystem::path& scratch_root() {
  struct Root {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("takt-test-" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ignored;  // a folder a test made read-only, say: left rather than thrown
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Root root;
  return root.path;
}

/// A fresh scratch path in the test process's own folder (scratch_root()).
inline std::filesystem::path scratch(const std::string& name) {
  const auto p = scratch_root() / name;
  std::filesystem::remove_all(p);
  return p;
}

/// Runs `prefix takt args` (prefix: e.g. "timeout -s KILL 0.3") in the source directory.
inline CliResult run_takt(const std::string& args, const std::string& prefix = "") {
  static int counter = 0;
  const auto out = scratch("stdout" + std::to_string(counter));
  const auto err = scratch("stderr" + std::to_string(counter++));
  std::filesystem::create_directories(out.parent_path());
  const std::string command = "cd '" + std::string(TAKT_SOURCE_DIR) + "' && " + prefix + " '" +
                              TAKT_BINARY + "' " + args + " >'" + out.string() + "' 2>'" +
                              err.string() + "'";
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

}  // namespace takt::test
