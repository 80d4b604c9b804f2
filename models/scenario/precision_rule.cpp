#include "takt/scenario/precision_rule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "readers.hpp"
#include "takt/scenario/limits.hpp"

namespace takt::scenario {

std::optional<double> parse_share(std::string_view text) {
  std::string t(text);
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  if (t.empty() || t.size() > 30) return std::nullopt;
  // Plain decimals only: strtod would also read hex ("0x10") and "inf".
  if (t.find_first_not_of("0123456789.eE+-") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  const double share = percent ? v / 100 : v;
  if (!(share > 0 && share < 1) || !std::isnormal(share)) return std::nullopt;
  return share;
}

std::string share_warning(std::string_view text) {
  if (!text.empty() && text.back() == '%') return "";
  const std::optional<double> share = parse_share(text);
  if (!share || *share < 0.05) return "";
  char percent[32];
  std::snprintf(percent, sizeof percent, "%.15g%%", 100 * *share);  // the same share exactly
  const std::string written(text);
  return written + " is " + share_text(*share) + " of the mean: write " + written + "% for " +
         written + " percent, or " + percent + " to keep it without this warning";
}

std::string edit_key(std::string_view expression) {
  std::string key;
  for (const char c : expression.substr(0, expression.find('='))) {
    if (c != ' ' && c != '\t') key += c;
  }
  return key;
}

bool sets_run_count(std::string_view key_text) {
  const std::string key = edit_key(key_text);
  if (key == "replications" || key == "precision") return true;
  return key.rfind("precision.", 0) == 0 || key.rfind("precision[", 0) == 0;
}

bool moves_window(std::string_view key_text) {
  const std::string key = edit_key(key_text);
  return key == "start" || key == "horizon" || key == "end" || key == "warmup";
}

std::string share_text(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g %%", 100 * share);
  return text;
}

namespace detail {

// `precision: 0.5%`, or `{half_width: 0.5%, min: 5, max: 100, step: 5}`.
std::optional<PrecisionRule> read_precision(const Field& f) {
  PrecisionRule rule;
  const Field share = f.is_map() ? f.require("half_width") : f;
  if (f.is_map()) f.check_keys({"half_width", "min", "max", "step"});
  const auto text = share.as_string();
  const auto half = text ? parse_share(*text) : std::nullopt;
  if (text && !half)
    share.error("expected a share above 0 and below 1, like 0.5% or 0.005, got " + share.text());
  rule.half_width = half.value_or(0);
  // The counts are read even when the share is wrong, so that every mistake is told at once.
  const auto count = [&](const char* key, int& into, std::int64_t low) {
    const Field c = f.child(key);
    if (!c.is_defined()) return;
    const auto n = c.as_integer();
    if (n && (*n < low || *n > limits::kReplications)) {
      c.error("must be from " + std::to_string(low) + " to " +
              std::to_string(limits::kReplications) + ", got " + c.text());
    } else if (n) {
      into = static_cast<int>(*n);
    }
  };
  if (f.is_map()) {
    count("min", rule.min, 2);
    count("max", rule.max, 2);
    count("step", rule.step, 1);
    // As on the command line, a first batch not written is at most the maximum.
    if (!f.child("min").is_defined()) rule.min = std::min(rule.min, rule.max);
    if (rule.min > rule.max)
      f.child("min").error("must not be above max (" + std::to_string(rule.max) + ")");
  }
  if (!half) return std::nullopt;
  return rule;
}

std::string precision_warning(const Field& f) {
  const Field share = f.is_map() ? f.child("half_width") : f;
  const auto text = share.is_scalar() ? share.as_string() : std::nullopt;
  if (!text) return "";
  const std::string message = share_warning(*text);
  if (message.empty()) return "";
  return Diagnostic{share.location(), share.path(), message}.to_warning();
}

}  // namespace detail

}  // namespace takt::scenario
