// DICOM TM / DT values to seconds of the day.
#include <cstdlib>
#include <optional>
#include <string>

namespace cvx::io::detail {

std::optional<double> timeToSeconds(const std::string& tm) {
  std::string t;
  for (char c : tm)
    if (c != ':') t += c;
  if (t.size() < 2) return std::nullopt;
  for (size_t i = 0; i < t.size() && i < 6; ++i)
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const double hh = std::atof(t.substr(0, 2).c_str());
  const double mm = t.size() >= 4 ? std::atof(t.substr(2, 2).c_str()) : 0;
  const double ss = t.size() >= 6 ? std::atof(t.substr(4).c_str()) : 0;
  return hh * 3600 + mm * 60 + ss;
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
