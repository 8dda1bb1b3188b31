// SPDX-License-Identifier: MIT
// decodeFrames on small grey files written here with DCMTK: masking, sign extension, HighBit,
// byte order, frame selection, 1-bit frames across byte boundaries, and the error codes.
// Expected values are analytic (what was written), never the decoder's own output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "decode_synth_util.h"

namespace cvx::test::dec {
namespace {

io::PixelFormat grey(uint16_t rows, uint16_t cols, uint16_t alloc, uint16_t stored, uint16_t high, bool isSigned) {
  io::PixelFormat pf;
  pf.rows = rows, pf.cols = cols, pf.bitsAllocated = alloc, pf.bitsStored = stored, pf.highBit = high;
  pf.isSigned = isSigned;
  return pf;
}

// 12-bit signed values in 16-bit words whose top 4 bits hold garbage.
Synth signed12(std::vector<int32_t>& expected) {
  Synth s;
  s.pf = grey(4, 8, 16, 12, 11, true);
  std::vector<uint16_t> words;
  for (int i = 0; i < 32; ++i) {
    const int32_t v = -2048 + i * 131;  // spans -2048 .. 2013
    expected.push_back(v);
    words.push_back(static_cast<uint16_t>((v & 0x0FFF) | ((0xA5u >> (i % 4)) & 0xF) << 12));
  }
  s.bytes = le16(words);
  return s;
}

class DecodeSigned : public ::testing::TestWithParam<E_TransferSyntax> {};

TEST_P(DecodeSigned, TwelveBitsStoredInSixteenAreMaskedAndSignExtended) {
  TempDir tmp;
  std::vector<int32_t> expected;
  const Synth s = signed12(expected);
  const std::string path = tmp.file("s12.dcm");
  ASSERT_TRUE(writeSynth(path, s, GetParam()));
  ASSERT_EQ(s.pf.storedType(), PixelType::Int16);
  auto got = decodeFile(path, s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(asInt(*got, PixelType::Int16), expected);
}

INSTANTIATE_TEST_SUITE_P(Syntaxes, DecodeSigned,
                         ::testing::Values(EXS_LittleEndianExplicit, EXS_LittleEndianImplicit, EXS_BigEndianExplicit,
                                           EXS_DeflatedLittleEndianExplicit, EXS_RLELossless,
                                           EXS_JPEGProcess14SV1));

TEST(DecodeSynth, HighBitAboveBitsStoredShiftsDown) {
  TempDir tmp;
  Synth s;
  s.pf = grey(2, 4, 16, 12, 15, false);  // the 12 stored bits are bits 4..15
  std::vector<uint16_t> words;
  std::vector<int32_t> expected;
  for (int i = 0; i < 8; ++i) {
    expected.push_back(i * 500);
    words.push_back(static_cast<uint16_t>((i * 500) << 4 | 0x9));  // low nibble: garbage
  }
  s.bytes = le16(words);
  ASSERT_TRUE(writeSynth(tmp.file("hb.dcm"), s));
  auto got = decodeFile(tmp.file("hb.dcm"), s.pf, {0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(asInt(*got, PixelType::UInt16), expected);
}

TEST(DecodeSynth, MultiFrameEightBitFramesInAnyOrder) {
  TempDir tmp;
  Synth s;
  s.pf = grey(3, 5, 8, 6, 5, false);
  s.frames = 3;
  for (int f = 0; f < 3; ++f)
    for (int i = 0; i < 15; ++i) s.bytes.push_back(static_cast<uint8_t>(0xC0 | (f * 20 + i)));  // 2 garbage bits
  ASSERT_TRUE(writeSynth(tmp.file("mf.dcm"), s));
  auto got = decodeFile(tmp.file("mf.dcm"), s.pf, {2, 0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  for (int i = 0; i < 15; ++i) {
    EXPECT_EQ(static_cast<int>((*got)[static_cast<size_t>(i)]), 40 + i);
    EXPECT_EQ(static_cast<int>((*got)[static_cast<size_t>(15 + i)]), i);
  }
}

TEST(DecodeSynth, OneBitFramesContinueAcrossBytes) {
  TempDir tmp;
  Synth s;
  s.pf = grey(3, 3, 1, 1, 0, false);  // 9 bits per frame: frames 1 and 2 start mid-byte
  s.frames = 3;
  std::vector<int> bits;
  for (int i = 0; i < 27; ++i) bits.push_back((i * 7 + i / 5) % 3 == 0 ? 1 : 0);
  s.bytes.assign(4, 0);
  for (int i = 0; i < 27; ++i) s.bytes[static_cast<size_t>(i / 8)] |= static_cast<uint8_t>(bits[static_cast<size_t>(i)] << (i % 8));
  ASSERT_TRUE(writeSynth(tmp.file("bits.dcm"), s));
  auto got = decodeFile(tmp.file("bits.dcm"), s.pf, {1, 2, 0});
  ASSERT_TRUE(got.ok()) << got.error().str();
  const int order[3] = {1, 2, 0};
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 9; ++i)
      EXPECT_EQ(static_cast<int>((*got)[static_cast<size_t>(k * 9 + i)]), bits[static_cast<size_t>(order[k] * 9 + i)])
          << "frame " << order[k] << " pixel " << i;
}

// Multi-frame JPEG lossless with frames split over 1 KiB fragments (dcmcjpeg +fs 1): frames are
// found through the Basic Offset Table (+ot) and, with an empty table (-ot), by their SOI markers.
class DecodeFragments : public ::testing::TestWithParam<const char*> {};

TEST_P(DecodeFragments, FramesSpanningFragmentsInAnyOrder) {
  TempDir tmp;
  Synth s;
  s.pf = grey(48, 64, 16, 12, 11, false);
  s.frames = 3;
  std::mt19937 rng(7);
  std::vector<uint16_t> words;
  for (size_t i = 0; i < size_t{48} * 64 * 3; ++i) words.push_back(static_cast<uint16_t>(rng() & 0x0FFF));
  s.bytes = le16(words);
  ASSERT_TRUE(writeSynth(tmp.file("native.dcm"), s));
  const std::string cmd = std::string("dcmcjpeg +e1 +fs 1 ") + GetParam() + " " + tmp.file("native.dcm") + " " +
                          tmp.file("frag.dcm");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "needs DCMTK's dcmcjpeg (package dcmtk): " << cmd;
  auto got = decodeFile(tmp.file("frag.dcm"), s.pf, {2, 0, 1});
  ASSERT_TRUE(got.ok()) << got.error().str();
  const auto v = asInt(*got, PixelType::UInt16);
  const size_t n = size_t{48} * 64;
  const size_t order[3] = {2, 0, 1};
  for (size_t k = 0; k < 3; ++k)
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(v[k * n + i], words[order[k] * n + i]) << "frame " << order[k];
}

INSTANTIATE_TEST_SUITE_P(OffsetTable, DecodeFragments, ::testing::Values("+ot", "-ot"),
                         [](const auto& info) { return std::string(info.param[0] == '+' ? "Basic" : "Empty"); });

TEST(DecodeSynthErrors, CodesForBadRequests) {
  TempDir tmp;
  std::vector<int32_t> expected;
  Synth s = signed12(expected);
  ASSERT_TRUE(writeSynth(tmp.file("a.dcm"), s));
  io::PixelFormat other = s.pf;
  other.rows = 5;
  auto mismatch = decodeFile(tmp.file("a.dcm"), other, {0});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, "dicom.pixel_mismatch");
  auto badFrame = decodeFile(tmp.file("a.dcm"), s.pf, {1});
  ASSERT_FALSE(badFrame.ok());
  EXPECT_EQ(badFrame.error().code, "dicom.bad_frame");

  Synth none = s;
  none.extra = [](DcmDataset& ds) { delete ds.remove(DCM_PixelData); };
  ASSERT_TRUE(writeSynth(tmp.file("none.dcm"), none));
  auto noPixels = decodeFile(tmp.file("none.dcm"), s.pf, {0});
  ASSERT_FALSE(noPixels.ok());
  EXPECT_EQ(noPixels.error().code, "dicom.no_pixels");

  Synth shortData = s;  // says 3 frames, holds 2
  shortData.frames = 3;
  shortData.bytes.insert(shortData.bytes.end(), s.bytes.begin(), s.bytes.end());
  ASSERT_TRUE(writeSynth(tmp.file("short.dcm"), shortData));
  EXPECT_TRUE(decodeFile(tmp.file("short.dcm"), s.pf, {1}).ok());
  auto cut = decodeFile(tmp.file("short.dcm"), s.pf, {2});
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, "dicom.truncated");
}

TEST(DecodeSynthErrors, UnknownTransferSyntax) {
  TempDir tmp;
  std::vector<int32_t> expected;
  const Synth s = signed12(expected);
  const std::string path = tmp.file("ts.dcm");
  ASSERT_TRUE(writeSynth(path, s, EXS_LittleEndianImplicit));
  // Patch the meta header's UID "1.2.840.10008.1.2\0" to an undefined one of the same length.
  std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(io)), {});
  const std::string from("1.2.840.10008.1.2\0", 18), to("1.2.840.10008.1.29", 18);
  const size_t at = all.find(from);
  ASSERT_NE(at, std::string::npos);
  io.seekp(static_cast<std::streamoff>(at));
  io.write(to.data(), static_cast<std::streamsize>(to.size()));
  io.close();
  auto got = decodeFile(path, s.pf, {0});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, "dicom.unsupported_syntax") << got.error().str();
}

}  // namespace
}  // namespace cvx::test::dec
