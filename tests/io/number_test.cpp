// The one checked conversion of header text to numbers (number.h): whole token, finite, in range.
#include <gtest/gtest.h>

#include <cstdint>

#include "dicom/number.h"

using cvx::io::detail::parseNumber;
using cvx::io::detail::toInteger;

TEST(Number, DecimalStringsParseWhole) {
  EXPECT_EQ(parseNumber("2.5"), 2.5);
  EXPECT_EQ(parseNumber(" -0.75 "), -0.75);
  EXPECT_EQ(parseNumber(std::string("512\0", 4)), 512.0);  // NUL padding
  EXPECT_EQ(parseNumber("+1e3"), 1000.0);
  EXPECT_EQ(parseNumber("1e308"), 1e308);  // finite: a number (whether it is a sane spacing is the planner's call)
  EXPECT_EQ(parseNumber(".5"), 0.5);
}

TEST(Number, GarbageNonFiniteAndPartialTokensAreNotNumbers) {
  for (const char* bad : {"", "   ", "abc", "12abc", "1.5.2", "NaN", "nan", "-nan", "inf", "-inf", "Infinity", "1e400",
                          "-1e400", "0x10", "0x1p3", "1,5", "--1"})
    EXPECT_FALSE(parseNumber(bad).has_value()) << bad;
}

TEST(Number, IntegersAreRoundedAndRangeChecked) {
  EXPECT_EQ(toInteger<int>(2.4), 2);
  EXPECT_EQ(toInteger<int>(2.5), 3);    // half away from zero
  EXPECT_EQ(toInteger<int>(-2.5), -3);
  EXPECT_EQ(toInteger<int>(2147483647.0), 2147483647);
  EXPECT_FALSE(toInteger<int>(2147483648.0).has_value());
  EXPECT_FALSE(toInteger<int>(1e308).has_value());
  EXPECT_FALSE(toInteger<int>(-1e308).has_value());
  EXPECT_EQ(toInteger<uint16_t>(65535.0), 65535);
  EXPECT_FALSE(toInteger<uint16_t>(65536.0).has_value());
  EXPECT_FALSE(toInteger<uint16_t>(70000.0).has_value());  // never wrapped to 4464
  EXPECT_FALSE(toInteger<uint16_t>(-1.0).has_value());
  EXPECT_FALSE(toInteger<uint32_t>(4294967296.0).has_value());
  EXPECT_EQ(toInteger<uint32_t>(4294967295.0), 4294967295u);
}
