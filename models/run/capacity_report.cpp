// The capacity bound in a planner's words: per year against the stated capacity, the cut that
// sets it, and the stations closest to it.
#include "takt/run/capacity_report.hpp"

#include <algorithm>
#include <sstream>

#include "json_writer.hpp"
#include "takt/run/report_writer.hpp"
#include "text_format.hpp"

namespace takt::run {

using detail::fixed;
using detail::pad;
using detail::thousands;

std::vector<models::PlantBound> capacity_bounds(const scenario::Scenario& s) {
  std::vector<models::PlantBound> out;
  for (const models::PlantSpec& p : s.plants)
    out.push_back(models::capacity_bound(p, s.start, s.warmup, s.horizon));
  return out;
}

namespace {

std::string cut_text(const models::PlantBound& b) {
  std::string text;
  for (const std::string& name : b.cut) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "nothing" : text;
}

}  // namespace

std::string capacity_text(const scenario::Scenario& s, const std::vector<models::PlantBound>& b) {
  std::ostringstream out;
  out << "takt " << program_version() << ": capacity bound of scenario " << s.name << " (" << s.file
      << ")\n"
      << s.start.to_string() << " to " << s.last_day().to_string() << " after a "
      << format_duration(s.warmup)
      << " warm-up; mature plants (ramp-ups left out), no random numbers\n";
  if (!s.edits.empty()) out << "edits: " << edits_text(s) << "\n";
  out << "\n"
      << pad("plant", 14, true) << pad("capacity/yr", 12) << pad("bound/yr", 12)
      << pad("of capacity", 13) << "  set by\n";
  for (const models::PlantBound& p : b) {
    out << pad(p.name, 14, true) << pad(thousands(p.capacity), 12)
        << pad(thousands(p.per_hour * 8760), 12)
        << pad(p.capacity > 0 ? fixed(100 * p.per_hour * 8760 / p.capacity, 1) + "%" : "", 13)
        << "  " << cut_text(p) << "\n";
  }
  for (const models::PlantBound& p : b) {
    std::vector<const models::StationBound*> tight;
    for (const models::StationBound& st : p.stations) tight.push_back(&st);
    std::stable_sort(tight.begin(), tight.end(), [](const auto* x, const auto* y) {
      return x->vehicles_per_hour < y->vehicles_per_hour;
    });
    if (tight.size() > 5) tight.resize(5);
    out << "\n"
        << p.name << ": " << fixed(p.per_hour, 2)
        << " vehicles per calendar hour at most; the tightest stations (vehicles/h = jobs/h x "
           "up x on shift / visits):\n";
    for (const models::StationBound* st : tight) {
      out << "  " << pad(st->shop + "/" + st->name, 28, true)
          << pad(fixed(st->vehicles_per_hour, 2), 8) << " = " << fixed(st->jobs_per_hour, 2)
          << " x " << fixed(st->availability, 3) << " x " << fixed(st->on_shift, 3) << " / "
          << fixed(st->visits, 3) << (st->in_cut ? "  (sets the bound)" : "") << "\n";
    }
  }
  return out.str();
}

std::string capacity_json(const scenario::Scenario& s, const std::vector<models::PlantBound>& b) {
  detail::JsonWriter j;
  j.begin_object()
      .value("program", "takt")
      .value("version", program_version())
      .value("scenario", s.name)
      .value("start", s.start.to_string())
      .value("end", s.last_day().to_string())
      .begin_array("edits");
  for (const std::string& e : s.edits) j.value("", e);
  j.end_array().begin_array("plants");
  for (const models::PlantBound& p : b) {
    j.begin_object()
        .value("name", p.name)
        .value("capacity", p.capacity)
        .value("bound_per_hour", p.per_hour)
        .value("bound_per_year", p.per_hour * 8760)
        .begin_array("cut");
    for (const std::string& name : p.cut) j.value("", name);
    j.end_array().begin_array("stations");
    for (const models::StationBound& st : p.stations) {
      j.begin_object()
          .value("name", st.name)
          .value("shop", st.shop)
          .value("jobs_per_hour", st.jobs_per_hour)
          .value("availability", st.availability)
          .value("on_shift", st.on_shift)
          .value("visits", st.visits)
          .value("vehicles_per_hour", st.vehicles_per_hour)
          .raw("in_cut", st.in_cut ? "true" : "false")
          .end_object();
    }
    j.end_array().end_object();
  }
  j.end_array().end_object();
  return j.str() + "\n";
}

std::string capacity_csv(const std::vector<models::PlantBound>& b) {
  std::ostringstream out;
  out << "plant,capacity,bound_per_hour,bound_per_year,station,shop,jobs_per_hour,availability,"
         "on_shift,visits,vehicles_per_hour,in_cut\n";
  for (const models::PlantBound& p : b) {
    const std::string plant = detail::csv_field(p.name) + "," + detail::json_number(p.capacity) +
                              "," + detail::json_number(p.per_hour) + "," +
                              detail::json_number(p.per_hour * 8760) + ",";
    for (const models::StationBound& st : p.stations) {
      out << plant << detail::csv_field(st.name) << "," << detail::csv_field(st.shop) << ","
          << detail::json_number(st.jobs_per_hour) << "," << detail::json_number(st.availability)
          << "," << detail::json_number(st.on_shift) << "," << detail::json_number(st.visits) << ","
          << detail::json_number(st.vehicles_per_hour) << "," << (st.in_cut ? "true" : "false")
          << "\n";
    }
  }
  return out.str();
}

}  // namespace takt::run
