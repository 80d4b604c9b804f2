// A billion-laughs style YAML value for the tests that check it costs its size, not its
// expansion: a flow mapping of `levels` levels, each a list of ten aliases to the one before.
#pragma once

#include <string>

namespace takt::test {

/// "{a0: &a0 [x, ...], a1: &a1 [*a0, ...], ...}": 10^levels leaves if expanded.
inline std::string alias_bomb(int levels) {
  std::string bomb = "{a0: &a0 [x, x, x, x, x, x, x, x, x, x]";
  for (int i = 1; i < levels; ++i) {
    bomb += ", a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    bomb += "]";
  }
  return bomb + "}";
}

}  // namespace takt::test
