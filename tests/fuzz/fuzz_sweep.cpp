// Any bytes as a sweep file, next to a small base scenario it may name as `base: base.yaml`:
// a ScenarioError or a loaded sweep, nothing else.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "takt/scenario/sweep.hpp"

namespace {

// A private folder holding base.yaml (the two-machine scenario) and the sweep under test.
const std::filesystem::path& folder() {
  static const std::filesystem::path dir = [] {
    const auto d =
        std::filesystem::temp_directory_path() / ("takt-fuzz-sweep-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::filesystem::copy_file(
        std::string(TAKT_SOURCE_DIR) + "/tests/data/analytic/two_machines_b3.yaml", d / "base.yaml",
        std::filesystem::copy_options::overwrite_existing);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path file = folder() / "sweep.yaml";
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    takt::scenario::load_sweep_file(file);
  } catch (const takt::scenario::ScenarioError&) {
  }
  return 0;
}
