// A minimal JSON writer with fixed number formatting; enough for takt's small reports.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace takt::run::detail {

class JsonWriter {
 public:
  JsonWriter& begin_object(std::string_view key = {});
  JsonWriter& end_object();
  JsonWriter& begin_array(std::string_view key = {});
  JsonWriter& end_array();
  JsonWriter& value(std::string_view key, double v);
  JsonWriter& value(std::string_view key, std::string_view v);
  JsonWriter& integer(std::string_view key, long long v);
  /// {"mean": m, "ci95": [lo, hi], "p10": a, "p50": b, "p90": c}; "ci95": null without an
  /// interval (one replication).
  JsonWriter& estimate(std::string_view key, double mean, double low, double high, double p10,
                       double p50, double p90, bool has_interval = true);
  /// A value already in JSON form (null, an array of numbers).
  JsonWriter& raw(std::string_view key, std::string_view json);
  std::string str() const { return out_ + "\n"; }

 private:
  void key(std::string_view k);
  std::string out_;
  std::vector<bool> first_{true};
  int depth_ = 0;
};

/// A number as JSON text: up to 10 significant digits, integers without a point.
std::string json_number(double v);
/// A number, or null when there is none.
std::string json_number_or_null(const std::optional<double>& v);
std::string json_string(std::string_view s);
/// A CSV field, quoted only when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view s);

}  // namespace takt::run::detail
