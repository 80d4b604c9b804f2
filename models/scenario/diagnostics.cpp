// Formatting, sorting and "did you mean" for the errors found in scenario files.
#include "takt/scenario/diagnostics.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <utility>

#include "takt/sim/error.hpp"
#include "takt/sim/utf8.hpp"

namespace takt::scenario {
namespace {

std::string join_lines(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += d.to_string();
  }
  return text;
}

auto key_of(const Diagnostic& d) {
  return std::tie(d.where.file, d.where.line, d.where.column, d.path, d.message);
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance: Levenshtein plus the swap of two neighbours, where no
// substring is edited twice. Three rows suffice because a swap looks back two characters.
std::size_t alignment_distance(std::string_view a, std::string_view b) {
  const std::size_t n = b.size();
  std::vector<std::size_t> before(n + 1), previous(n + 1), current(n + 1);
  for (std::size_t j = 0; j <= n; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[n];
}

std::string format_diagnostic(const Diagnostic& d, const char* severity) {
  sim::ErrorPlace place;
  place.file = d.where.file;
  place.line = d.where.line;
  place.column = d.where.column;
  place.key_path = d.path;
  return sim::format_file_error(place, d.message, severity);
}

}  // namespace

std::string Diagnostic::to_string() const { return format_diagnostic(*this, "error"); }

std::string Diagnostic::to_warning() const { return format_diagnostic(*this, "warning"); }

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

bool Diagnostics::Before::operator()(const Diagnostic* a, const Diagnostic* b) const {
  return key_of(*a) < key_of(*b);
}

void Diagnostics::error(Location where, std::string path, std::string message) {
  if (diagnostics_.size() >= kMaxDiagnostics) {
    ++not_kept_;
    return;
  }
  // A message quotes what the file wrote, which may be a value of 500 kB: a few hundred bytes
  // of it say what is wrong. The message's end, which says what to do, is kept.
  constexpr std::size_t kHead = 400, kTail = 200;
  if (message.size() > kHead + kTail + 100) {
    std::size_t tail = message.size() - kTail;
    // Forward to the first byte of a character: continuation bytes are 10xxxxxx.
    while (tail < message.size() && (static_cast<unsigned char>(message[tail]) & 0xC0) == 0x80)
      ++tail;
    const std::string head = sim::shortened(message, kHead);  // ends in "..."
    message = head + " (" + std::to_string(tail - (head.size() - 3)) + " bytes cut) ..." +
              message.substr(tail);
  }
  diagnostics_.push_back({std::move(where), std::move(path), std::move(message)});
  if (!seen_.insert(&diagnostics_.back()).second) diagnostics_.pop_back();
}

void Diagnostics::throw_if_errors() const {
  if (diagnostics_.empty()) return;
  std::vector<Diagnostic> sorted(diagnostics_.begin(), diagnostics_.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column) <
           std::tie(b.where.file, b.where.line, b.where.column);
  });
  if (not_kept_ > 0) {
    Diagnostic more;
    more.where.file = sorted.front().where.file;
    more.message = "and " + std::to_string(not_kept_) + " more errors (the first " +
                   std::to_string(kMaxDiagnostics) + " are shown)";
    sorted.push_back(std::move(more));
  }
  throw ScenarioError(std::move(sorted));
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Each comparison costs the product of the two lengths: a guess for a long word among many
  // names could take minutes, and nobody mistypes a 5,000-character name by one letter.
  if (word.size() > kMaxSuggestedLength || candidates.size() > kMaxSuggestionCandidates) return "";
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    // The distance is at least the difference in length.
    const std::size_t gap = candidate.size() > word.size() ? candidate.size() - word.size()
                                                           : word.size() - candidate.size();
    if (gap >= best_distance) continue;
    const std::size_t distance = alignment_distance(word, candidate);
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best == nullptr ? std::string() : *best;
}

}  // namespace takt::scenario
