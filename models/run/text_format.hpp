// Number and column formats of the text outputs: fixed, so equal results print equal bytes.
#pragma once

#include <cstdio>
#include <string>

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

/// `s` padded to `width`: on the left (right-aligned), or with `left` on the right.
inline std::string pad(std::string s, std::size_t width, bool left = false) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return left ? s + fill : fill + s;
}

}  // namespace takt::run::detail
