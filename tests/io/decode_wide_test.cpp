// SPDX-License-Identifier: MIT
// decodeFrames on samples wider than 16 bits or colour wider than 8, written here with DCMTK:
// 16-bit RGB keeps its 16 bits (RGB16), native and through DCMTK's RLE encoder; 32-bit grey
// (RT Dose) becomes float32 holding the stored integer, signed and unsigned, BitsStored masked;
// 32-bit RGB keeps its 16 most significant bits. Expected values are what was written.
#include <gtest/gtest.h>

#include <cstring>

#include "decode_synth_util.h"

namespace cvx::test::dec {
namespace {

io::PixelFormat format(uint16_t samples, uint16_t bits, uint16_t stored, bool isSigned, const char* photometric) {
  io::PixelFormat pf;
  pf.rows = 4, pf.cols = 5, pf.samplesPerPixel = samples;
  pf.bitsAllocated = bits, pf.bitsStored = stored, pf.highBit = static_cast<uint16_t>(stored - 1);
  pf.isSigned = isSigned;
  pf.photometric = photometric;
  return pf;
}

template <class T>
std::vector<uint8_t> bytesOf(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

template <class T>
std::vector<T> valuesOf(const std::vector<std::byte>& b) {
  std::vector<T> v(b.size() / sizeof(T));
  std::memcpy(v.data(), b.data(), v.size() * sizeof(T));
  return v;
}

std::vector<uint16_t> rgb16Card() {
  std::vector<uint16_t> v;
  for (int i = 0; i < 20; ++i) {
    v.push_back(static_cast<uint16_t>(i * 3449));          // 0 .. 65531
    v.push_back(static_cast<uint16_t>(65535 - i * 1000));
    v.push_back(static_cast<uint16_t>(i % 2 ? 257 : 65280));  // high and low byte each matter
  }
  return v;
}

TEST(DecodeWide, SixteenBitRgbKeepsItsBits) {
  TempDir tmp;
  Synth s;
  s.pf = format(3, 16, 16, false, "RGB");
  const std::vector<uint16_t> rgb = rgb16Card();
  s.bytes = bytesOf(rgb);
  EXPECT_EQ(s.pf.storedType(), PixelType::RGB16);
  ASSERT_TRUE(writeSynth(tmp.file("rgb16.dcm"), s));
  auto native = decodeFile(tmp.file("rgb16.dcm"), s.pf, {0});
  ASSERT_TRUE(native.ok()) << native.error().str();
  EXPECT_EQ(valuesOf<uint16_t>(*native), rgb);
  ASSERT_TRUE(writeSynth(tmp.file("rgb16_rle.dcm"), s, EXS_RLELossless));
  auto rle = decodeFile(tmp.file("rgb16_rle.dcm"), s.pf, {0});
  ASSERT_TRUE(rle.ok()) << rle.error().str();
  EXPECT_EQ(valuesOf<uint16_t>(*rle), rgb);
}

TEST(DecodeWide, ThirtyTwoBitGreyIsFloatOfTheStoredInteger) {
  TempDir tmp;
  // Unsigned, all 32 bits stored: values up to 2^24 are exact in float32.
  Synth u;
  u.pf = format(1, 32, 32, false, "MONOCHROME2");
  std::vector<uint32_t> uv;
  for (uint32_t i = 0; i < 20; ++i) uv.push_back(i * 838861u);  // 0 .. 15938359 (< 2^24)
  u.bytes = bytesOf(uv);
  EXPECT_EQ(u.pf.storedType(), PixelType::Float32);
  ASSERT_TRUE(writeSynth(tmp.file("u32.dcm"), u));
  auto got = decodeFile(tmp.file("u32.dcm"), u.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  const std::vector<float> uf = valuesOf<float>(*got);
  ASSERT_EQ(uf.size(), uv.size());
  for (size_t i = 0; i < uv.size(); ++i) EXPECT_EQ(uf[i], static_cast<float>(uv[i])) << i;

  // Signed with BitsStored 20: bits above the stored ones are ignored, the sign extended.
  Synth sg;
  sg.pf = format(1, 32, 20, true, "MONOCHROME2");
  std::vector<int32_t> want;
  std::vector<uint32_t> raw;
  for (int32_t i = 0; i < 20; ++i) {
    const int32_t v = (i - 10) * 52000;  // -520000 .. 468000, inside 20 signed bits
    want.push_back(v);
    raw.push_back((static_cast<uint32_t>(v) & 0xFFFFFu) | 0xABC00000u);  // junk above BitsStored
  }
  sg.bytes = bytesOf(raw);
  ASSERT_TRUE(writeSynth(tmp.file("s32.dcm"), sg));
  auto sgot = decodeFile(tmp.file("s32.dcm"), sg.pf, {0});
  ASSERT_TRUE(sgot.ok()) << sgot.error().str();
  const std::vector<float> sf = valuesOf<float>(*sgot);
  ASSERT_EQ(sf.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(sf[i], static_cast<float>(want[i])) << i;
}

TEST(DecodeWide, ThirtyTwoBitRgbKeepsItsSixteenMostSignificantBits) {
  TempDir tmp;
  Synth s;
  s.pf = format(3, 32, 32, false, "RGB");
  std::vector<uint32_t> rgb;
  std::vector<uint16_t> want;
  for (uint32_t i = 0; i < 60; ++i) {
    const uint32_t v = i * 71582788u + 0xFFFFu;  // the low 16 bits must not leak into the result
    rgb.push_back(v);
    want.push_back(static_cast<uint16_t>(v >> 16));
  }
  s.bytes = bytesOf(rgb);
  EXPECT_EQ(s.pf.storedType(), PixelType::RGB16);
  ASSERT_TRUE(writeSynth(tmp.file("rgb32.dcm"), s));
  auto got = decodeFile(tmp.file("rgb32.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(valuesOf<uint16_t>(*got), want);
}

}  // namespace
}  // namespace cvx::test::dec
