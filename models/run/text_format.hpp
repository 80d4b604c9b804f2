// Number and column formats of the text outputs: fixed, so equal results print equal bytes.
#pragma once

#include <cstdio>
#include <string>

#include "takt/sim/utf8.hpp"

namespace takt::run::detail {

/// 142310.4 -> "142,310"
inline std::string thousands(double v) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.0f", v);
  std::string s = digits, out;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return negative ? "-" + out : out;
}

inline std::string fixed(double v, int decimals) {
  char text[40];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

/// `s` padded to `width` columns: on the left (right-aligned), or with `left` on the right. A
/// column is a terminal's: 两江 takes four, Liangjiang ten.
inline std::string pad(std::string s, std::size_t width, bool left = false) {
  const std::size_t columns = sim::display_width(s);
  if (columns >= width) return s;
  const std::string fill(width - columns, ' ');
  return left ? s + fill : fill + s;
}

}  // namespace takt::run::detail
