// DICOM TM / DT values to seconds of the day (the TM parser is core's one, cvx/core/dicom_time.h).
#include <optional>
#include <string>

#include <cvx/core/dicom_time.h>

namespace cvx::io::detail {

std::optional<double> timeToSeconds(const std::string& tm) { return dicomTimeOfDay(tm); }

std::optional<double> dateTimeToSeconds(const std::string& dt) {
  if (dt.size() < 10) return std::nullopt;
  // Strip a timezone suffix.
  std::string s = dt.substr(8);
  const auto tz = s.find_first_of("+-");
  if (tz != std::string::npos) s = s.substr(0, tz);
  return timeToSeconds(s);
}

}  // namespace cvx::io::detail
