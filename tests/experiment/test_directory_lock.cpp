// A directory is claimed by one holder at a time, and free again once the holder is gone.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "scratch_directory.hpp"
#include "takt/experiment/directory_lock.hpp"
#include "takt/experiment/input_error.hpp"

namespace fs = std::filesystem;
using takt::experiment::DirectoryLock;
using takt::test::ScratchDirectory;

TEST_CASE("A claimed directory cannot be claimed again until its holder lets go") {
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path() / "sweep-out";
  {
    const DirectoryLock first(dir);
    CHECK(fs::is_directory(dir));  // created for the claim
    // flock conflicts between open files, so a second claim in one process is refused too.
    try {
      const DirectoryLock second(dir);
      FAIL("a second claim succeeded");
    } catch (const std::runtime_error& e) {
      const std::string message = e.what();
      CHECK(message.find("\"" + dir.string() + "\" is in use by another takt process (pid " +
                         std::to_string(getpid()) + ")") != std::string::npos);
      CHECK(message.find("takt merge") != std::string::npos);
    }
  }
  CHECK_NOTHROW(DirectoryLock{dir});
}

TEST_CASE("A directory that cannot be created is an error, not a claim") {
  const ScratchDirectory scratch;
  const fs::path file = scratch.path() / "plain-file";
  { std::ofstream(file) << "x"; }
  // A file where the folder should be is the planner's mistake (exit 2), not the machine's.
  CHECK_THROWS_WITH_AS(DirectoryLock{file / "sub"},
                       ("\"" + (file / "sub").string() +
                        "\" cannot be a folder: a part of its path is a file; give --out a folder")
                           .c_str(),
                       takt::experiment::InputError);
  CHECK_THROWS_WITH_AS(
      DirectoryLock{file},
      ("\"" + file.string() + "\" is a file, not a folder: give --out a folder").c_str(),
      takt::experiment::InputError);
}
