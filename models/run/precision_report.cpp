#include "precision_report.hpp"

#include <cmath>
#include <sstream>

#include "takt/scenario/precision_rule.hpp"

namespace takt::run::detail {

std::string precision_text(const PrecisionReport& p) {
  std::ostringstream out;
  out << "precision: " << p.replications << " replications (" << p.rule.min << ", then steps of "
      << p.rule.step << ", at most " << p.rule.max
      << ") until the 95 % interval of every plant's annual output is within "
      << scenario::share_text(p.rule.half_width)
      << " of its mean: " << (p.met ? "met" : "NOT met (the maximum was reached)") << "; reached:";
  for (const auto& [plant, share] : p.reached)
    out << " " << plant << " " << scenario::share_text(share);
  return out.str();
}

void precision_json(JsonWriter& j, const PrecisionReport& p) {
  j.begin_object("precision")
      .value("half_width", p.rule.half_width)
      .integer("min", p.rule.min)
      .integer("max", p.rule.max)
      .integer("step", p.rule.step)
      .integer("replications", p.replications)
      .raw("met", p.met ? "true" : "false")
      .begin_object("reached");
  for (const auto& [plant, share] : p.reached) {
    j.raw(plant, std::isfinite(share) ? json_number(share) : "null");  // null: mean 0, varying
  }
  j.end_object().end_object();
}

}  // namespace takt::run::detail
