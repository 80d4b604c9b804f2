// How a precision rule ended, in the words of the text reports and as the JSON member
// `precision`: shared by `takt run` and `takt compare`.
#pragma once

#include <string>

#include "json_writer.hpp"
#include "takt/run/scenario_runner.hpp"

namespace takt::run::detail {

/// "precision: 15 replications (5, then steps of 5, at most 100) until the 95 % interval of
/// every plant's annual output is within 0.5 % of its mean: met; reached: A 0.12 %, B 0.4 %".
std::string precision_text(const PrecisionReport& p);

/// The member "precision": the rule, the count, whether it was met and what each plant reached.
void precision_json(JsonWriter& j, const PrecisionReport& p);

}  // namespace takt::run::detail
