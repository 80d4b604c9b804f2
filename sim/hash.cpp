// FNV-1a: tiny, fast and byte-order independent, which is all a fingerprint needs here.
#include "takt/sim/hash.hpp"

#include <cstdio>

namespace takt::sim {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string fnv1a_hex(std::string_view text) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return out;
}

}  // namespace takt::sim
