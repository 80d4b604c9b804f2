// Reads the planner-friendly distribution strings: "exponential(1min)",
// "lognormal(mean=90s, cv=0.15)", "erlang(k=3, mean=1min)", a bare "81s", ...
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "takt/sim/distribution.hpp"
#include "takt/sim/error.hpp"

namespace takt::sim {
namespace {

constexpr const char* kExpected =
    "expected a duration like \"81s\" or a distribution like \"exponential(1min)\", "
    "\"lognormal(mean=90s, cv=0.15)\" or \"triangular(70s, 81s, 95s)\"";

struct Param {
  const char* name;
  bool is_duration;  // otherwise a plain number (shape, cv, k)
};

struct Form {
  const char* name;
  std::vector<Param> params;
  const char* example;
};

const std::vector<Form>& forms() {
  static const std::vector<Form> kForms{
      {"constant", {{"value", true}}, "constant(81s)"},
      {"uniform", {{"min", true}, {"max", true}}, "uniform(70s, 90s)"},
      {"exponential", {{"mean", true}}, "exponential(1min)"},
      {"normal", {{"mean", true}, {"sd", true}}, "normal(mean=60s, sd=5s)"},
      {"lognormal", {{"mean", true}, {"cv", false}}, "lognormal(mean=90s, cv=0.15)"},
      {"triangular", {{"min", true}, {"mode", true}, {"max", true}}, "triangular(70s, 81s, 95s)"},
      {"weibull", {{"shape", false}, {"scale", true}}, "weibull(shape=1.5, scale=8h)"},
      {"gamma", {{"shape", false}, {"mean", true}}, "gamma(shape=2, mean=1h)"},
      {"erlang", {{"k", false}, {"mean", true}}, "erlang(k=3, mean=1min)"},
  };
  return kForms;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == separator) {
      parts.push_back(trim(s.substr(begin, i - begin)));
      begin = i + 1;
    }
  }
  return parts;
}

double parse_number(const std::string& text, const std::string& what) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) {
    throw ParseError(what + ": expected a number, got \"" + text + "\"");
  }
  return v;
}

double parse_value(const std::string& text, const Param& p, const Form& f) {
  const std::string what = std::string(f.name) + ": " + p.name;
  if (!p.is_duration) return parse_number(text, what);
  try {
    return parse_duration(text).to_seconds();
  } catch (const ParseError& e) {
    throw ParseError(what + ": " + e.what());
  }
}

// Fills the form's parameters from positional and name=value arguments.
std::vector<double> bind(const Form& f, const std::vector<std::string>& args) {
  const std::string usage = std::string(" (expected ") + f.example + ")";
  if (args.size() > f.params.size()) {
    throw ParseError(std::string(f.name) + ": too many arguments" + usage);
  }
  std::vector<double> values(f.params.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<bool> given(f.params.size(), false);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::size_t slot = i;
    std::string text = args[i];
    if (const auto eq = text.find('='); eq != std::string::npos) {
      const std::string key = trim(text.substr(0, eq));
      text = trim(text.substr(eq + 1));
      slot = f.params.size();
      for (std::size_t j = 0; j < f.params.size(); ++j) {
        if (key == f.params[j].name) slot = j;
      }
      if (slot == f.params.size()) {
        throw ParseError(std::string(f.name) + ": unknown parameter '" + key + "'" + usage);
      }
    }
    if (given[slot]) {
      throw ParseError(std::string(f.name) + ": " + f.params[slot].name + " given twice" + usage);
    }
    given[slot] = true;
    values[slot] = parse_value(text, f.params[slot], f);
  }
  for (std::size_t j = 0; j < f.params.size(); ++j) {
    if (!given[j]) throw ParseError(std::string(f.name) + ": missing " + f.params[j].name + usage);
  }
  return values;
}

Distribution make(const std::string& name, const std::vector<double>& v) {
  if (name == "constant") return Distribution::constant(v[0]);
  if (name == "uniform") return Distribution::uniform(v[0], v[1]);
  if (name == "exponential") return Distribution::exponential(v[0]);
  if (name == "normal") return Distribution::normal(v[0], v[1]);
  if (name == "lognormal") return Distribution::lognormal(v[0], v[1]);
  if (name == "triangular") return Distribution::triangular(v[0], v[1], v[2]);
  if (name == "weibull") return Distribution::weibull(v[0], v[1]);
  if (name == "gamma") return Distribution::gamma(v[0], v[1]);
  const double k = v[0];
  if (k != std::floor(k) || k < 1 || k > 1e6) {
    throw ParseError("erlang: k must be a whole number of at least 1");
  }
  return Distribution::erlang(static_cast<int>(k), v[1]);
}

Distribution parse_empirical(const std::vector<std::string>& args) {
  std::vector<double> values, weights;
  for (const std::string& arg : args) {
    const auto colon = arg.find(':');
    if (colon == std::string::npos) {
      throw ParseError(
          "empirical: expected value: weight pairs like \"empirical(50s: 0.2, 60s: 0.8)\"");
    }
    try {
      values.push_back(parse_duration(trim(arg.substr(0, colon))).to_seconds());
    } catch (const ParseError& e) {
      throw ParseError(std::string("empirical: ") + e.what());
    }
    weights.push_back(parse_number(trim(arg.substr(colon + 1)), "empirical: weight"));
  }
  return Distribution::empirical(std::move(values), std::move(weights));
}

std::string known_names() {
  std::string names;
  for (const Form& f : forms()) names += std::string(names.empty() ? "" : ", ") + f.name;
  return names + ", empirical";
}

}  // namespace

Distribution Distribution::parse(std::string_view text_view) {
  const std::string text = trim(text_view);
  const auto open = text.find('(');
  if (open == std::string::npos) {
    // Text that starts like a number is a duration gone wrong: its own message says how.
    const bool numeric = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) ||
                                           text[0] == '.' || text[0] == '-');
    if (!numeric && !is_duration(text)) {
      throw ParseError(std::string(kExpected) + ", got \"" + text + "\"");
    }
    const Time t = parse_duration(text);
    if (t < Time::zero()) throw ParseError("a duration must not be negative, got \"" + text + "\"");
    return constant(t.to_seconds());
  }
  if (text.back() != ')') {
    throw ParseError("missing ')' at the end of \"" + text + "\"");
  }
  const std::string name = trim(text.substr(0, open));
  const std::string inside = text.substr(open + 1, text.size() - open - 2);
  const std::vector<std::string> args =
      trim(inside).empty() ? std::vector<std::string>{} : split(inside, ',');
  if (name == "empirical") return parse_empirical(args);
  for (const Form& f : forms()) {
    if (name == f.name) return make(name, bind(f, args));
  }
  throw ParseError("unknown distribution '" + name + "' (known: " + known_names() + ")");
}

}  // namespace takt::sim
