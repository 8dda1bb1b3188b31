// SPDX-License-Identifier: MIT
// decodeFrames on ../shared/data/transfer_syntax_matrix (one MR slice in ten syntaxes) and htj2k.
// Oracles: DCMTK's own decoding of explicit_le.dcm; the folder README (which files are lossless,
// checked there with dcmdjpeg/dcmdrle/dcmdjpls md5s and dcm2niix); pydicom's reference values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "dcmtk_oracle.h"
#include "decode_test_util.h"

namespace cvx::test::dec {
namespace {

const char* kMatrix = "transfer_syntax_matrix";

std::string matrixFile(const std::string& name) { return dataPath(std::string(kMatrix) + "/" + name); }

TEST(DecodeMatrix, ExplicitLeEqualsDcmtk) {
  CVX_REQUIRE_FOLDER(kMatrix);
  FileFormat f;
  auto got = decodeAll(matrixFile("explicit_le.dcm"), &f);
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(f.pf.rows, 384);
  EXPECT_EQ(f.pf.bitsStored, 12);
  const std::vector<int32_t> ref = dcmtkStoredFrame(matrixFile("explicit_le.dcm"));
  ASSERT_EQ(ref.size(), size_t{384} * 384);
  EXPECT_EQ(asInt(*got, f.pf.storedType()), ref);
  EXPECT_GT(*std::max_element(ref.begin(), ref.end()), 100);  // not a blank image
}

class DecodeLossless : public ::testing::TestWithParam<const char*> {};

TEST_P(DecodeLossless, IdenticalToExplicitLe) {
  CVX_REQUIRE_FOLDER(kMatrix);
  FileFormat f;
  auto ref = decodeAll(matrixFile("explicit_le.dcm"));
  auto got = decodeAll(matrixFile(GetParam()), &f);
  ASSERT_TRUE(ref.ok()) << ref.error().str();
  ASSERT_TRUE(got.ok()) << got.error().str();
  ASSERT_EQ(got->size(), ref->size());
  EXPECT_TRUE(*got == *ref) << GetParam() << " differs from explicit_le.dcm";
}

INSTANTIATE_TEST_SUITE_P(Matrix, DecodeLossless,
                         ::testing::Values("implicit_le.dcm", "big_endian.dcm", "deflate.dcm", "rle.dcm",
                                           "jpeg_lossless_sv1.dcm", "jpegls_lossless.dcm", "j2k_lossless.dcm"));

// JPEG extended (12-bit, IJG quality 90): lossy. Tolerance: mean absolute error within 0.5% of the
// reference's range and no pixel off by more than 2% of it (measured: MAE 2.8, max 18, range 2362).
TEST(DecodeMatrix, JpegExtendedWithinTolerance) {
  CVX_REQUIRE_FOLDER(kMatrix);
  FileFormat f, fr;
  auto ref = decodeAll(matrixFile("explicit_le.dcm"), &fr);
  auto got = decodeAll(matrixFile("jpeg_extended.dcm"), &f);
  ASSERT_TRUE(ref.ok() && got.ok()) << (got.ok() ? "" : got.error().str());
  const auto a = asInt(*ref, fr.pf.storedType()), b = asInt(*got, f.pf.storedType());
  ASSERT_EQ(a.size(), b.size());
  const auto [lo, hi] = std::minmax_element(a.begin(), a.end());
  const double range = *hi - *lo;
  double sum = 0, worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sum += std::abs(a[i] - b[i]);
    worst = std::max(worst, double(std::abs(a[i] - b[i])));
  }
  std::cout << "[ decode ] jpeg_extended: MAE " << sum / a.size() << ", max " << worst << ", range " << range << "\n";
  EXPECT_LT(sum / a.size(), 0.005 * range);
  EXPECT_LT(worst, 0.02 * range);
  EXPECT_NE(a, b);  // it is lossy: identical output would mean the wrong file was read
}

// JPEG baseline: DCMTK rescaled the 12-bit image to 8 bits before compressing. Compare after a
// least-squares linear fit: correlation > 0.99 and mean residual within 1% of 255 (measured:
// r 0.996, mean residual 1.37).
TEST(DecodeMatrix, JpegBaselineWithinTolerance) {
  CVX_REQUIRE_FOLDER(kMatrix);
  FileFormat f, fr;
  auto ref = decodeAll(matrixFile("explicit_le.dcm"), &fr);
  auto got = decodeAll(matrixFile("jpeg_baseline.dcm"), &f);
  ASSERT_TRUE(ref.ok() && got.ok()) << (got.ok() ? "" : got.error().str());
  ASSERT_EQ(f.pf.storedType(), PixelType::UInt8);
  const auto x = asInt(*ref, fr.pf.storedType()), y = asInt(*got, f.pf.storedType());
  ASSERT_EQ(x.size(), y.size());
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const double n = static_cast<double>(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    sx += x[i], sy += y[i], sxx += double(x[i]) * x[i], syy += double(y[i]) * y[i], sxy += double(x[i]) * y[i];
  }
  const double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
  EXPECT_GT(cov / std::sqrt(vx * vy), 0.99);
  const double slope = cov / vx, icpt = (sy - slope * sx) / n;
  double res = 0;
  for (size_t i = 0; i < x.size(); ++i) res += std::abs(y[i] - (slope * x[i] + icpt));
  std::cout << "[ decode ] jpeg_baseline: r " << cov / std::sqrt(vx * vy) << ", MAE after fit " << res / n << "\n";
  EXPECT_LT(res / n, 0.01 * 255);
}

// pydicom tests/pixels/pixels_reference.py: values at [row, col] of the RGB arrays.
void expectRgb(const std::vector<std::byte>& img, int cols, int row, int col, int r, int g, int b) {
  const size_t at = (static_cast<size_t>(row) * cols + col) * 3;
  EXPECT_EQ(static_cast<int>(img[at]), r) << row << "," << col;
  EXPECT_EQ(static_cast<int>(img[at + 1]), g) << row << "," << col;
  EXPECT_EQ(static_cast<int>(img[at + 2]), b) << row << "," << col;
}

TEST(DecodeHtj2k, LosslessMatchesPydicomReference) {
  CVX_REQUIRE_FOLDER("htj2k");
  FileFormat f;
  auto got = decodeAll(dataPath("htj2k/HTJ2KLossless_08_RGB.dcm"), &f);
  ASSERT_TRUE(got.ok()) << got.error().str();
  ASSERT_EQ(got->size(), size_t{640} * 480 * 3);
  expectRgb(*got, 640, 160, 295, 90, 38, 1);
  expectRgb(*got, 640, 160, 296, 94, 40, 1);
  expectRgb(*got, 640, 160, 297, 97, 42, 5);
  expectRgb(*got, 640, 275, 635, 208, 193, 172);
}

TEST(DecodeHtj2k, LossyMatchesPydicomReference) {
  CVX_REQUIRE_FOLDER("htj2k");
  auto got = decodeAll(dataPath("htj2k/HTJ2K_08_RGB.dcm"));
  ASSERT_TRUE(got.ok()) << got.error().str();
  expectRgb(*got, 640, 160, 295, 91, 37, 2);
  expectRgb(*got, 640, 275, 635, 207, 193, 171);
}

}  // namespace
}  // namespace cvx::test::dec
