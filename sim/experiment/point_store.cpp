// The sweep store on disk. Each point file is written atomically, so its presence alone proves
// the point finished; temporary files are the only debris a crash can leave, and open() clears
// them.
#include "takt/experiment/point_store.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "takt/experiment/atomic_file.hpp"
#include "takt/experiment/design.hpp"
#include "takt/experiment/input_error.hpp"
#include "takt/experiment/read_file.hpp"

namespace takt::experiment {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSweepFile = "sweep.json";
constexpr const char* kPointsDir = "points";
constexpr std::size_t kMaxListedPoints = 10;

std::string quoted(const fs::path& path) { return "\"" + path.string() + "\""; }

[[noreturn]] void fail(const std::string& message) { throw std::runtime_error(message); }

// What the planner pointed takt at does not hold what the command needs: exit 2, not 1.
[[noreturn]] void refuse(const std::string& message) { throw InputError(message); }

[[noreturn]] void fail(const char* action, const fs::path& path, const std::error_code& ec) {
  fail(std::string("cannot ") + action + " " + quoted(path) + ": " + ec.message());
}

struct SweepIdentity {
  std::string id;
  std::size_t points = 0;

  bool operator==(const SweepIdentity& other) const {
    return id == other.id && points == other.points;
  }
  std::string describe() const { return "id " + id + ", " + std::to_string(points) + " points"; }
};

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string identity_json(const SweepIdentity& identity) {
  return "{\n  \"id\": " + json_string(identity.id) +
         ",\n  \"points\": " + std::to_string(identity.points) + "\n}\n";
}

// Reads the small JSON object identity_json() writes: string and whole-number members, any
// whitespace, unknown members skipped (room for later fields). No JSON library is needed here.
class IdentityReader {
 public:
  explicit IdentityReader(std::string text) : text_(std::move(text)) {}

  std::optional<SweepIdentity> read() {
    SweepIdentity identity;
    bool has_id = false;
    bool has_points = false;
    if (!consume('{')) return std::nullopt;
    do {
      std::string key;
      if (!read_string(key) || !consume(':')) return std::nullopt;
      skip_space();
      const bool is_string = pos_ < text_.size() && text_[pos_] == '"';
      std::string text;
      if (is_string ? !read_string(text) : !read_number(text)) return std::nullopt;
      if (key == "id" && is_string) {
        identity.id = text;
        has_id = true;
      } else if (key == "points" && !is_string) {
        identity.points = std::stoull(text);
        // No design has more (experiment::kMaxDesignPoints): a larger count is damage.
        if (identity.points > kMaxDesignPoints) return std::nullopt;
        has_points = true;
      }
    } while (consume(','));
    if (!consume('}') || !has_id || !has_points) return std::nullopt;
    skip_space();
    if (pos_ != text_.size()) return std::nullopt;
    return identity;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool consume(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool read_number(std::string& out) {
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      out += text_[pos_++];
    }
    return !out.empty() && out.size() <= 19;  // fits std::size_t
  }
  // Only the escapes json_string() writes, plus the other one-letter ones, are understood.
  bool read_string(std::string& out) {
    if (!consume('"')) return false;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) return false;
        c = text_[pos_++];
        if (c == 'n') c = '\n';
        if (c == 't') c = '\t';
        if (c == 'r') c = '\r';
        if (c == 'u') {
          if (pos_ + 4 > text_.size() || text_.compare(pos_, 2, "00") != 0 ||
              !std::isxdigit(static_cast<unsigned char>(text_[pos_ + 2])) ||
              !std::isxdigit(static_cast<unsigned char>(text_[pos_ + 3]))) {
            return false;
          }
          c = static_cast<char>(std::stoi(text_.substr(pos_ + 2, 2), nullptr, 16));
          pos_ += 4;
        }
      }
      out += c;
    }
    return consume('"');
  }

  std::string text_;
  std::size_t pos_ = 0;
};

// The identity in DIR/sweep.json, or nothing if the file does not exist.
std::optional<SweepIdentity> read_identity(const fs::path& dir) {
  const fs::path path = dir / kSweepFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  std::optional<SweepIdentity> identity = IdentityReader(read_file_or_throw(path)).read();
  if (!identity) refuse("cannot read " + quoted(path) + ": not a sweep description");
  return identity;
}

std::string point_file_name(std::size_t point) {
  char name[32];
  std::snprintf(name, sizeof name, "%06zu.point", point);
  return name;
}

// The point a file name stands for, if it is a point file's exact name.
std::optional<std::size_t> parse_point_file_name(const std::string& name) {
  const std::string extension = ".point";
  if (name.size() < 6 + extension.size() ||
      name.compare(name.size() - extension.size(), extension.size(), extension) != 0)
    return std::nullopt;
  const std::size_t digits = name.size() - extension.size();
  std::size_t point = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    point = point * 10 + static_cast<std::size_t>(name[i] - '0');
  }
  if (point_file_name(point) != name) return std::nullopt;
  return point;
}

std::vector<fs::path> entries_of(const fs::path& dir) {
  std::vector<fs::path> entries;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return entries;
  if (ec) fail("list", dir, ec);
  for (const fs::directory_entry& entry : it) entries.push_back(entry.path());
  return entries;
}

void remove_file(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) fail("remove", path, ec);
}

// What writers killed in the middle of a write left: in the store and beside it (the sweep's
// manifest and tables are written into the same directory).
void remove_debris(const fs::path& dir) {
  remove_temporaries(dir);
  remove_temporaries(dir / kPointsDir);
}

// The points below `points` that have a file in DIR/points, in directory order.
std::vector<std::size_t> saved_points(const fs::path& dir, std::size_t points) {
  std::vector<std::size_t> saved;
  for (const fs::path& entry : entries_of(dir / kPointsDir)) {
    const std::optional<std::size_t> point = parse_point_file_name(entry.filename().string());
    if (point && *point < points) saved.push_back(*point);
  }
  return saved;
}

std::string list_missing(const std::vector<std::size_t>& missing) {
  if (missing.size() == 1)
    return "point " + std::to_string(missing[0]) + " is missing; run its shard first";
  const std::size_t listed = std::min(missing.size(), kMaxListedPoints);
  std::string text = "points ";
  for (std::size_t i = 0; i < listed; ++i) {
    if (i > 0) text += i + 1 == listed && listed == missing.size() ? " and " : ", ";
    text += std::to_string(missing[i]);
  }
  if (listed < missing.size()) text += " and " + std::to_string(missing.size() - listed) + " more";
  return text + " are missing; run their shards first";
}

bool is_same_directory(const fs::path& a, const fs::path& b) {
  std::error_code ec_a;
  std::error_code ec_b;
  const fs::path canonical_a = fs::weakly_canonical(a, ec_a);
  const fs::path canonical_b = fs::weakly_canonical(b, ec_b);
  if (ec_a || ec_b) return a.lexically_normal() == b.lexically_normal();
  return canonical_a == canonical_b;
}

// The sweep all of `dirs` hold; throws if one holds none or another sweep.
SweepIdentity common_identity(const std::vector<fs::path>& dirs) {
  std::optional<SweepIdentity> common;
  for (const fs::path& dir : dirs) {
    const std::optional<SweepIdentity> identity = read_identity(dir);
    if (!identity) refuse(quoted(dir) + " is not a sweep store (no sweep.json)");
    if (common && !(*identity == *common)) {
      refuse(quoted(dir) + " holds a different sweep (" + identity->describe() + ") than " +
             quoted(dirs.front()) + " (" + common->describe() + ")");
    }
    common = identity;
  }
  return *common;
}

// For each point, the index of the first dir that holds it. Reads only, so a failed merge
// writes nothing: throws if a point is missing everywhere or two dirs hold different contents.
std::vector<std::size_t> find_sources(const std::vector<fs::path>& dirs, std::size_t points) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> source(points, kNone);
  for (std::size_t d = 0; d < dirs.size(); ++d) {
    for (const std::size_t point : saved_points(dirs[d], points)) {
      const std::string name = point_file_name(point);
      if (source[point] == kNone) {
        source[point] = d;
      } else if (read_file_or_throw(dirs[source[point]] / kPointsDir / name) !=
                 read_file_or_throw(dirs[d] / kPointsDir / name)) {
        refuse("point " + std::to_string(point) + " differs between " +
               quoted(dirs[source[point]]) + " and " + quoted(dirs[d]));
      }
    }
  }
  std::vector<std::size_t> missing;
  for (std::size_t point = 0; point < points; ++point) {
    if (source[point] == kNone) missing.push_back(point);
  }
  if (!missing.empty()) refuse(list_missing(missing));
  return source;
}

}  // namespace

PointStore::PointStore(fs::path dir, std::string sweep_id, std::size_t points)
    : dir_(std::move(dir)), sweep_id_(std::move(sweep_id)), points_(points) {}

fs::path PointStore::point_path(std::size_t point) const {
  return dir_ / kPointsDir / point_file_name(point);
}

void PointStore::open(bool resume) {
  // A sweep killed before it wrote sweep.json has nothing to resume: it starts afresh, which
  // also clears point files that an earlier sweep's interrupted fresh start left behind.
  if (resume && read_identity(dir_)) {
    check_identity();
    remove_debris(dir_);
    read_finished();
    return;
  }
  // sweep.json goes first and comes back last: a crash in between leaves nothing to resume
  // rather than an identity that vouches for another sweep's point files.
  remove_file(dir_ / kSweepFile);
  remove_debris(dir_);
  for (const fs::path& entry : entries_of(dir_ / kPointsDir)) {
    if (parse_point_file_name(entry.filename().string())) remove_file(entry);
  }
  std::error_code ec;
  fs::create_directories(dir_ / kPointsDir, ec);
  if (ec) fail("create directory", dir_ / kPointsDir, ec);
  write_file_atomically(dir_ / kSweepFile, identity_json(SweepIdentity{sweep_id_, points_}));
  const std::lock_guard<std::mutex> lock(mutex_);
  is_done_.assign(points_, 0);
}

void PointStore::attach() {
  check_identity();
  read_finished();
}

void PointStore::check_identity() const {
  const SweepIdentity identity{sweep_id_, points_};
  const std::optional<SweepIdentity> found = read_identity(dir_);
  if (!found) refuse(quoted(dir_) + " holds no sweep (no sweep.json)");
  if (!(*found == identity)) {
    refuse(quoted(dir_) + " holds a different sweep (" + found->describe() + "; expected " +
           identity.describe() + "), run without --resume or choose another --out");
  }
}

void PointStore::read_finished() {
  std::vector<char> is_done(points_, 0);
  for (const std::size_t point : saved_points(dir_, points_)) is_done[point] = 1;
  const std::lock_guard<std::mutex> lock(mutex_);
  is_done_ = std::move(is_done);
}

bool PointStore::is_done(std::size_t point) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return point < is_done_.size() && is_done_[point] != 0;
}

void PointStore::save(std::size_t point, const std::string& content) {
  if (point >= points_) {
    throw std::out_of_range("point " + std::to_string(point) + " is outside the sweep's " +
                            std::to_string(points_) + " points");
  }
  // Files of different points never collide and write_file_atomically picks unique temporary
  // names, so only the flags need the lock.
  write_file_atomically(point_path(point), content);
  const std::lock_guard<std::mutex> lock(mutex_);
  if (is_done_.size() != points_) is_done_.assign(points_, 0);
  is_done_[point] = 1;
}

std::vector<std::size_t> PointStore::missing() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::size_t> result;
  for (std::size_t point = 0; point < points_; ++point) {
    if (point >= is_done_.size() || is_done_[point] == 0) result.push_back(point);
  }
  return result;
}

std::string PointStore::load(std::size_t point) const {
  const fs::path path = point_path(point);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    fail("point " + std::to_string(point) + " has no results in " + quoted(dir_));
  }
  return read_file_or_throw(path);
}

std::vector<std::size_t> shard_points(std::size_t points, int shard_index, int shard_count) {
  if (shard_count < 1) {
    throw std::invalid_argument("shard count must be at least 1, got " +
                                std::to_string(shard_count));
  }
  if (shard_index < 0 || shard_index >= shard_count) {
    throw std::invalid_argument("shard " + std::to_string(shard_index) + " does not exist; " +
                                "shards run from 0 to " + std::to_string(shard_count - 1));
  }
  std::vector<std::size_t> result;
  for (auto point = static_cast<std::size_t>(shard_index); point < points;
       point += static_cast<std::size_t>(shard_count)) {
    result.push_back(point);
  }
  return result;
}

void merge_stores(const std::vector<fs::path>& dirs, const fs::path& out) {
  if (dirs.empty()) refuse("nothing to merge: no sweep directories given");
  const SweepIdentity identity = common_identity(dirs);
  const std::optional<SweepIdentity> existing = read_identity(out);
  if (existing && !(*existing == identity)) {
    refuse(quoted(out) + " holds a different sweep (" + existing->describe() + "; merging " +
           identity.describe() + "), choose another output directory");
  }
  const std::vector<std::size_t> source = find_sources(dirs, identity.points);

  // When `out` is an input, its points were compared with the others and stay as they are.
  bool is_out_an_input = false;
  for (const fs::path& dir : dirs) is_out_an_input = is_out_an_input || is_same_directory(dir, out);
  PointStore store(out, identity.id, identity.points);
  store.open(existing.has_value());
  for (std::size_t point = 0; point < source.size(); ++point) {
    if (is_out_an_input && store.is_done(point)) continue;
    store.save(point,
               read_file_or_throw(dirs[source[point]] / kPointsDir / point_file_name(point)));
  }
}

bool PointStore::is_point_file(const std::string& name) {
  return parse_point_file_name(name).has_value();
}

std::string PointStore::file_name(std::size_t point) { return point_file_name(point); }

}  // namespace takt::experiment
