// DICOM TM / DT values to seconds of the day.
#include <optional>
#include <string>

#include "dicom/number.h"

namespace cvx::io::detail {

std::optional<double> timeToSeconds(const std::string& tm) {
  std::string t;
  for (char c : tm)
    if (c != ':') t += c;
  if (t.size() < 2) return std::nullopt;
  for (size_t i = 0; i < t.size() && i < 6; ++i)
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const auto hh = parseNumber(t.substr(0, 2));
  const auto mm = t.size() >= 4 ? parseNumber(t.substr(2, 2)) : 0.0;
  const auto ss = t.size() >= 6 ? parseNumber(t.substr(4)) : 0.0;
  if (!hh || !mm || !ss || *ss >= 61) return std::nullopt;
  return *hh * 3600 + *mm * 60 + *ss;
}

std::optional<double> dateTimeToSeconds(const std::string& dt) {
  if (dt.size() < 10) return std::nullopt;
  // Strip a timezone suffix.
  std::string s = dt.substr(8);
  const auto tz = s.find_first_of("+-");
  if (tz != std::string::npos) s = s.substr(0, tz);
  return timeToSeconds(s);
}

}  // namespace cvx::io::detail
