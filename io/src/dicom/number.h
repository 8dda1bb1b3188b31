// The one checked text-to-number conversion for header values (DS, IS, CSA strings, TM parts).
// A value is a number only when the whole token parses and is finite; an integer only when it
// also fits the target type. Nothing here has undefined behaviour on 1e308, NaN, inf or garbage.
#pragma once
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace cvx::io::detail {

// The decimal number in s (surrounding spaces and NULs allowed), or nullopt when s is empty,
// holds anything else, or is not finite (nan, inf, 1e400).
inline std::optional<double> parseNumber(std::string_view s) {
  const auto b = s.find_first_not_of(std::string_view(" \0", 2));
  if (b == std::string_view::npos) return std::nullopt;
  s = s.substr(b, s.find_last_not_of(std::string_view(" \0", 2)) - b + 1);
  if (s.size() > 64) return std::nullopt;
  const char c0 = s.front();
  if (!(c0 == '+' || c0 == '-' || c0 == '.' || (c0 >= '0' && c0 <= '9'))) return std::nullopt;  // no "inf", "nan"
  if (s.find_first_of("xXpP") != std::string_view::npos) return std::nullopt;                    // no hex floats
  const std::string tok(s);
  char* end = nullptr;
  const double v = std::strtod(tok.c_str(), &end);
  if (end != tok.c_str() + tok.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// v rounded to the nearest integer of type I, or nullopt when v is not finite or out of I's range.
template <class I>
std::optional<I> toInteger(double v) {
  static_assert(sizeof(I) <= 4, "the range test is exact only for types of up to 32 bits");
  if (!std::isfinite(v)) return std::nullopt;
  const double r = std::round(v);
  if (r < static_cast<double>(std::numeric_limits<I>::min()) || r > static_cast<double>(std::numeric_limits<I>::max()))
    return std::nullopt;
  return static_cast<I>(r);
}

}  // namespace cvx::io::detail
