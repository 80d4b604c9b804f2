#include "takt/scenario/precision_rule.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace takt::scenario {

std::optional<double> parse_share(std::string_view text) {
  std::string t(text);
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  if (t.empty() || t.size() > 30) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  const double share = percent ? v / 100 : v;
  if (!(share > 0 && share < 1)) return std::nullopt;
  return share;
}

std::string share_text(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g %%", 100 * share);
  return text;
}

}  // namespace takt::scenario
