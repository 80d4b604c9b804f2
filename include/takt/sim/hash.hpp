// A small, portable text hash for seeds and file fingerprints: the same value on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace takt::sim {

/// 64-bit FNV-1a of the bytes of `text`.
std::uint64_t fnv1a(std::string_view text);

/// fnv1a(text) as 16 lower-case hex digits (scenario and sweep fingerprints).
std::string fnv1a_hex(std::string_view text);

}  // namespace takt::sim
