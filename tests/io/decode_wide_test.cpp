// SPDX-License-Identifier: MIT
// decodeFrames on samples wider than 16 bits or colour wider than 8, written here with DCMTK:
// 16-bit RGB keeps its 16 bits (RGB16), native and through DCMTK's RLE encoder; 32-bit grey
// (RT Dose) becomes float32 holding the stored integer, signed and unsigned, BitsStored masked;
// 32-bit RGB keeps all 32 bits (RGB32): native, RLE, by plane, big endian, BitsStored masked,
// and through scan, plan and load. Expected values are computed here from what was written.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include <cvx/io/dicom.h>

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

std::vector<uint8_t> fileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
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

// 4x5 pixels of 32-bit colour whose every byte matters: channel c of pixel i is a multiple of a
// large odd constant plus a low pattern, covering 0 .. 2^32 - 1.
uint32_t rgb32Value(uint32_t i, uint32_t c) { return i * 214748365u + c * 1431655765u + (i % 3 == 0 ? 0xFFu : 0x01u); }

std::vector<uint32_t> rgb32Card(uint32_t pixels = 20) {
  std::vector<uint32_t> v;
  for (uint32_t i = 0; i < pixels; ++i)
    for (uint32_t c = 0; c < 3; ++c) v.push_back(rgb32Value(i, c));
  return v;
}

TEST(DecodeWide, ThirtyTwoBitRgbKeepsEveryBit) {
  TempDir tmp;
  Synth s;
  s.pf = format(3, 32, 32, false, "RGB");
  const std::vector<uint32_t> rgb = rgb32Card();
  s.bytes = bytesOf(rgb);
  EXPECT_EQ(s.pf.storedType(), PixelType::RGB32);
  EXPECT_EQ(bytesPerVoxel(PixelType::RGB32), 12u);
  ASSERT_TRUE(writeSynth(tmp.file("rgb32.dcm"), s));
  auto native = decodeFile(tmp.file("rgb32.dcm"), s.pf, {0});
  ASSERT_TRUE(native.ok()) << native.error().str();
  EXPECT_EQ(valuesOf<uint32_t>(*native), rgb);
  // DCMTK's RLE encoder: 12 segments (4 bytes x 3 samples), as in pydicom's SC_rgb_rle_32bit.dcm.
  ASSERT_TRUE(writeSynth(tmp.file("rgb32_rle.dcm"), s, EXS_RLELossless));
  auto rle = decodeFile(tmp.file("rgb32_rle.dcm"), s.pf, {0});
  ASSERT_TRUE(rle.ok()) << rle.error().str();
  EXPECT_EQ(valuesOf<uint32_t>(*rle), rgb);
}

TEST(DecodeWide, ThirtyTwoBitRgbByPlaneIsInterleaved) {
  TempDir tmp;
  Synth s;
  s.pf = format(3, 32, 32, false, "RGB");
  s.pf.planarConfiguration = 1;
  s.frames = 2;
  std::vector<uint32_t> planes, want;
  for (uint32_t f = 0; f < 2; ++f) {
    for (uint32_t c = 0; c < 3; ++c)
      for (uint32_t i = 0; i < 20; ++i) planes.push_back(rgb32Value(i + 20 * f, c));  // RRR.. GGG.. BBB..
    for (uint32_t i = 0; i < 20; ++i)
      for (uint32_t c = 0; c < 3; ++c) want.push_back(rgb32Value(i + 20 * f, c));
  }
  s.bytes = bytesOf(planes);
  ASSERT_TRUE(writeSynth(tmp.file("planar.dcm"), s));
  auto got = decodeFile(tmp.file("planar.dcm"), s.pf, {0, 1});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(valuesOf<uint32_t>(*got), want);
}

TEST(DecodeWide, ThirtyTwoBitRgbMasksBitsAboveBitsStored) {
  TempDir tmp;
  // BitsStored 24, HighBit 23: the top byte is junk and ignored.
  Synth s;
  s.pf = format(3, 32, 24, false, "RGB");
  std::vector<uint32_t> raw, want;
  for (uint32_t v : rgb32Card()) {
    want.push_back(v & 0xFFFFFFu);
    raw.push_back((v & 0xFFFFFFu) | 0xA5000000u);
  }
  s.bytes = bytesOf(raw);
  ASSERT_TRUE(writeSynth(tmp.file("bs24.dcm"), s));
  auto got = decodeFile(tmp.file("bs24.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(valuesOf<uint32_t>(*got), want);
  // BitsStored 20, HighBit 27: stored bits 8..27, junk below and above them.
  Synth h;
  h.pf = format(3, 32, 20, false, "RGB");
  h.pf.highBit = 27;
  raw.clear(), want.clear();
  for (uint32_t v : rgb32Card()) {
    want.push_back(v & 0xFFFFFu);
    raw.push_back(((v & 0xFFFFFu) << 8) | 0xF000005Au);
  }
  h.bytes = bytesOf(raw);
  ASSERT_TRUE(writeSynth(tmp.file("hb27.dcm"), h));
  auto shifted = decodeFile(tmp.file("hb27.dcm"), h.pf, {0});
  ASSERT_TRUE(shifted.ok()) << shifted.error().str();
  EXPECT_EQ(valuesOf<uint32_t>(*shifted), want);
}

TEST(DecodeWide, ThirtyTwoBitRgbBigEndian) {
  TempDir tmp;
  Synth s;
  s.pf = format(3, 32, 32, false, "RGB");
  const std::vector<uint32_t> rgb = rgb32Card();
  // OW in Explicit VR Big Endian: each 32-bit sample as its high then low 16-bit word, so that
  // DCMTK writes the sample's bytes most significant first.
  std::vector<Uint16> words;
  for (uint32_t v : rgb) {
    words.push_back(static_cast<Uint16>(v >> 16));
    words.push_back(static_cast<Uint16>(v & 0xFFFFu));
  }
  s.bytes = bytesOf(rgb);
  s.extra = [&](DcmDataset& ds) {
    ds.putAndInsertUint16Array(DCM_PixelData, words.data(), static_cast<unsigned long>(words.size()));
  };
  ASSERT_TRUE(writeSynth(tmp.file("be.dcm"), s, EXS_BigEndianExplicit));
  const std::vector<uint8_t> file = fileBytes(tmp.file("be.dcm"));
  const uint32_t first = rgb[0];
  const uint8_t be[4] = {static_cast<uint8_t>(first >> 24), static_cast<uint8_t>(first >> 16),
                         static_cast<uint8_t>(first >> 8), static_cast<uint8_t>(first)};
  ASSERT_GE(file.size(), rgb.size() * 4);
  EXPECT_EQ(std::memcmp(file.data() + file.size() - rgb.size() * 4, be, 4), 0);  // big endian on disk
  auto got = decodeFile(tmp.file("be.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(valuesOf<uint32_t>(*got), rgb);
}

// Through scan, plan and load: an RGB32 volume with the file's values and no pixel warning.
TEST(DecodeWide, ThirtyTwoBitRgbLoadsAtFullPrecision) {
  TempDir tmp;
  Synth s;
  s.pf = format(3, 32, 32, false, "RGB");
  const std::vector<uint32_t> rgb = rgb32Card();
  s.bytes = bytesOf(rgb);
  ASSERT_TRUE(writeSynth(tmp.file("load.dcm"), s, EXS_RLELossless));
  auto scanned = io::scan(tmp.file("load.dcm"));
  ASSERT_TRUE(scanned.ok()) << scanned.error().str();
  const io::GroupResult groups = io::planSeries(*scanned);
  ASSERT_EQ(groups.series.size(), 1u);
  EXPECT_EQ(groups.series[0].type, PixelType::RGB32);
  for (const auto& w : groups.series[0].warnings) EXPECT_NE(w.code.rfind("pixel.", 0), 0u) << w.code;  // no reduction
  auto vol = io::loadPath(tmp.file("load.dcm"));
  ASSERT_TRUE(vol.ok()) << vol.error().str();
  const Volume& v = **vol;
  ASSERT_EQ(v.type(), PixelType::RGB32);
  ASSERT_EQ(v.byteSize(), rgb.size() * 4);
  EXPECT_EQ(std::memcmp(v.data(), rgb.data(), v.byteSize()), 0);
  const double luma = 0.299 * rgb[3] + 0.587 * rgb[4] + 0.114 * rgb[5];  // pixel (1, 0)
  EXPECT_DOUBLE_EQ(v.valueAt(1, 0, 0), luma);
  EXPECT_STREQ(toString(PixelType::RGB32), "rgb32");
}

}  // namespace
}  // namespace cvx::test::dec
