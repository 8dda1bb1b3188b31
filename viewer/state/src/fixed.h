// SPDX-License-Identifier: MIT
// A number in fixed notation with `digits` decimals ("%.*f"; with sign, "+" before a positive one), for
// the figures PERCIST's lines write (percist.cpp, percist_response.cpp). Internal to viewer/state.
#pragma once
#include <cstdio>
#include <string>

namespace cvx::view::detail {

inline std::string fixed(double v, int digits, bool sign = false) {
  char b[48];
  std::snprintf(b, sizeof b, sign ? "%+.*f" : "%.*f", digits, v);
  return b;
}

}  // namespace cvx::view::detail
