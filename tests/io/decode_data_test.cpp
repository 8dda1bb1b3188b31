// SPDX-License-Identifier: MIT
// decodeFrames on real files: Deflated Image Frame Compression against its uncompressed twins,
// fragmented JPEG lossless against the uncompressed series (matched by SOPInstanceUID), and the
// malformed files (each must fail with a code, never crash).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <numeric>

#include <dcmtk/dcmdata/dcdatset.h>

#include "decode_test_util.h"

namespace cvx::test::dec {
namespace {

namespace fs = std::filesystem;

// Independent 1-bit unpacking of a native file: DCMTK's raw Pixel Data bytes, bits LSB first,
// frames continuing bit after bit (PS3.5 8.1.1).
std::vector<std::byte> nativeBitsViaDcmtk(const std::string& path, size_t pixels) {
  DcmFileFormat ff;
  if (ff.loadFile(path.c_str()).bad()) return {};
  const Uint8* px = nullptr;
  unsigned long count = 0;
  if (ff.getDataset()->findAndGetUint8Array(DCM_PixelData, px, &count).bad() || count * 8 < pixels) return {};
  std::vector<std::byte> out(pixels);
  for (size_t i = 0; i < pixels; ++i) out[i] = static_cast<std::byte>((px[i / 8] >> (i % 8)) & 1);
  return out;
}

void expectDeflatePair(const std::string& plain, const std::string& deflated, size_t dim) {
  FileFormat fp, fd;
  auto a = decodeAll(dataPath("deflate/" + plain), &fp);
  auto b = decodeAll(dataPath("deflate/" + deflated), &fd);
  ASSERT_TRUE(a.ok()) << a.error().str();
  ASSERT_TRUE(b.ok()) << b.error().str();
  ASSERT_EQ(fd.frames, 3u);
  ASSERT_EQ(a->size(), dim * dim * 3);
  EXPECT_TRUE(*a == *b) << deflated << " differs from " << plain;
  EXPECT_TRUE(*a == nativeBitsViaDcmtk(dataPath("deflate/" + plain), dim * dim * 3)) << plain;
  size_t ones = 0;
  for (std::byte v : *b) ones += static_cast<size_t>(v);
  EXPECT_GT(ones, 100u);  // the liver is there
  for (std::byte v : *b) ASSERT_LE(static_cast<int>(v), 1);
}

TEST(DecodeDeflate, FrameDeflateEqualsUncompressed) {
  CVX_REQUIRE_FOLDER("deflate");
  expectDeflatePair("liver.dcm", "liver_deflate.dcm", 512);
}

TEST(DecodeDeflate, NonByteAlignedFramesEqualUncompressed) {
  CVX_REQUIRE_FOLDER("deflate");
  expectDeflatePair("liver_nonbyte_aligned.dcm", "liver_nonbyte_aligned_deflate.dcm", 510);
}

TEST(DecodeDeflate, SingleLaterFrameEqualsItsSliceOfTheWhole) {
  CVX_REQUIRE_FOLDER("deflate");
  FileFormat f;
  auto all = decodeAll(dataPath("deflate/liver_nonbyte_aligned.dcm"), &f);
  ASSERT_TRUE(all.ok());
  for (const char* name : {"liver_nonbyte_aligned.dcm", "liver_nonbyte_aligned_deflate.dcm"}) {
    auto one = decodeFile(dataPath(std::string("deflate/") + name), f.pf, {2});
    ASSERT_TRUE(one.ok()) << one.error().str();
    const size_t fb = frameBytes(f.pf);
    EXPECT_TRUE(std::equal(one->begin(), one->end(), all->begin() + 2 * fb)) << name;
  }
}

std::map<std::string, std::string> byUid(const std::string& folder) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dataPath(folder))) {
    if (!e.is_regular_file() || e.path().extension() != ".dcm") continue;
    const FileFormat f = formatFromDcmtk(e.path().string());
    if (f.ok && !f.sopInstanceUid.empty()) out[f.sopInstanceUid] = e.path().string();
  }
  return out;
}

TEST(DecodeFragmented, JpegLosslessFragmentsEqualUncompressedSeries) {
  CVX_REQUIRE_FOLDER("t1_jpeg_lossless_fragmented");
  CVX_REQUIRE_FOLDER("sagittal_t1");
  const auto frag = byUid("t1_jpeg_lossless_fragmented"), plain = byUid("sagittal_t1");
  size_t matched = 0;
  for (const auto& [uid, path] : frag) {
    const auto it = plain.find(uid);
    if (it == plain.end()) continue;
    auto a = decodeAll(path), b = decodeAll(it->second);
    ASSERT_TRUE(a.ok()) << a.error().str();
    ASSERT_TRUE(b.ok()) << b.error().str();
    EXPECT_TRUE(*a == *b) << path << " vs " << it->second;
    ++matched;
  }
  EXPECT_EQ(matched, 96u);
}

TEST(DecodeMalformed, GoodFileDecodes) {
  CVX_REQUIRE_FOLDER("malformed");
  auto got = decodeAll(dataPath("malformed/good.dcm"));
  ASSERT_TRUE(got.ok()) << got.error().str();
  EXPECT_EQ(got->size(), size_t{512} * 512 * 2);
}

struct BadCase {
  const char* file;
  const char* code;
};

class DecodeMalformedFile : public ::testing::TestWithParam<BadCase> {};

TEST_P(DecodeMalformedFile, FailsWithCode) {
  CVX_REQUIRE_FOLDER("malformed");
  // The format a scan of good.dcm would report: the decoder must not trust it blindly.
  const FileFormat good = formatFromDcmtk(dataPath("malformed/good.dcm"));
  ASSERT_TRUE(good.ok);
  auto got = decodeFile(dataPath(std::string("malformed/") + GetParam().file), good.pf, {0});
  ASSERT_FALSE(got.ok()) << GetParam().file << " decoded";
  EXPECT_EQ(got.error().code, GetParam().code) << got.error().str();
  EXPECT_FALSE(got.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, DecodeMalformedFile,
    ::testing::Values(BadCase{"trunc_in_preamble_64.dcm", "dicom.truncated"},  // ends inside the preamble
                      BadCase{"trunc_in_meta_200.dcm", "dicom.truncated"},
                      BadCase{"trunc_in_dataset_header_mid_tag.dcm", "dicom.truncated"},
                      BadCase{"trunc_in_pixel_header.dcm", "dicom.truncated"},
                      BadCase{"trunc_in_pixel_data_half.dcm", "dicom.truncated"},
                      BadCase{"trunc_pixel_data_minus_1_byte.dcm", "dicom.truncated"},
                      BadCase{"wrong_length_pixel_data_too_long.dcm", "dicom.truncated"},
                      BadCase{"wrong_length_pixel_data_odd_short.dcm", "dicom.pixel_length"},  // 1 byte short of the frame
                      BadCase{"wrong_length_modality_1024.dcm", "dicom.truncated"},  // parsing runs past the end
                      BadCase{"gzip_compressed.dcm.gz", "dicom.gzip"},
                      BadCase{"gzip_compressed_named.dcm", "dicom.gzip"},
                      BadCase{"zero_bytes.dcm", "dicom.empty"},
                      BadCase{"random_bytes.dcm", "dicom.not_dicom"}),
    [](const auto& info) {
      std::string s = info.param.file;
      for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return s;
    });

}  // namespace
}  // namespace cvx::test::dec
