// SPDX-License-Identifier: MIT
#include <cvx/core/dicom_time.h>

#include <cctype>

namespace cvx {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(s[b])) || s[b] == '\0')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == '\0')) --e;
  return s.substr(b, e - b);
}

bool allDigits(const std::string& s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::optional<double> dicomTimeOfDay(const std::string& tmIn) {
  std::string tm = trim(tmIn);
  if (tm.find(':') != std::string::npos) {  // ACR-NEMA HH:MM:SS
    std::string plain;
    for (char c : tm)
      if (c != ':') plain += c;
    tm = plain;
  }
  const size_t dot = tm.find('.');
  const std::string whole = tm.substr(0, dot);
  const std::string frac = dot == std::string::npos ? std::string() : tm.substr(dot + 1);
  if (whole.size() < 2 || whole.size() > 6 || whole.size() % 2 != 0 || !allDigits(whole) || !allDigits(frac))
    return std::nullopt;
  if (!frac.empty() && whole.size() != 6) return std::nullopt;
  const int hh = std::stoi(whole.substr(0, 2));
  const int mm = whole.size() >= 4 ? std::stoi(whole.substr(2, 2)) : 0;
  const int ss = whole.size() >= 6 ? std::stoi(whole.substr(4, 2)) : 0;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  const double f = frac.empty() ? 0.0 : std::stod("0." + frac);
  return hh * 3600.0 + mm * 60.0 + ss + f;
}

std::optional<long> dicomDateDays(const std::string& daIn) {
  std::string da = trim(daIn);
  if (da.size() == 10 && da[4] == '.' && da[7] == '.') da = da.substr(0, 4) + da.substr(5, 2) + da.substr(8, 2);
  if (da.size() != 8 || !allDigits(da)) return std::nullopt;
  long y = std::stol(da.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoul(da.substr(4, 2)));
  const unsigned d = static_cast<unsigned>(std::stoul(da.substr(6, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  // Days from civil (H. Hinnant): proleptic Gregorian, 1970-01-01 = 0.
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

}  // namespace cvx
