// SPDX-License-Identifier: MIT
// JPEG lossless decoder on real data: every frame of ct/ and of the fragmented T1 must equal
// DCMTK's decoding of the same file, and the SV1 file of the transfer-syntax matrix its
// uncompressed twin.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "../data/data_util.h"
#include "jpeg_test_util.h"

namespace cvx::test {
namespace {

using io::codec::decodeJpegLossless;
using io::codec::JpegInfo;
using io::codec::peekJpegInfo;

std::vector<std::string> dicomFiles(const std::string& rel) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dataPath(rel)))
    if (e.is_regular_file() && e.path().extension() == ".dcm") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Decodes every file of a folder and compares with DCMTK; returns the number of frames checked.
int compareFolder(const std::string& rel, uint8_t expectPrecision) {
  int checked = 0;
  for (const std::string& path : dicomFiles(rel)) {
    SCOPED_TRACE(path);
    const DcmtkJpegFrame ref = dcmtkJpegFrame(path);
    EXPECT_TRUE(ref.ok);
    if (!ref.ok) continue;
    auto peek = peekJpegInfo(ref.jpeg.data(), ref.jpeg.size());
    EXPECT_TRUE(peek.ok()) << (peek.ok() ? "" : peek.error().str());
    if (!peek.ok()) continue;
    EXPECT_EQ(peek->rows, ref.rows);
    EXPECT_EQ(peek->cols, ref.cols);
    EXPECT_EQ(peek->components, 1);
    EXPECT_EQ(peek->predictor, 1);  // SV1
    EXPECT_EQ(peek->precision, expectPrecision);
    std::vector<uint16_t> out(ref.pixels.size(), 0xDEAD);
    JpegInfo info;
    auto st = decodeJpegLossless(ref.jpeg.data(), ref.jpeg.size(), out.data(), out.size(), &info);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().str());
    EXPECT_EQ(info.rows, ref.rows);
    EXPECT_TRUE(out == ref.pixels) << "pixels differ from DCMTK";
    ++checked;
  }
  return checked;
}

TEST(JpegLossless, CtEveryFrameEqualsDcmtk) {
  CVX_REQUIRE_FOLDER("ct");
  EXPECT_EQ(compareFolder("ct", 16), 134);
}

TEST(JpegLossless, FragmentedT1EveryFrameEqualsDcmtk) {
  CVX_REQUIRE_FOLDER("t1_jpeg_lossless_fragmented");
  EXPECT_EQ(compareFolder("t1_jpeg_lossless_fragmented", 16), 96);
}

TEST(JpegLossless, MatrixSv1EqualsExplicitLittleEndian) {
  CVX_REQUIRE_FOLDER("transfer_syntax_matrix");
  const DcmtkJpegFrame f = dcmtkJpegFrame(dataPath("transfer_syntax_matrix/jpeg_lossless_sv1.dcm"));
  ASSERT_TRUE(f.ok);
  const std::vector<uint16_t> native = dcmtkNative16(dataPath("transfer_syntax_matrix/explicit_le.dcm"));
  ASSERT_EQ(native.size(), size_t(384) * 384);
  std::vector<uint16_t> out(native.size());
  auto st = decodeJpegLossless(f.jpeg.data(), f.jpeg.size(), out.data(), out.size(), nullptr);
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_TRUE(out == native);
}

double medianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Not a pass/fail on speed (shared 2-core machine): prints per-slice figures for
// docs/benchmarks.md, and checks the timed decodes still equal DCMTK's.
TEST(JpegLossless, CtDecodeSpeedVsDcmtk) {
  CVX_REQUIRE_FOLDER("ct");
  registerJpegCodecs();
  std::vector<double> ours, dcmtk;
  for (const std::string& path : dicomFiles("ct")) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(path.c_str()).good());
    DcmDataset* ds = ff.getDataset();
    const std::vector<uint8_t> jpeg = encapsulatedFrame(*ds, ds->getOriginalXfer());
    std::vector<uint16_t> out(512 * 512);
    auto t0 = std::chrono::steady_clock::now();
    auto st = decodeJpegLossless(jpeg.data(), jpeg.size(), out.data(), out.size(), nullptr);
    auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).good());
    auto t2 = std::chrono::steady_clock::now();
    const Uint16* px = nullptr;
    ASSERT_TRUE(ds->findAndGetUint16Array(DCM_PixelData, px).good());
    ASSERT_TRUE(std::equal(out.begin(), out.end(), px));
    ours.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    dcmtk.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  const double a = medianMs(ours), b = medianMs(dcmtk);
  std::printf("[ jpeg ] ct/ 512x512 16-bit SV1, %zu slices, median per slice: cinevox %.3f ms, "
              "DCMTK %.3f ms, speed-up %.2fx\n", ours.size(), a, b, a > 0 ? b / a : 0.0);
  RecordProperty("cinevox_ms_per_slice", std::to_string(a));
  RecordProperty("dcmtk_ms_per_slice", std::to_string(b));
  EXPECT_EQ(ours.size(), 134u);
}

}  // namespace
}  // namespace cvx::test
