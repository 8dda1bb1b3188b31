// SPDX-License-Identifier: MIT
// decodeFrames on small colour files written here with DCMTK: planar RGB, YBR_FULL and
// YBR_FULL_422 (native), PALETTE COLOR with 16- and 8-bit entries, and RGB through DCMTK's RLE
// and JPEG baseline encoders. Expected values are analytic: what was written, or the BT.601
// full-range colours of known YCbCr points.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "decode_synth_util.h"

namespace cvx::test::dec {
namespace {

io::PixelFormat colour(uint16_t rows, uint16_t cols, const char* photometric, uint16_t planar = 0) {
  io::PixelFormat pf;
  pf.rows = rows, pf.cols = cols, pf.samplesPerPixel = 3;
  pf.bitsAllocated = 8, pf.bitsStored = 8, pf.highBit = 7;
  pf.photometric = photometric;
  pf.planarConfiguration = planar;
  return pf;
}

// A smooth RGB test card, interleaved.
std::vector<uint8_t> card(int rows, int cols) {
  std::vector<uint8_t> v;
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      v.push_back(static_cast<uint8_t>(x * 255 / (cols - 1)));
      v.push_back(static_cast<uint8_t>(y * 255 / (rows - 1)));
      v.push_back(static_cast<uint8_t>(128 + (x - y) / 4));
    }
  return v;
}

std::vector<uint8_t> bytesOf(const std::vector<std::byte>& b) {
  std::vector<uint8_t> out(b.size());
  std::memcpy(out.data(), b.data(), b.size());
  return out;
}

TEST(DecodeColour, PlanarRgbIsInterleaved) {
  TempDir tmp;
  Synth s;
  s.pf = colour(2, 3, "RGB", 1);
  const std::vector<uint8_t> rgb = card(2, 3);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 6; ++i) s.bytes.push_back(rgb[static_cast<size_t>(3 * i + c)]);
  ASSERT_TRUE(writeSynth(tmp.file("planar.dcm"), s));
  auto got = decodeFile(tmp.file("planar.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(bytesOf(*got), rgb);
}

void expectNear(const std::vector<std::byte>& img, size_t pixel, int r, int g, int b, int tol) {
  EXPECT_NEAR(static_cast<int>(img[3 * pixel]), r, tol) << "pixel " << pixel;
  EXPECT_NEAR(static_cast<int>(img[3 * pixel + 1]), g, tol) << "pixel " << pixel;
  EXPECT_NEAR(static_cast<int>(img[3 * pixel + 2]), b, tol) << "pixel " << pixel;
}

TEST(DecodeColour, YbrFullToRgb) {
  TempDir tmp;
  Synth s;
  s.pf = colour(1, 4, "YBR_FULL");
  // BT.601 full range: grey, pure red, pure green, pure blue (YCbCr rounded to integers).
  s.bytes = {128, 128, 128, 76, 85, 255, 150, 44, 21, 29, 255, 107};
  ASSERT_TRUE(writeSynth(tmp.file("ybr.dcm"), s));
  auto got = decodeFile(tmp.file("ybr.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  expectNear(*got, 0, 128, 128, 128, 0);
  expectNear(*got, 1, 255, 0, 0, 2);
  expectNear(*got, 2, 0, 255, 0, 2);
  expectNear(*got, 3, 0, 0, 255, 2);
}

TEST(DecodeColour, NativeYbrFull422SharesChromaPerPair) {
  TempDir tmp;
  Synth s;
  s.pf = colour(1, 4, "YBR_FULL_422");
  s.bytes = {50, 200, 128, 128, 76, 80, 85, 255};  // Y0 Y1 Cb Cr, twice
  ASSERT_TRUE(writeSynth(tmp.file("ybr422.dcm"), s));
  auto got = decodeFile(tmp.file("ybr422.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  expectNear(*got, 0, 50, 50, 50, 0);
  expectNear(*got, 1, 200, 200, 200, 0);
  expectNear(*got, 2, 255, 0, 0, 2);
  expectNear(*got, 3, 255, 4, 4, 3);  // Y 80: red lifted by 4 on every channel
}

Synth paletteImage(uint16_t bitsAllocated, std::vector<uint16_t> desc, std::vector<uint16_t> r,
                   std::vector<uint16_t> g, std::vector<uint16_t> b, const std::vector<uint16_t>& px) {
  Synth s;
  s.pf.rows = 1;
  s.pf.cols = static_cast<uint16_t>(px.size());
  s.pf.bitsAllocated = bitsAllocated, s.pf.bitsStored = bitsAllocated, s.pf.highBit = bitsAllocated - 1;
  s.pf.photometric = "PALETTE COLOR";
  if (bitsAllocated == 16) s.bytes = le16(px);
  else for (uint16_t v : px) s.bytes.push_back(static_cast<uint8_t>(v));
  s.extra = [desc, r, g, b](DcmDataset& ds) {
    ds.putAndInsertUint16Array(DCM_RedPaletteColorLookupTableDescriptor, desc.data(), 3);
    ds.putAndInsertUint16Array(DCM_GreenPaletteColorLookupTableDescriptor, desc.data(), 3);
    ds.putAndInsertUint16Array(DCM_BluePaletteColorLookupTableDescriptor, desc.data(), 3);
    ds.putAndInsertUint16Array(DCM_RedPaletteColorLookupTableData, r.data(), r.size());
    ds.putAndInsertUint16Array(DCM_GreenPaletteColorLookupTableData, g.data(), g.size());
    ds.putAndInsertUint16Array(DCM_BluePaletteColorLookupTableData, b.data(), b.size());
  };
  return s;
}

TEST(DecodeColour, PaletteWithSixteenBitEntries) {
  TempDir tmp;
  std::vector<uint16_t> r, g, b, px;
  for (int i = 0; i < 256; ++i) {
    r.push_back(static_cast<uint16_t>(i * 257));
    g.push_back(static_cast<uint16_t>((255 - i) * 257));
    b.push_back(0x8000);
  }
  for (int i = 0; i < 16; ++i) px.push_back(static_cast<uint16_t>(i * 17));
  const Synth s = paletteImage(8, {256, 0, 16}, r, g, b, px);
  ASSERT_EQ(s.pf.storedType(), PixelType::RGB8);
  ASSERT_TRUE(writeSynth(tmp.file("pal16.dcm"), s));
  auto got = decodeFile(tmp.file("pal16.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  for (size_t i = 0; i < px.size(); ++i) expectNear(*got, i, px[i], 255 - px[i], 128, 0);
}

TEST(DecodeColour, PaletteWithEightBitEntriesAndFirstMappedValue) {
  TempDir tmp;
  std::vector<uint16_t> r, g, b, px;
  for (int i = 0; i < 16; ++i) {  // 8-bit entries, one per 16-bit word
    r.push_back(static_cast<uint16_t>(i * 16));
    g.push_back(static_cast<uint16_t>(200));
    b.push_back(static_cast<uint16_t>(255 - i));
  }
  for (int v = 0; v < 40; v += 3) px.push_back(static_cast<uint16_t>(1000 + v));
  const Synth s = paletteImage(16, {16, 1010, 8}, r, g, b, px);
  ASSERT_TRUE(writeSynth(tmp.file("pal8.dcm"), s));
  auto got = decodeFile(tmp.file("pal8.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  for (size_t i = 0; i < px.size(); ++i) {
    const int idx = std::clamp(static_cast<int>(px[i]) - 1010, 0, 15);  // PS3.3: clamp to the table
    expectNear(*got, i, idx * 16, 200, 255 - idx, 0);
  }
}

TEST(DecodeColour, RleRgbRoundTripsExactly) {
  TempDir tmp;
  Synth s;
  s.pf = colour(16, 24, "RGB");
  s.bytes = card(16, 24);
  ASSERT_TRUE(writeSynth(tmp.file("rle.dcm"), s, EXS_RLELossless));
  auto got = decodeFile(tmp.file("rle.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(bytesOf(*got), s.bytes);
}

TEST(DecodeColour, JpegBaselineRgbCloseToOriginal) {
  TempDir tmp;
  Synth s;
  s.pf = colour(32, 48, "RGB");
  s.bytes = card(32, 48);
  ASSERT_TRUE(writeSynth(tmp.file("rgb.dcm"), s));
  // DCMTK's lossy colour encoder needs dcmimage, which the tests do not link: use its CLI instead.
  const std::string cmd = "dcmcjpeg +eb +q 95 " + tmp.file("rgb.dcm") + " " + tmp.file("jpeg.dcm");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "needs DCMTK's dcmcjpeg (package dcmtk): " << cmd;
  const FileFormat written = formatFromDcmtk(tmp.file("jpeg.dcm"));
  ASSERT_TRUE(written.ok);
  EXPECT_EQ(written.pf.photometric, "YBR_FULL_422");  // DCMTK stored it as YCbCr: conversion is exercised
  auto got = decodeFile(tmp.file("jpeg.dcm"), written.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  double err = 0;
  for (size_t i = 0; i < s.bytes.size(); ++i) err += std::abs(static_cast<int>((*got)[i]) - s.bytes[i]);
  EXPECT_LT(err / s.bytes.size(), 3.0);  // mean error of a quality-95 JPEG on a smooth card
}

}  // namespace
}  // namespace cvx::test::dec
