// Replications until a stated precision: the 95 % interval of every plant's annual output
// within a share of its mean. The rule is sequential in fixed steps (Chow and Robbins's
// stopping rule on batches): a first batch of `min` replications, then `step` more at a time
// until the interval is narrow enough or `max` are run. It never peeks after each run, and the
// count reached depends only on the seeds, so any thread count gives the same runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace takt::scenario {

struct PrecisionRule {
  double half_width = 0;  ///< the 95 % half-width as a share of the mean (0.005 for 0.5 %)
  int min = 5;            ///< the first batch
  int max = 100;          ///< never more than this many
  int step = 5;           ///< replications added at each look
};

/// "0.5%" or "0.005" as a share above 0 and below 1; nullopt for anything else.
std::optional<double> parse_share(std::string_view text);

/// A warning for a share written without '%' that is 5 % or more ("0.5" is 50 %, and was
/// most likely meant as 0.5 %); "" for anything else, "10%" included.
std::string share_warning(std::string_view text);

/// The key path of a `KEY.PATH=VALUE` edit as the loader reads it: the text before the first
/// '=', without the spaces the loader would ignore (" seed =5" is seed).
std::string edit_key(std::string_view expression);

/// Whether a key path (as --set takes it, spaces and all) sets how many replications run:
/// `replications` or `precision` and its members. A sweep sets those for all its points, and
/// a fit cannot fit them, so both refuse such keys among their edits.
bool sets_run_count(std::string_view key);

/// Whether a key path moves the measured window: `start`, `horizon`, `end` or `warmup`. A
/// comparison of two windows measures the windows, not a change, so compare and improve
/// refuse such keys among the edits they compare.
bool moves_window(std::string_view key);

/// "0.5 %" as the rule is printed.
std::string share_text(double share);

}  // namespace takt::scenario
