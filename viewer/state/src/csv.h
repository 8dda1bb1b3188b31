// SPDX-License-Identifier: MIT
// CSV fields as the exports write them (RFC 4180): numbers with up to 10 significant digits (empty
// when not finite), text quoted when it holds a comma, a quote or a line break.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace cvx::view::detail {

inline std::string csvNumber(double x) {
  if (!std::isfinite(x)) return {};
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", x);
  return b;
}

inline std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// One line: the fields joined by commas, ended by CR LF.
inline std::string csvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + fields[i];  // empty fields keep their commas
  return line + "\r\n";
}

}  // namespace cvx::view::detail
