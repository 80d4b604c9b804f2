// An error in what the planner gave takt (a folder holding another sweep, shards that leave a
// point out), as against trouble of the machine (a disk that cannot be written): the command
// line tells them apart by exit code, 2 against 1.
#pragma once

#include <stdexcept>

namespace takt::experiment {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace takt::experiment
