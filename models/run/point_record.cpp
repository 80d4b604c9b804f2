// A small line format rather than a library: every field has a keyword, so a damaged or
// foreign file is told apart from a good one, and a later field can be added behind a version.
#include "point_record.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace takt::run::detail {
namespace {

constexpr const char* kMagic = "takt-point 3";

std::string exact(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// "LENGTH TEXT": any bytes, spaces and line breaks included.
std::string counted(const std::string& s) { return std::to_string(s.size()) + " " + s; }

class Reader {
 public:
  explicit Reader(const std::string& text) : in_(text) {}

  void keyword(const char* expected) {
    std::string word;
    if (!(in_ >> word) || word != expected) damaged(std::string("expected '") + expected + "'");
  }
  template <class T>
  T number() {
    T value{};
    if (!(in_ >> value)) damaged("expected a number");
    return value;
  }
  std::size_t count(std::size_t limit) {
    const auto n = number<std::size_t>();
    if (n > limit) damaged("a count out of range");
    return n;
  }
  std::string text() {
    const std::size_t n = count(1u << 20);
    if (in_.get() != ' ') damaged("expected a counted text");
    std::string s(n, '\0');
    if (!in_.read(s.data(), static_cast<std::streamsize>(n))) damaged("text cut short");
    return s;
  }
  [[noreturn]] void damaged(const std::string& what) {
    throw std::runtime_error("a saved sweep point is damaged (" + what +
                             "); remove it and run "
                             "the sweep again with --resume");
  }
  std::istringstream& stream() { return in_; }

 private:
  std::istringstream in_;
};

template <class T>
void write_list(std::ostringstream& out, const char* keyword, const std::vector<T>& values) {
  out << "\n" << keyword << " " << values.size();
  for (const T v : values) out << " " << v;
}

template <class T>
void read_list(Reader& in, const char* keyword, std::vector<T>& values) {
  in.keyword(keyword);
  values.resize(in.count(1u << 20));
  for (auto& v : values) v = in.number<T>();
}

void write_run(std::ostringstream& out, const RunRecord& r) {
  out << "run " << r.output << " " << exact(r.annual_rate) << " " << exact(r.capacity_ratio) << " "
      << r.months_to_80 << " " << r.months_to_90 << " " << r.rework_visits << " "
      << counted(r.bottleneck) << "\nmonthly " << r.monthly.size();
  for (const std::uint64_t v : r.monthly) out << " " << v;
  out << "\nnameplate " << r.nameplate.size();
  for (const double v : r.nameplate) out << " " << exact(v);
  write_list(out, "limits", r.limited_by);
  write_list(out, "orders", r.orders);
  write_list(out, "backlog", r.backlog);
  write_list(out, "lost", r.lost);
  out << "\nkey " << counted(r.run_key) << "\n";
}

RunRecord read_run(Reader& in) {
  RunRecord r;
  in.keyword("run");
  r.output = in.number<std::uint64_t>();
  r.annual_rate = in.number<double>();
  r.capacity_ratio = in.number<double>();
  r.months_to_80 = in.number<int>();
  r.months_to_90 = in.number<int>();
  r.rework_visits = in.number<std::uint64_t>();
  r.bottleneck = in.text();
  in.keyword("monthly");
  r.monthly.resize(in.count(1u << 20));
  for (auto& v : r.monthly) v = in.number<std::uint64_t>();
  in.keyword("nameplate");
  r.nameplate.resize(in.count(1u << 20));
  for (auto& v : r.nameplate) v = in.number<double>();
  read_list(in, "limits", r.limited_by);
  read_list(in, "orders", r.orders);
  read_list(in, "backlog", r.backlog);
  read_list(in, "lost", r.lost);
  in.keyword("key");
  r.run_key = in.text();
  return r;
}

}  // namespace

std::string to_text(const PointRecord& p) {
  std::ostringstream out;
  out << kMagic << "\nsweep " << counted(p.sweep_id) << "\npoint " << p.point << "\nstart "
      << p.start.to_string() << "\nfactors " << p.factors.size() << "\n";
  for (const auto& [path, value] : p.factors)
    out << "factor " << counted(path) << " " << counted(value) << "\n";
  out << "plants " << p.plants.size() << "\n";
  for (const PlantRecord& plant : p.plants) {
    out << "plant " << counted(plant.name) << " " << plant.replications.size() << "\n";
    for (const RunRecord& r : plant.replications) write_run(out, r);
  }
  out << "precision " << static_cast<int>(p.precision) << "\nend\n";
  return out.str();
}

PointRecord point_from_text(const std::string& text) {
  Reader in(text);
  PointRecord p;
  in.keyword("takt-point");
  if (in.number<int>() != 3) in.damaged("an unknown version");
  in.keyword("sweep");
  p.sweep_id = in.text();
  in.keyword("point");
  p.point = in.number<std::size_t>();
  in.keyword("start");
  std::string start;
  in.stream() >> start;
  const auto date = models::CalendarDate::parse(start);
  if (!date) in.damaged("a bad start date");
  p.start = *date;
  in.keyword("factors");
  p.factors.resize(in.count(1u << 16));
  for (auto& [path, value] : p.factors) {
    in.keyword("factor");
    path = in.text();
    value = in.text();
  }
  in.keyword("plants");
  p.plants.resize(in.count(1u << 16));
  for (PlantRecord& plant : p.plants) {
    in.keyword("plant");
    plant.name = in.text();
    plant.replications.resize(in.count(1u << 20));
    for (RunRecord& r : plant.replications) r = read_run(in);
  }
  in.keyword("precision");
  const int precision = in.number<int>();
  if (precision < 0 || precision > 2) in.damaged("a bad precision state");
  p.precision = static_cast<PointRecord::Precision>(precision);
  in.keyword("end");
  // A file holds one point: anything after its end (two writes run together, an edit) is no
  // part of a file takt wrote.
  std::string rest;
  if (in.stream() >> rest) in.damaged("text after the end");
  return p;
}

}  // namespace takt::run::detail
