// `takt run --out` leaves its folder whole: all of one run's files or all of another's, never a
// mix, whatever stops it; it finds a folder it cannot use before it simulates; and Ctrl-C says
// so and writes nothing. Stops are driven by progress (test hooks), never by timers.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "cli_fixture.hpp"
#include "takt/experiment/directory_lock.hpp"

namespace fs = std::filesystem;
using takt::experiment::DirectoryLock;
using takt::test::run_takt;
using takt::test::scratch;
using takt::test::slurp;

namespace {

const char* kFiles[] = {"summary.json", "results.csv", "monthly.csv", "stations.csv",
                        "manifest.json"};
const std::string kRun = "run tests/data/analytic/two_machines_b3.yaml --replications 3";

std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name != DirectoryLock::kFileName) files[name] = slurp(e.path());  // it holds a pid
  }
  return files;
}

// The command line differs from run to run, so manifest.json is compared without it.
std::map<std::string, std::string> without_command_line(std::map<std::string, std::string> files) {
  auto& manifest = files["manifest.json"];
  manifest = manifest.substr(0, manifest.find("\"command_line\""));
  return files;
}

// A folder of the parent's that is not the output folder nor its lock: a staging folder or a
// temporary file left behind.
bool has_debris(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir.parent_path())) {
    if (e.path().filename().string().find(".takt-new.") != std::string::npos) return true;
  }
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name[0] == '.' && name != DirectoryLock::kFileName) return true;
  }
  return false;
}

// A small tmpfs for fault tests; empty when this machine does not let us mount one.
struct Tmpfs {
  fs::path dir;
  explicit Tmpfs(const std::string& name, const std::string& options) {
    const fs::path d = scratch(name);
    fs::create_directories(d);
    const std::string command =
        "mount -t tmpfs -o " + options + " tmpfs '" + d.string() + "' 2>/dev/null";
    if (geteuid() == 0 && std::system(command.c_str()) == 0) dir = d;
  }
  ~Tmpfs() {
    if (dir.empty()) return;
    const std::string command = "umount '" + dir.string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
  }
};

}  // namespace

TEST_CASE("A run killed at any step of writing leaves its folder with the whole files of one run") {
  const fs::path dir = scratch("whole") / "out";
  REQUIRE(run_takt(kRun + " --seed 1 --out '" + dir.string() + "'").status == 0);
  const auto old_files = without_command_line(contents(dir));
  const fs::path fresh = scratch("whole-new") / "out";
  REQUIRE(run_takt(kRun + " --seed 2 --out '" + fresh.string() + "'").status == 0);
  const auto new_files = without_command_line(contents(fresh));
  REQUIRE(old_files != new_files);
  int kill_at = 0;
  for (;; ++kill_at) {
    INFO("killed at writing step " << kill_at);
    REQUIRE(kill_at < 100);
    const auto r = run_takt(kRun + " --jobs 2 --seed 2 --out '" + dir.string() + "'",
                            "TAKT_TEST_KILL_AT=" + std::to_string(kill_at));
    const auto now = without_command_line(contents(dir));
    if (r.status == 0) {
      CHECK(now == new_files);
      CHECK_FALSE(has_debris(dir));
      break;
    }
    CHECK(r.status == 128 + 9);
    // Every file of the old run or every file of the new one (a lock file aside).
    CHECK((now == old_files || now == new_files));
    // The next run clears what the killed one left and writes the old run's files again.
    REQUIRE(run_takt(kRun + " --seed 1 --out '" + dir.string() + "'").status == 0);
    CHECK(without_command_line(contents(dir)) == old_files);
    CHECK_FALSE(has_debris(dir));
  }
  // Six files staged (two steps each), then the swap.
  CHECK(kill_at == 13);
}

TEST_CASE("A folder that cannot take the results is refused before the simulation") {
  // deadlock.yaml fails during its run (exit 1, "deadlock: ..."): a folder error instead
  // shows that the folder was checked first.
  const auto file = run_takt("run tests/data/deadlock.yaml --out /etc/passwd");
  CHECK(file.status == 2);
  CHECK(file.err == "takt: error: \"/etc/passwd\" is a file, not a folder: give --out a folder\n");
  const auto below_file = run_takt("run tests/data/deadlock.yaml --out /etc/passwd/results");
  CHECK(below_file.status == 2);  // the planner's mistake as much as a file is
  CHECK(below_file.err ==
        "takt: error: \"/etc/passwd/results\" cannot be a folder: a part of its path is a file; "
        "give --out a folder\n");
  // A folder with files of the planner's own is never replaced.
  const fs::path mine = scratch("mine");
  fs::create_directories(mine);
  std::ofstream(mine / "notes.txt") << "keep me\n";
  const auto foreign = run_takt("run tests/data/deadlock.yaml --out '" + mine.string() + "'");
  CHECK(foreign.status == 2);
  CHECK(foreign.err.find("holds files that this command does not write (notes.txt)") !=
        std::string::npos);
  CHECK(slurp(mine / "notes.txt") == "keep me\n");
}

TEST_CASE("A file name that is not UTF-8 still gives JSON that parses") {
  // Input files are checked as UTF-8, their names are not: in JSON a byte that starts no
  // character becomes U+FFFD, never a raw byte no JSON reader accepts.
  const fs::path dir = scratch("not-utf8-name");
  fs::create_directories(dir);
  const fs::path file = dir / "line\xFE.yaml";
  fs::copy_file("tests/data/analytic/two_machines_b3.yaml", file);
  const fs::path out = dir / "out";
  REQUIRE(run_takt("run '" + file.string() + "' --set horizon=3d -r 2 --out '" + out.string() + "'")
              .status == 0);
  const std::string manifest = slurp(out / "manifest.json");
  CHECK(manifest.find("line\\ufffd.yaml") != std::string::npos);
  CHECK(manifest.find('\xFE') == std::string::npos);
}

TEST_CASE("Of two writers of one folder the second is refused and the files of the first stay") {
  const fs::path dir = scratch("two-writers");
  REQUIRE(run_takt(kRun + " --out '" + dir.string() + "'").status == 0);
  const auto before = contents(dir);
  const DirectoryLock other(dir);  // as a run still writing holds it
  const auto r = run_takt(kRun + " --seed 7 --out '" + dir.string() + "'");
  CHECK(r.status == 1);
  CHECK(r.err.find("is in use by another takt process (pid " + std::to_string(getpid()) + ")") !=
        std::string::npos);
  CHECK(contents(dir) == before);
}

TEST_CASE("A full disk and a read-only folder give clear errors and leave the old files whole") {
  const Tmpfs small("tiny-disk", "size=64k");
  if (small.dir.empty()) {
    MESSAGE("skipped: this machine does not let the test mount a tmpfs (it needs root)");
    return;
  }
  // The SERES run's results.csv is far above 64 kB; a small run's files fit.
  const fs::path dir = small.dir / "out";
  REQUIRE(run_takt(kRun + " --out '" + dir.string() + "'").status == 0);
  const auto before = contents(dir);
  const auto full = run_takt("run --replications 1 --set horizon=7d --out '" + dir.string() + "'");
  CHECK(full.status == 1);
  CHECK(full.err.find("No space left on device") != std::string::npos);
  CHECK(contents(dir) == before);
  CHECK_FALSE(has_debris(dir));

  const Tmpfs read_only("read-only-disk", "ro,size=64k");
  REQUIRE_FALSE(read_only.dir.empty());
  const auto ro = run_takt(kRun + " --out '" + (read_only.dir / "out").string() + "'");
  CHECK(ro.status == 1);
  CHECK(ro.err.find("Read-only file system") != std::string::npos);
}

TEST_CASE(
    "Ctrl-C stops a run that says so and writes nothing while a sweep keeps its finished points") {
  const fs::path dir = scratch("interrupted");
  const auto r =
      run_takt(kRun + " --jobs 1 --out '" + dir.string() + "'", "TAKT_TEST_INTERRUPT_AT=1");
  CHECK(r.status == 130);
  CHECK(r.err == "takt: interrupted; nothing was written\n");
  for (const char* name : kFiles) CHECK_FALSE(fs::exists(dir / name));

  const fs::path sweep = scratch("interrupted-sweep");
  const auto s =
      run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + sweep.string() + "'",
               "TAKT_TEST_INTERRUPT_AT=5");
  CHECK(s.status == 130);
  CHECK(s.err.find("takt: interrupted; the finished points are saved: run again with --resume") !=
        std::string::npos);
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --resume --jobs 1 --out '" + sweep.string() +
                   "'")
              .status == 0);
  const fs::path whole = scratch("uninterrupted-sweep");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + whole.string() + "'")
              .status == 0);
  for (const char* name : {"runs.csv", "points.csv"})
    CHECK(slurp(sweep / name) == slurp(whole / name));
}

TEST_CASE(
    "A sweep that fills its disk stops with a clear error and --resume then completes it "
    "identically") {
  const Tmpfs disk("sweep-disk", "size=24k");
  if (disk.dir.empty()) {
    MESSAGE("skipped: this machine does not let the test mount a tmpfs (it needs root)");
    return;
  }
  const fs::path dir = disk.dir / "sweep";
  const auto full =
      run_takt("sweep tests/data/sweeps/small.yaml --jobs 2 --out '" + dir.string() + "'");
  CHECK(full.status == 1);
  CHECK(full.err.find("No space left on device") != std::string::npos);
  const std::string grow = "mount -o remount,size=4m '" + disk.dir.string() + "'";
  REQUIRE(std::system(grow.c_str()) == 0);
  REQUIRE(
      run_takt("sweep tests/data/sweeps/small.yaml --resume --jobs 1 --out '" + dir.string() + "'")
          .status == 0);
  const fs::path whole = scratch("sweep-disk-reference");
  REQUIRE(run_takt("sweep tests/data/sweeps/small.yaml --jobs 1 --out '" + whole.string() + "'")
              .status == 0);
  for (const char* name : {"runs.csv", "points.csv", "manifest.json"})
    CHECK(slurp(dir / name) == slurp(whole / name));
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    CHECK((name[0] != '.' || name == DirectoryLock::kFileName));
  }
}

TEST_CASE("More jobs than hardware threads are clamped with a note and change no result") {
  const fs::path many = scratch("many-jobs"), two = scratch("two-jobs");
  const auto r = run_takt(kRun + " --jobs 100000 --out '" + many.string() + "'");
  REQUIRE(r.status == 0);
  CHECK(r.err.find("takt: note: --jobs 100000 is more than the ") != std::string::npos);
  REQUIRE(run_takt(kRun + " --jobs 2 --out '" + two.string() + "'").status == 0);
  CHECK(slurp(many / "results.csv") == slurp(two / "results.csv"));
}

TEST_CASE("A planner's file in the report folder keeps the folder refused, with no lock left") {
  const fs::path dir = scratch("own-report");
  fs::create_directories(dir / "report");
  std::ofstream(dir / "report" / "notes.txt") << "mine";
  const auto r = run_takt(kRun + " --out '" + dir.string() + "'");
  CHECK(r.status == 2);
  CHECK(r.err.find("holds files that this command does not write (report/notes.txt)") !=
        std::string::npos);
  CHECK(slurp(dir / "report" / "notes.txt") == "mine");
  CHECK_FALSE(fs::exists(dir / DirectoryLock::kFileName));  // refused before the claim
  // A report takt drew is takt's: the next run replaces it.
  const fs::path drawn = scratch("drawn-report");
  REQUIRE(run_takt(kRun + " --report --out '" + drawn.string() + "'").status == 0);
  REQUIRE(fs::exists(drawn / "report" / "report.html"));
  // A file named like the scenario's hash (in <code> on the page, as the folder is) is no
  // figure: only a caption names one.
  const std::string manifest = slurp(drawn / "manifest.json");
  const std::string key = "\"scenario_hash\": \"";
  const std::size_t at = manifest.find(key);
  REQUIRE(at != std::string::npos);
  const std::string hash = manifest.substr(at + key.size(), 16);
  REQUIRE(slurp(drawn / "report" / "report.html").find("<code>" + hash + "</code>") !=
          std::string::npos);
  std::ofstream(drawn / "report" / hash) << "mine";
  const auto named = run_takt(kRun + " --out '" + drawn.string() + "'");
  CHECK(named.status == 2);
  CHECK(named.err.find("(report/" + hash + ")") != std::string::npos);
  fs::remove(drawn / "report" / hash);
  CHECK(run_takt(kRun + " --out '" + drawn.string() + "'").status == 0);
  CHECK_FALSE(fs::exists(drawn / "report"));
}

TEST_CASE("An --out that is a link writes into the folder it names, and the link stays") {
  const fs::path target = scratch("link-target"), link = scratch("link");
  fs::create_directories(target);
  fs::create_directory_symlink(target, link);
  REQUIRE(run_takt(kRun + " --out '" + link.string() + "'").status == 0);
  CHECK(fs::is_symlink(link));
  CHECK(fs::exists(target / "summary.json"));
  const fs::path dangling = scratch("dangling");
  fs::create_directory_symlink(scratch("nowhere"), dangling);
  const auto r = run_takt(kRun + " --out '" + dangling.string() + "'");
  CHECK(r.status == 2);
  CHECK(r.err.find("which does not exist: give --out a folder") != std::string::npos);
}

TEST_CASE("The folder keeps its permissions, and one holding the working folder keeps its name") {
  const fs::path private_dir = scratch("private");
  fs::create_directories(private_dir);
  fs::permissions(private_dir, fs::perms::owner_all);
  REQUIRE(run_takt(kRun + " --out '" + private_dir.string() + "'").status == 0);
  CHECK(fs::status(private_dir).permissions() == fs::perms::owner_all);
  // Run from inside the folder: swapping it would leave the shell in a folder without a name,
  // and the next run could not open its lock file. The files are renamed in one by one.
  const fs::path here = scratch("here");
  fs::create_directories(here);
  const std::string from_here = "cd '" + here.string() + "' &&";
  const std::string run = "run '" + std::string(TAKT_SOURCE_DIR) +
                          "/tests/data/analytic/two_machines_b3.yaml' -r 1 --out .";
  REQUIRE(run_takt(run, from_here).status == 0);
  CHECK(fs::exists(here / "summary.json"));
  CHECK(run_takt(run, from_here).status == 0);
}

// The run stops itself (SIGSTOP, TAKT_TEST_STOP_AT_PUBLISH) just before it publishes; the
// shell waits for that state, not for a time, puts a file into the folder and lets it go on.
TEST_CASE("Files put into the folder while a run works are kept, and the run says so") {
  const fs::path dir = scratch("came-in");
  REQUIRE(run_takt(kRun + " --out '" + dir.string() + "'").status == 0);
  const auto before = contents(dir);
  const fs::path script = scratch("came-in.sh"), err = scratch("came-in.err");
  std::ofstream(script) << "cd '" << TAKT_SOURCE_DIR << "'\n"
                        << "TAKT_TEST_STOP_AT_PUBLISH=0 '" << TAKT_BINARY << "' " << kRun
                        << " --out '" << dir.string() << "' 2>'" << err.string() << "' &\n"
                        << "p=$!\n"
                        << "while kill -0 $p 2>/dev/null && "
                        << "[ \"$(cut -d' ' -f3 /proc/$p/stat)\" != T ]; do sleep 0.01; done\n"
                        << "echo notes > '" << (dir / "notes.txt").string() << "'\n"
                        << "kill -CONT $p\n"
                        << "wait $p\n";
  const int raw = std::system(("sh '" + script.string() + "'").c_str());
  CHECK(WEXITSTATUS(raw) == 1);
  CHECK(slurp(err).find("files came into") != std::string::npos);
  CHECK(slurp(dir / "notes.txt") == "notes\n");
  auto after = contents(dir);
  after.erase("notes.txt");
  CHECK(after == before);  // the earlier run's files, whole
}
