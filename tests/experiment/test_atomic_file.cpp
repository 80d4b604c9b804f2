// Result files are replaced whole or not at all, and failures name the path and the reason.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "scratch_directory.hpp"
#include "takt/experiment/atomic_file.hpp"

namespace fs = std::filesystem;
using takt::experiment::write_file_atomically;
using takt::test::ScratchDirectory;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> names_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

std::string thrown_message(const fs::path& path, std::string_view content) {
  try {
    write_file_atomically(path, content);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

}  // namespace

TEST_CASE("Writing creates the file and its missing parent directories") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "runs" / "2024-03" / "kpi.csv";
  write_file_atomically(target, "station,oee\nframing,0.87\n");
  CHECK(read(target) == "station,oee\nframing,0.87\n");
  CHECK(names_in(target.parent_path()) == std::vector<std::string>{"kpi.csv"});
}

TEST_CASE("Writing replaces existing content and leaves no temporary files") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "kpi.csv";
  write_file_atomically(target, std::string(100000, 'x'));
  write_file_atomically(target, "short\n");
  CHECK(read(target) == "short\n");
  write_file_atomically(target, "");
  CHECK(read(target).empty());
  CHECK(names_in(scratch.path()) == std::vector<std::string>{"kpi.csv"});
}

TEST_CASE("Large content is written completely") {
  const ScratchDirectory scratch;
  std::string content;
  for (int i = 0; i < 200000; ++i) content += std::to_string(i) + ",";
  write_file_atomically(scratch.path() / "big.csv", content);
  CHECK(read(scratch.path() / "big.csv") == content);
}

TEST_CASE("A replaced file keeps its permission bits") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "report.txt";
  write_file_atomically(target, "old");
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  write_file_atomically(target, "new");
  CHECK(fs::status(target).permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
}

TEST_CASE("A failure names the path and the reason and leaves no temporary file") {
  const ScratchDirectory scratch;
  const fs::path blocker = scratch.path() / "blocker";
  write_file_atomically(blocker, "a file, not a directory");
  CHECK(thrown_message(blocker / "kpi.csv", "x") ==
        "cannot create directory \"" + blocker.string() + "\": Not a directory");

  const fs::path directory = scratch.path() / "results";
  fs::create_directories(directory / "inside");
  CHECK(thrown_message(directory, "x") ==
        "cannot replace \"" + directory.string() + "\": Is a directory");
  CHECK(read(blocker) == "a file, not a directory");
  std::vector<std::string> names = names_in(scratch.path());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"blocker", "results"});
}

TEST_CASE("A bare file name is written in the current directory") {
  const ScratchDirectory scratch;
  const fs::path previous = fs::current_path();
  fs::current_path(scratch.path());
  write_file_atomically("summary.txt", "ok\n");
  fs::current_path(previous);
  CHECK(read(scratch.path() / "summary.txt") == "ok\n");
  CHECK(names_in(scratch.path()) == std::vector<std::string>{"summary.txt"});
}

TEST_CASE("Temporary files are told from others by their exact name and swept from one folder") {
  using takt::experiment::is_temporary_name;
  CHECK(is_temporary_name(".runs.csv.tmp.4242.0"));
  CHECK(is_temporary_name(".sweep.json.tmp.1.17"));
  CHECK_FALSE(is_temporary_name("runs.csv.tmp.4242.0"));  // no leading dot
  CHECK_FALSE(is_temporary_name(".runs.csv.tmp.42x.0"));
  CHECK_FALSE(is_temporary_name(".runs.csv.tmp.4242."));
  CHECK_FALSE(is_temporary_name(".notes.tmp"));
  CHECK_FALSE(is_temporary_name(".takt.lock"));
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path();
  for (const char* name : {".a.csv.tmp.1.0", ".b.json.tmp.2.3", "keep.csv", ".keep"})
    std::ofstream(dir / name) << "x";
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / ".c.csv.tmp.1.0") << "x";
  takt::experiment::remove_temporaries(dir);
  std::set<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    left.insert(fs::relative(e.path(), dir).string());
  CHECK(left == std::set<std::string>{"keep.csv", ".keep", "sub", "sub/.c.csv.tmp.1.0"});
  takt::experiment::remove_temporaries(dir / "absent");  // nothing to do, no error
}
