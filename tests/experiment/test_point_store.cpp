// The sweep store resumes only its own sweep, clears crash debris, splits into shards that cover
// every point once, and merges shards back only when nothing is missing or contradictory.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "scratch_directory.hpp"
#include "takt/experiment/input_error.hpp"
#include "takt/experiment/point_store.hpp"

namespace fs = std::filesystem;
using takt::experiment::merge_stores;
using takt::experiment::PointStore;
using takt::experiment::shard_points;
using Points = std::vector<std::size_t>;
using takt::test::ScratchDirectory;

namespace {

void write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

std::string content_of(std::size_t point) { return "point," + std::to_string(point) + "\n"; }

// A store of `points` points holding those in `saved`, as one shard would leave it.
fs::path shard_store(const fs::path& dir, std::size_t points, const Points& saved) {
  PointStore store(dir, "sweep-1", points);
  store.open(false);
  for (const std::size_t point : saved) store.save(point, content_of(point));
  return dir;
}

template <typename Action>
std::string runtime_error_of(Action action) {
  try {
    action();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

// The message of an InputError (exit 2 on the command line): what the planner pointed takt at
// is wrong. Any other exception propagates and fails the test.
template <typename Action>
std::string input_error_of(Action action) {
  try {
    action();
  } catch (const takt::experiment::InputError& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

}  // namespace

TEST_CASE("A fresh store has every point missing and saved points become done") {
  const ScratchDirectory scratch;
  PointStore store(scratch.path() / "out", "abc123", 4);
  store.open(false);
  CHECK(fs::exists(scratch.path() / "out" / "sweep.json"));
  CHECK(store.missing() == Points{0, 1, 2, 3});
  store.save(2, "x,y\n1,2\n");
  CHECK(store.is_done(2));
  CHECK_FALSE(store.is_done(1));
  CHECK(store.missing() == Points{0, 1, 3});
  CHECK(store.load(2) == "x,y\n1,2\n");
  CHECK(store.point_path(2) == scratch.path() / "out" / "points" / "000002.point");
  CHECK_THROWS_AS(store.save(4, ""), std::out_of_range);
}

TEST_CASE("Resuming finds the finished points and a fresh start forgets them") {
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path() / "out";
  shard_store(dir, 5, {0, 3});
  PointStore resumed(dir, "sweep-1", 5);
  resumed.open(true);
  CHECK(resumed.missing() == Points{1, 2, 4});
  CHECK(resumed.load(3) == content_of(3));

  PointStore fresh(dir, "sweep-1", 5);
  fresh.open(false);
  CHECK(fresh.missing() == Points{0, 1, 2, 3, 4});
  CHECK_FALSE(fs::exists(dir / "points" / "000003.point"));
  CHECK(runtime_error_of([&] { fresh.load(3); }) ==
        "point 3 has no results in \"" + dir.string() + "\"");
}

TEST_CASE("Resuming a different sweep says what to do") {
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path() / "out";
  shard_store(dir, 5, {0});
  PointStore other_id(dir, "sweep-2", 5);
  CHECK(input_error_of([&] { other_id.open(true); }) ==
        "\"" + dir.string() +
            "\" holds a different sweep (id sweep-1, 5 points; expected id sweep-2, 5 points), "
            "run without --resume or choose another --out");
  PointStore other_size(dir, "sweep-1", 6);
  CHECK(input_error_of([&] { other_size.open(true); }) ==
        "\"" + dir.string() +
            "\" holds a different sweep (id sweep-1, 5 points; expected id sweep-1, 6 points), "
            "run without --resume or choose another --out");
}

TEST_CASE("Resuming where a killed sweep left no sweep.json starts afresh") {
  const ScratchDirectory scratch;
  // Absent, empty, and holding what an interrupted fresh start left: another sweep's point
  // file and a temporary file, but no sweep.json yet.
  const fs::path absent = scratch.path() / "absent", empty = scratch.path() / "empty";
  const fs::path partial = scratch.path() / "partial";
  fs::create_directories(empty);
  write(partial / "points" / "000001.point", "stale\n");
  write(partial / "points" / ".000002.point.tmp.77.0", "half");
  write(partial / ".sweep.json.tmp.77.1", "half");
  for (const fs::path& dir : {absent, empty, partial}) {
    INFO(dir.string());
    PointStore store(dir, "sweep-1", 3);
    store.open(true);
    CHECK(store.missing() == Points{0, 1, 2});
    CHECK(fs::exists(dir / "sweep.json"));
    std::size_t entries = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      entries += e.is_regular_file() ? 1u : 0u;
    CHECK(entries == 1);  // sweep.json alone
  }
}

TEST_CASE("Any sweep id survives the trip through sweep.json") {
  const ScratchDirectory scratch;
  const std::string id = "run \"A\"\\b\nline\ttab \x01 caf\xc3\xa9";
  PointStore first(scratch.path() / "out", id, 3);
  first.open(false);
  PointStore again(scratch.path() / "out", id, 3);
  CHECK_NOTHROW(again.open(true));
}

TEST_CASE("A damaged sweep.json is reported, not trusted") {
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path() / "out";
  write(dir / "sweep.json", "{\"id\": \"sweep-1\", \"points\": }");
  PointStore store(dir, "sweep-1", 3);
  CHECK(input_error_of([&] { store.open(true); }) ==
        "cannot read \"" + (dir / "sweep.json").string() + "\": not a sweep description");
  write(dir / "sweep.json", "{\n  \"points\" : 3, \"format\": 1,\n\"id\":\"sweep-1\"}\n");
  CHECK_NOTHROW(store.open(true));
}

TEST_CASE("Attaching to an open store removes nothing another process may be writing") {
  // The ranks of an MPI sweep attach to the store rank 0 opened; one rank may already be
  // writing a point while another attaches, and its temporary file must survive.
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path() / "out";
  shard_store(dir, 3, {1});
  write(dir / "points" / ".000002.point.tmp.4242.0", "half a po");
  PointStore other(dir, "sweep-1", 3);
  other.attach();
  CHECK(other.missing() == Points{0, 2});
  CHECK(fs::exists(dir / "points" / ".000002.point.tmp.4242.0"));
  PointStore wrong(dir, "sweep-2", 3);
  CHECK(input_error_of([&] { wrong.attach(); }).find("holds a different sweep") !=
        std::string::npos);
}

TEST_CASE("Opening removes temporary files left by a crash and leaves other files alone") {
  const ScratchDirectory scratch;
  const fs::path dir = scratch.path() / "out";
  shard_store(dir, 3, {1});
  write(dir / "points" / ".000002.point.tmp.4242.0", "half a po");
  write(dir / ".sweep.json.tmp.4242.1", "{");
  write(dir / "notes.txt", "keep me");
  write(dir / "points" / "readme.md", "keep me too");
  PointStore store(dir, "sweep-1", 3);
  store.open(true);
  CHECK(store.missing() == Points{0, 2});
  CHECK_FALSE(fs::exists(dir / "points" / ".000002.point.tmp.4242.0"));
  CHECK_FALSE(fs::exists(dir / ".sweep.json.tmp.4242.1"));
  CHECK(fs::exists(dir / "notes.txt"));
  CHECK(fs::exists(dir / "points" / "readme.md"));
}

TEST_CASE("Shards partition the points") {
  CHECK(shard_points(10, 0, 3) == Points{0, 3, 6, 9});
  CHECK(shard_points(10, 2, 3) == Points{2, 5, 8});
  CHECK(shard_points(2, 2, 3).empty());
  std::multiset<std::size_t> all;
  for (int shard = 0; shard < 7; ++shard) {
    for (const std::size_t point : shard_points(100, shard, 7)) all.insert(point);
  }
  CHECK(all.size() == 100);
  CHECK(std::set<std::size_t>(all.begin(), all.end()).size() == 100);
  CHECK_THROWS_AS(shard_points(10, 3, 3), std::invalid_argument);
  CHECK_THROWS_AS(shard_points(10, -1, 3), std::invalid_argument);
  CHECK_THROWS_AS(shard_points(10, 0, 0), std::invalid_argument);
}

TEST_CASE("Merging complete shards gives one store with every point") {
  const ScratchDirectory scratch;
  const fs::path a = shard_store(scratch.path() / "a", 7, shard_points(7, 0, 2));
  const fs::path b = shard_store(scratch.path() / "b", 7, shard_points(7, 1, 2));
  const fs::path out = scratch.path() / "merged";
  merge_stores({a, b}, out);
  PointStore merged(out, "sweep-1", 7);
  merged.open(true);
  CHECK(merged.missing().empty());
  for (std::size_t point = 0; point < 7; ++point) CHECK(merged.load(point) == content_of(point));
}

TEST_CASE("Merging into one of the shards keeps its points and adds the others") {
  const ScratchDirectory scratch;
  const fs::path a = shard_store(scratch.path() / "a", 4, {0, 1, 2});
  const fs::path b = shard_store(scratch.path() / "b", 4, {2, 3});
  merge_stores({a, b}, a);
  PointStore merged(a, "sweep-1", 4);
  merged.open(true);
  CHECK(merged.missing().empty());
  CHECK(merged.load(3) == content_of(3));
}

TEST_CASE("Merging incomplete shards lists the missing points and writes nothing") {
  const ScratchDirectory scratch;
  const fs::path a = shard_store(scratch.path() / "a", 14, {0, 1, 2, 4, 5, 6});
  const fs::path b = shard_store(scratch.path() / "b", 14, {8, 9, 10, 11, 13});
  const fs::path out = scratch.path() / "merged";
  CHECK(input_error_of([&] {
          merge_stores({a, b}, out);
        }) == "points 3, 7 and 12 are missing; run their shards first");
  CHECK_FALSE(fs::exists(out));
  const fs::path c = shard_store(scratch.path() / "c", 14, {3, 7});
  CHECK(input_error_of([&] {
          merge_stores({a, b, c}, out);
        }) == "point 12 is missing; run its shard first");
  const fs::path empty = shard_store(scratch.path() / "empty", 14, {});
  CHECK(input_error_of([&] { merge_stores({empty}, out); }) ==
        "points 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 4 more are missing; run their shards first");
}

TEST_CASE("Merging refuses different sweeps and contradicting points") {
  const ScratchDirectory scratch;
  const fs::path a = shard_store(scratch.path() / "a", 2, {0, 1});
  PointStore other(scratch.path() / "b", "sweep-9", 2);
  other.open(false);
  const fs::path out = scratch.path() / "merged";
  CHECK(input_error_of([&] {
          merge_stores({a, scratch.path() / "b"}, out);
        }) == "\"" + (scratch.path() / "b").string() +
                  "\" holds a different sweep (id sweep-9, 2 points) than \"" + a.string() +
                  "\" (id sweep-1, 2 points)");

  PointStore contradicting(scratch.path() / "c", "sweep-1", 2);
  contradicting.open(false);
  contradicting.save(1, "something else\n");
  CHECK(input_error_of([&] {
          merge_stores({a, scratch.path() / "c"}, out);
        }) == "point 1 differs between \"" + a.string() + "\" and \"" +
                  (scratch.path() / "c").string() + "\"");
  CHECK(input_error_of([&] { merge_stores({a}, scratch.path() / "b"); }) ==
        "\"" + (scratch.path() / "b").string() +
            "\" holds a different sweep (id sweep-9, 2 points; merging id sweep-1, 2 points), "
            "choose another output directory");
  CHECK(input_error_of([&] { merge_stores({scratch.path() / "none"}, out); }) ==
        "\"" + (scratch.path() / "none").string() + "\" is not a sweep store (no sweep.json)");
}

TEST_CASE("Saves from several threads all land") {
  const ScratchDirectory scratch;
  PointStore store(scratch.path() / "out", "sweep-1", 200);
  store.open(false);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (std::size_t point = t; point < 200; point += 4) store.save(point, content_of(point));
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(store.missing().empty());
  PointStore reopened(scratch.path() / "out", "sweep-1", 200);
  reopened.open(true);
  CHECK(reopened.missing().empty());
  for (std::size_t point = 0; point < 200; point += 37)
    CHECK(reopened.load(point) == content_of(point));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry :
       fs::directory_iterator(scratch.path() / "out" / "points")) {
    ++files;
  }
  CHECK(files == 200);
}
