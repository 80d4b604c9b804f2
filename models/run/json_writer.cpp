// JSON output with stable formatting (two-space indent, %.10g numbers).
#include "json_writer.hpp"

#include <cmath>
#include <cstdio>

#include "takt/sim/utf8.hpp"

namespace takt::run::detail {

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char text[40];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t at = 0; at < s.size(); ++at) {
    const char c = s[at];
    // JSON is UTF-8: a byte that starts no character (input is checked where it is read, so
    // only a file name or an option could bring one) becomes U+FFFD, the replacement
    // character, rather than a file no reader can parse.
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t length = sim::utf8_length(s, at);
      if (length == 0) {
        out += "\\ufffd";
        continue;
      }
      out.append(s.substr(at, length));
      at += length - 1;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += esc;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void JsonWriter::key(std::string_view k) {
  if (!first_.back()) out_ += ",";
  first_.back() = false;
  if (depth_ > 0) out_ += "\n" + std::string(static_cast<std::size_t>(depth_) * 2, ' ');
  if (!k.empty()) out_ += json_string(k) + ": ";
}

JsonWriter& JsonWriter::begin_object(std::string_view k) {
  key(k);
  out_ += "{";
  ++depth_;
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  --depth_;
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) out_ += "\n" + std::string(static_cast<std::size_t>(depth_) * 2, ' ');
  out_ += "}";
  return *this;
}

JsonWriter& JsonWriter::begin_array(std::string_view k) {
  key(k);
  out_ += "[";
  ++depth_;
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  --depth_;
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) out_ += "\n" + std::string(static_cast<std::size_t>(depth_) * 2, ' ');
  out_ += "]";
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view k, double v) {
  key(k);
  out_ += json_number(v);
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view k, std::string_view v) {
  key(k);
  out_ += json_string(v);
  return *this;
}

JsonWriter& JsonWriter::integer(std::string_view k, long long v) {
  key(k);
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::estimate(std::string_view k, double mean, double low, double high,
                                 double p10, double p50, double p90, bool has_interval) {
  key(k);
  const std::string interval =
      has_interval ? "[" + json_number(low) + ", " + json_number(high) + "]" : "null";
  out_ += "{\"mean\": " + json_number(mean) + ", \"ci95\": " + interval +
          ", \"p10\": " + json_number(p10) + ", \"p50\": " + json_number(p50) +
          ", \"p90\": " + json_number(p90) + "}";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

std::string json_number_or_null(const std::optional<double>& v) {
  return v ? json_number(*v) : "null";
}

}  // namespace takt::run::detail
