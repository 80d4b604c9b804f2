// The environment is read once per hook: the variable is set for the whole life of a test's
// takt process.
#include "takt/sim/test_hook.hpp"

#include <cstdlib>

namespace takt::sim {

TestHook::TestHook(const char* variable) {
  const char* text = std::getenv(variable);
  if (text != nullptr) fire_at_ = std::strtol(text, nullptr, 10);
}

}  // namespace takt::sim
